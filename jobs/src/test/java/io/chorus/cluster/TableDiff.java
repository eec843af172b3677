package io.chorus.cluster;

import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.substring_index;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.schema.AccountScores;
import io.chorus.schema.Quarantine;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Asserts that two runs wrote the same tables, row for row (order-free, duplicates counted). */
final class TableDiff {
  /** The tables every pipeline run writes. */
  static final List<String> PIPELINE_TABLES = List.of("posts", "accounts", "quarantine", "account_features", "account_scores", "bot_share",
      "account_influence", "topic_influence", "watchlist_influence", "coordination_edges", "coordination_clusters");

  private TableDiff() {}

  /**
   * Quarantine's source_file names the input root (file:/..., s3a://...): compare the part below it.
   * Doubles are compared to 9 decimals: sums over a different number of executors add in a different
   * order and may differ in the last bits.
   */
  static Dataset<Row> relative(Dataset<Row> df) {
    Dataset<Row> out = Arrays.asList(df.columns()).contains(Quarantine.SOURCE_FILE)
        ? df.withColumn(Quarantine.SOURCE_FILE, substring_index(df.col(Quarantine.SOURCE_FILE), "/", -2)) : df;
    for (var f : out.schema().fields()) {
      if (f.dataType() instanceof org.apache.spark.sql.types.DoubleType) {
        out = out.withColumn(f.name(), round(out.col(f.name()), 9));
      }
    }
    return out;
  }

  static void assertSame(SparkSession spark, List<String> tables, String expectedRoot, String actualRoot) {
    for (String table : tables) {
      // model_id names one training run (a fresh id each time); every other column must match.
      Dataset<Row> expected = relative(spark.read().parquet(expectedRoot + "/" + table).drop(AccountScores.MODEL_ID));
      Dataset<Row> actual = relative(spark.read().parquet(actualRoot + "/" + table));
      Dataset<Row> aligned = actual.select(Arrays.stream(expected.columns()).map(actual::col).toArray(Column[]::new));
      assertThat(aligned.count()).as("%s rows", table).isEqualTo(expected.count());
      assertThat(expected.exceptAll(aligned).count()).as("%s rows only in %s", table, expectedRoot).isZero();
      assertThat(aligned.exceptAll(expected).count()).as("%s rows only in %s", table, actualRoot).isZero();
    }
  }
}
