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

  /** Accuracy 0.8 on 1,000 accounts: the binomial interval is 0.8 +- 1.96 sqrt(0.8 x 0.2 / 1000) = +- 0.0248. */
  @Test
  void bootstrapIntervalsMatchTheBinomialWidth() {
    double[][] ci = Evaluation.confusionBootstrap(500, 100, 100, 300, 2000, 17);
    double half = 1.96 * Math.sqrt(0.8 * 0.2 / 1000);
    assertThat(ci[0][0]).isCloseTo(0.8 - half, within(0.004));
    assertThat(ci[0][1]).isCloseTo(0.8 + half, within(0.004));
    double f1 = 2.0 * 500 / (2 * 500 + 100 + 100);
    assertThat(f1).isBetween(ci[1][0], ci[1][1]);
    assertThat(ci[1][1] - ci[1][0]).isBetween(0.02, 0.06);
    double[][] small = Evaluation.confusionBootstrap(2, 1, 1, 4, 2000, 17);
    assertThat(small[1][1] - small[1][0]).as("8 accounts: a wide interval").isGreaterThan(0.4);
  }
}
