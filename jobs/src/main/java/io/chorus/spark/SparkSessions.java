package io.chorus.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The session for a command. The master comes from spark-submit; local[*] only when none is set. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Output committer settings applied when the output is on s3a and the user has not set them: the
   * S3A magic committer through spark-hadoop-cloud, which writes each task's files as pending
   * multipart uploads and completes them only at job commit, so no partial table is ever visible and
   * nothing is renamed (S3 has no rename). Override any of them with {@code --conf}, e.g.
   * {@code --conf spark.hadoop.fs.s3a.committer.name=directory}.
   */
  public static final Map<String, String> S3A_COMMITTER = committer();

  private static Map<String, String> committer() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.hadoop.fs.s3a.committer.name", "magic");
    m.put("spark.hadoop.fs.s3a.committer.magic.enabled", "true");
    m.put("spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a", "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory");
    m.put("spark.sql.sources.commitProtocolClass", "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol");
    m.put("spark.sql.parquet.output.committer.class", "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter");
    return Map.copyOf(m);
  }

  /** A session for {@code command} writing under {@code output} (may be null). */
  public static SparkSession create(String command, String output) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("chorus " + command);
    if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    // Timestamps are UTC throughout the canonical schemas; day slices must not depend on the host zone.
    if (!conf.contains("spark.sql.session.timeZone")) {
      b.config("spark.sql.session.timeZone", "UTC");
    }
    if (output != null && output.startsWith("s3a://")) {
      S3A_COMMITTER.forEach((k, v) -> {
        if (!conf.contains(k)) {
          b.config(k, v);
        }
      });
    }
    return b.getOrCreate();
  }
}
