package io.chorus.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The I/O floor: one Spark job reading the posts columns the pipeline needs, with a trivial
 * aggregate over each so none is pruned. Run in its own JVM, like the pipeline, so both include
 * JVM and Spark start-up.
 */
final class BareScan {
  private BareScan() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("chorus-bench-scan").getOrCreate();
    long t0 = System.nanoTime();
    Row r = spark.read().parquet(args[0])
        .agg(count(lit(1)), countDistinct(col("account_id")), max(col("created_at")), sum(length(coalesce(col("text"), lit("")))),
            sum(size(col("hashtags"))), sum(size(col("mentions"))), sum(size(col("urls"))), max(col("parent_post_id")), max(col("kind")),
            max(col("source")), max(col("post_id")), max(col("platform")), max(col("lang")))
        .first();
    System.out.printf(Locale.ROOT, "bench | bare scan %,d posts in %.1f s%n", r.getLong(0), (System.nanoTime() - t0) / 1e9);
    spark.stop();
  }
}
