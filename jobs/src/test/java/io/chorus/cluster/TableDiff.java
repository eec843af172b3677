package io.chorus.cluster;

import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.substring_index;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.schema.AccountScores;
import io.chorus.schema.Quarantine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    assertSame(spark, tables, expectedRoot, "", actualRoot, "");
  }

  /**
   * Same rows in {@code <root>/<table><suffix>} on both sides (a suffix such as
   * {@code /run_date=2024-03-08} compares one partition). Rows that differ only in doubles, within
   * 1e-8 relative (after rounding to 9 decimals), count as equal: executors sum in a different order than local mode.
   */
  static void assertSame(SparkSession spark, List<String> tables, String expectedRoot, String expectedSuffix, String actualRoot, String actualSuffix) {
    for (String table : tables) {
      // model_id names one training run (a fresh id each time); every other column must match.
      Dataset<Row> expected = relative(spark.read().parquet(expectedRoot + "/" + table + expectedSuffix).drop(AccountScores.MODEL_ID));
      Dataset<Row> actual = relative(spark.read().parquet(actualRoot + "/" + table + actualSuffix));
      Dataset<Row> aligned = actual.select(Arrays.stream(expected.columns()).map(actual::col).toArray(Column[]::new));
      assertThat(aligned.count()).as("%s rows", table).isEqualTo(expected.count());
      // bounded: test tables, and only the rows that differ
      List<Row> onlyExpected = new ArrayList<>(expected.exceptAll(aligned).limit(10_000).collectAsList());
      List<Row> onlyActual = new ArrayList<>(aligned.exceptAll(expected).limit(10_000).collectAsList());
      for (java.util.Iterator<Row> it = onlyExpected.iterator(); it.hasNext();) {
        Row e = it.next();
        Optional<Row> match = onlyActual.stream().filter(a -> close(e, a)).findFirst();
        if (match.isPresent()) {
          onlyActual.remove(match.get());
          it.remove();
        }
      }
      assertThat(onlyExpected).as("%s rows only in %s%s", table, expectedRoot, expectedSuffix).isEmpty();
      assertThat(onlyActual).as("%s rows only in %s%s", table, actualRoot, actualSuffix).isEmpty();
    }
  }

  /** Equal rows, doubles within 1e-8 relative. */
  static boolean close(Row a, Row b) {
    for (int i = 0; i < a.length(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x instanceof Double dx && y instanceof Double dy) {
        if (Math.abs(dx - dy) > 1e-8 * Math.max(1, Math.max(Math.abs(dx), Math.abs(dy)))) {
          return false;
        }
      } else if (!Objects.equals(x, y)) {
        return false;
      }
    }
    return true;
  }
}
