package io.chorus.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The session for a command. The master comes from spark-submit; local[*] only when none is set. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(String command) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("chorus " + command);
    if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    // Timestamps are UTC throughout the canonical schemas; day slices must not depend on the host zone.
    if (!conf.contains("spark.sql.session.timeZone")) {
      b.config("spark.sql.session.timeZone", "UTC");
    }
    return b.getOrCreate();
  }
}
