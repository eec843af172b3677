package io.chorus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chorus.SparkTestBase;
import io.chorus.schema.AccountScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class EvaluationTest extends SparkTestBase {
  /** (label, probability) pairs with the expected metrics computed by hand beside them. */
  static final double[][] SCORED = {{1, 0.9}, {1, 0.8}, {1, 0.4}, {0, 0.6}, {0, 0.2}, {0, 0.1}, {0, 0.05}, {0, 0.15}};

  static Dataset<Row> scored() {
    StructType schema = new StructType().add(BotModel.LABEL, DataTypes.DoubleType)
        .add(BotModel.PROBABILITY, SQLDataTypes.VectorType()).add(AccountScores.BOT_PROBABILITY, DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (double[] s : SCORED) {
      rows.add(RowFactory.create(s[0], Vectors.dense(1 - s[1], s[1]), s[1]));
    }
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void metricsMatchHandComputedValues() {
    Map<String, Object> m = Evaluation.metrics(scored(), 0.5);
    // Flagged at 0.5: 0.9, 0.8 (bots) and 0.6 (human): tp 2, fp 1, fn 1, tn 4.
    assertThat(m.get("confusion")).isEqualTo(Map.of("tp", 2L, "fp", 1L, "fn", 1L, "tn", 4L));
    assertThat((double) m.get("accuracy")).isCloseTo(6 / 8.0, within(1e-12));
    assertThat((double) m.get("precision")).isCloseTo(2 / 3.0, within(1e-12));
    assertThat((double) m.get("recall")).isCloseTo(2 / 3.0, within(1e-12));
    assertThat((double) m.get("f1")).isCloseTo(2 / 3.0, within(1e-12));
    double brier = 0;
    for (double[] s : SCORED) {
      brier += (s[1] - s[0]) * (s[1] - s[0]) / SCORED.length;
    }
    assertThat((double) m.get("brier")).isCloseTo(brier, within(1e-12));
    // ROC-AUC: of 3 x 5 bot-human pairs, the bot scores higher in all but (0.4 vs 0.6): 14/15.
    assertThat((double) m.get("roc_auc")).isCloseTo(14 / 15.0, within(1e-12));
    // ECE with 10 bins: each non-empty bin |mean p - share of bots| weighted by its size.
    double ece = (1 * Math.abs(0.9 - 1) + 1 * Math.abs(0.8 - 1) + 1 * Math.abs(0.6 - 0) + 1 * Math.abs(0.4 - 1) + 1 * Math.abs(0.2 - 0)
        + 2 * Math.abs(0.125 - 0) + 1 * Math.abs(0.05 - 0)) / 8;
    assertThat((double) m.get("ece")).isCloseTo(ece, within(1e-12));
  }
}
