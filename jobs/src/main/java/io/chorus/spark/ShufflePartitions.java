package io.chorus.spark;

import io.chorus.ChorusException;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.Posts;
import io.chorus.schema.Schemas;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark.sql.shuffle.partitions} sized to the posts a command reads, when the user has not set
 * it: one partition per {@link #BYTES_PER_PARTITION} of posts files, and never fewer than the cores
 * Spark has ({@code defaultParallelism}). A fixed count lets each partition grow with the archive:
 * with 8 partitions at every size, 30M posts spilled 24 GiB to disk where 10M spilled 4 GiB, and
 * coordination alone at 30M took 884 s with 8 partitions against 688 s with 24 (docs/performance.md).
 * Every task's share of the shuffled hash joins' build sides (accounts / partitions rows) stays about
 * the same as the archive grows, too.
 *
 * <p>The posts measured are, for each input root, {@code posts/run_date=<run-date>} when it exists
 * (an ingest output), else {@code posts/} (a canonical archive), else the root itself (a raw layout
 * such as an IRA CSV folder, whose bytes per post are larger, so it gets more partitions than it
 * needs; adaptive execution merges the small ones). A {@code --conf spark.sql.shuffle.partitions}
 * of the user's always wins. The count and where it came from go to the run manifest.
 */
public final class ShufflePartitions {
  public static final String KEY = "spark.sql.shuffle.partitions";

  /**
   * 64 MiB, the shuffle partition size that Spark's adaptive execution aims for by default
   * ({@code spark.sql.adaptive.advisoryPartitionSizeInBytes}). The generator's 10M-post archive
   * (505 MiB of Parquet) gets 8 partitions, the count the benchmarks used at every size so far, and
   * its 30M archive (1,539 MiB) 25.
   */
  public static final long BYTES_PER_PARTITION = 64L << 20;

  /** A bound that keeps a mistaken input (a whole bucket as --input) from planning millions of tasks. */
  static final int MAX = 10_000;

  private ShufflePartitions() {}

  /** The count for {@code bytes} of posts on {@code parallelism} cores. */
  public static int forBytes(long bytes, int parallelism) {
    long byBytes = (Math.max(bytes, 0) + BYTES_PER_PARTITION - 1) / BYTES_PER_PARTITION;
    return (int) Math.min(MAX, Math.max(Math.max(parallelism, 1), byBytes));
  }

  /**
   * Runs {@code body} with the shuffle partitions sized to {@code cfg}'s posts, unless the session
   * already has a count set (by --conf, or by a caller), and records the count in {@code manifest}.
   */
  public static void sized(SparkSession spark, String command, JobConfig cfg, RunManifest manifest, Runnable body) {
    if (spark.conf().contains(KEY)) {
      manifest.put("shuffle_partitions", Integer.parseInt(spark.conf().get(KEY)));
      manifest.put("shuffle_partitions_from", "spark.sql.shuffle.partitions as set");
      body.run();
      return;
    }
    long bytes = postsBytes(spark, cfg);
    int n = forBytes(bytes, spark.sparkContext().defaultParallelism());
    String from = String.format(Locale.ROOT, "%,.1f MiB of posts input, one partition per %d MiB, at least %d (the cores)", bytes / 1048576.0,
        BYTES_PER_PARTITION >> 20, spark.sparkContext().defaultParallelism());
    manifest.put("shuffle_partitions", n);
    manifest.put("shuffle_partitions_from", from);
    Stages.print(String.format(Locale.ROOT, "chorus | %-11s | %d shuffle partitions (%s; --conf %s=N to choose)", command, n, from, KEY));
    Stages.withDefaultConf(spark, KEY, String.valueOf(n), body);
  }

  /** Bytes of the posts {@code cfg} reads: see the class comment for which folder of each input root counts. */
  static long postsBytes(SparkSession spark, JobConfig cfg) {
    long total = 0;
    for (String root : cfg.inputs()) {
      String posts = root + "/" + Posts.TABLE;
      String dated = posts + "/" + Schemas.RUN_DATE + "=" + cfg.runDate();
      String measured = Tables.exists(spark, dated) ? dated : Tables.exists(spark, posts) ? posts : root;
      total += bytes(spark, measured);
    }
    return total;
  }

  static long bytes(SparkSession spark, String path) {
    try {
      FileSystem fs = Tables.fs(spark, path);
      Path p = new Path(path);
      return fs.exists(p) ? fs.getContentSummary(p).getLength() : 0;
    } catch (IOException e) {
      throw new ChorusException("Cannot measure the input " + path + " to size the shuffle partitions: " + e.getMessage()
          + ". Fix: check read permission on --input, or set --conf " + KEY + "=N.", e);
    }
  }
}
