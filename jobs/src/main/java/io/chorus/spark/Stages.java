package io.chorus.spark;

import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress that users and the Spark UI can read: each step sets a job description and each stage
 * prints one line when it starts and one when it ends (stage, elapsed time, rows in and out).
 */
public final class Stages {
  private static final Logger LOG = LoggerFactory.getLogger(Stages.class);
  private static volatile boolean quiet = false;

  private Stages() {}

  public static void setQuiet(boolean q) {
    quiet = q;
  }

  /** Names the Spark jobs launched by {@code body} after the step, so the UI reads like the code. */
  public static <T> T step(SparkSession spark, String stage, String description, Supplier<T> body) {
    spark.sparkContext().setJobDescription(stage + ": " + description);
    long start = System.nanoTime();
    try {
      return body.get();
    } finally {
      spark.sparkContext().setJobDescription(null);
      LOG.info(String.format(Locale.ROOT, "%s: %s took %.1f s", stage, description, (System.nanoTime() - start) / 1e9));
    }
  }

  public static void step(SparkSession spark, String stage, String description, Runnable body) {
    step(spark, stage, description, () -> {
      body.run();
      return null;
    });
  }

  /**
   * Spark's two-level hash aggregate: a small code-generated first-level map (2^16 keys) in front of
   * the general one. Coordination's, estimate's and influence's aggregates have nearly as many keys
   * as rows (distinct texts, account-trace links and account pairs; account-slice pairs;
   * author-amplifier pairs, amplified posts and PageRank edges), so that map fills at once and every
   * later row probes it and compares keys in vain before reaching the general map. Those stages turn
   * it off with {@link #withDefaultConf} (a --conf of the user's wins): at 10M posts, in alternating
   * runs of each stage alone, coordination took 0.93x the time, estimate 0.94x and influence 0.91x
   * (docs/performance.md). It stays on elsewhere: features, grouping by account, was 1.11x slower
   * without it, and ingest no faster (the same mean over 3 rounds).
   */
  public static final String TWO_LEVEL_AGG_MAP = "spark.sql.codegen.aggregate.map.twolevel.enabled";

  /**
   * Runs {@code body} with a SQL setting that the user has not set (a --conf of theirs wins), and
   * restores the session afterwards. Physical planning reads the setting when an action runs, so
   * it applies to the actions inside {@code body}.
   */
  public static <T> T withDefaultConf(SparkSession spark, String key, String value, Supplier<T> body) {
    if (spark.conf().contains(key)) {
      return body.get();
    }
    spark.conf().set(key, value);
    try {
      return body.get();
    } finally {
      spark.conf().unset(key);
    }
  }

  public static void withDefaultConf(SparkSession spark, String key, String value, Runnable body) {
    withDefaultConf(spark, key, value, () -> {
      body.run();
      return null;
    });
  }

  /**
   * {@code small} marked as the build side of a shuffled hash join, as {@code functions.broadcast}
   * marks a broadcast: both sides are shuffled by the join key, the other side is not sorted, and each
   * task holds its share of {@code small} in a hash table (rows / spark.sql.shuffle.partitions), which
   * cannot spill. For tables with about one row per account or node, such as scores, screen names and
   * PageRank ids, and for the features' reposts that look up their parent (reposts / partitions rows
   * of keys, ids and times); the README says to raise the shuffle partitions for tens of millions of
   * accounts.
   */
  public static <T> Dataset<T> shuffleHash(Dataset<T> small) {
    return small.hint("shuffle_hash");
  }

  /** Timer for one stage; prints the start line when created. */
  public static Timer start(String stage) {
    return new Timer(stage);
  }

  public static final class Timer {
    private final String stage;
    private final long startNanos = System.nanoTime();

    Timer(String stage) {
      this.stage = stage;
      resetPeakRss();
      print(String.format(Locale.ROOT, "chorus | %-11s | started", stage));
    }

    public double seconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }

    public void done(long rowsIn, long rowsOut) {
      long peak = peakRssMib();
      print(String.format(Locale.ROOT, "chorus | %-11s | done in %.1f s | rows in %,d | rows out %,d%s", stage, seconds(), rowsIn, rowsOut,
          peak > 0 ? String.format(Locale.ROOT, " | peak RSS %,d MiB", peak) : ""));
    }
  }

  static final java.nio.file.Path PROC_STATUS = java.nio.file.Path.of("/proc/self/status");

  /** Resets the kernel's peak-RSS mark of this process (Linux), so each stage reports its own peak; a no-op elsewhere. */
  static void resetPeakRss() {
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/self/clear_refs"), "5");
    } catch (java.io.IOException | RuntimeException notLinux) {
      // the peak then covers the process so far
    }
  }

  /** Peak resident memory of this JVM (driver, and executors in local mode) since the last reset, in MiB; 0 when unknown. */
  static long peakRssMib() {
    try {
      for (String line : java.nio.file.Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException notLinux) {
      // not on Linux
    }
    return 0;
  }

  static void print(String line) {
    LOG.info(line);
    if (!quiet) {
      System.err.println(line);
    }
  }
}
