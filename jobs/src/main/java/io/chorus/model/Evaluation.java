package io.chorus.model;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.chorus.schema.AccountFeatures;
import io.chorus.schema.AccountScores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Classifier metrics on (label, bot_probability) rows, and K-fold cross-validation. */
public final class Evaluation {
  /** Bins of the expected calibration error. */
  public static final int ECE_BINS = 10;
  static final String FLAG = "_flag";

  private Evaluation() {}

  /**
   * ROC-AUC, PR-AUC; accuracy, precision, recall and F1 of the bot class at {@code threshold}; Brier
   * score; expected calibration error over {@link #ECE_BINS} equal-width bins; the confusion matrix.
   */
  public static Map<String, Object> metrics(Dataset<Row> scored, double threshold) {
    return metrics(scored, col(AccountScores.BOT_PROBABILITY).geq(threshold), threshold);
  }

  /** As above with the flag decision given per row (cross-validation: each fold has its own threshold). */
  static Map<String, Object> metrics(Dataset<Row> scored, Column flagged, Object threshold) {
    Column y = col(BotModel.LABEL);
    Column p = col(AccountScores.BOT_PROBABILITY);
    Row c = scored.agg(
        sum(when(y.equalTo(1.0).and(flagged), 1L).otherwise(0L)), sum(when(y.equalTo(0.0).and(flagged), 1L).otherwise(0L)),
        sum(when(y.equalTo(1.0).and(not(flagged)), 1L).otherwise(0L)), sum(when(y.equalTo(0.0).and(not(flagged)), 1L).otherwise(0L)),
        avg(p.minus(y).multiply(p.minus(y)))).first();
    long tp = c.getLong(0);
    long fp = c.getLong(1);
    long fn = c.getLong(2);
    long tn = c.getLong(3);
    long n = tp + fp + fn + tn;
    // One row per bin: bounded.
    List<Row> bins = scored.withColumn("_bin", least(floor(p.multiply(ECE_BINS)), lit(ECE_BINS - 1)))
        .groupBy("_bin").agg(count(lit(1)).as("_n"), avg(p).as("_p"), avg(y).as("_y")).collectAsList();
    double ece = 0;
    for (Row b : bins) {
      ece += b.getLong(1) / (double) n * Math.abs(b.getDouble(2) - b.getDouble(3));
    }
    BinaryClassificationEvaluator e = new BinaryClassificationEvaluator().setLabelCol(BotModel.LABEL).setRawPredictionCol(AccountScores.BOT_PROBABILITY);
    double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
    double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accounts", n);
    m.put("bots", tp + fn);
    m.put("roc_auc", e.setMetricName("areaUnderROC").evaluate(scored));
    m.put("pr_auc", e.setMetricName("areaUnderPR").evaluate(scored));
    m.put("threshold", threshold);
    m.put("accuracy", (tp + tn) / (double) n);
    m.put("precision", precision);
    m.put("recall", recall);
    m.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    m.put("brier", c.getDouble(4));
    m.put("ece", ece);
    m.put("confusion", Map.of("tp", tp, "fp", fp, "fn", fn, "tn", tn));
    double[][] ci = confusionBootstrap(tp, fp, fn, tn, 2000, 17);
    m.put("accuracy_ci95", List.of(ci[0][0], ci[0][1]));
    m.put("f1_ci95", List.of(ci[1][0], ci[1][1]));
    return m;
  }

  /**
   * 95% percentile intervals of accuracy and bot-class F1 from a bootstrap of the accounts. Both
   * depend on the confusion counts only, so resampling accounts is resampling a multinomial over
   * (tp, fp, fn, tn); drawn here with a seeded generator, by inverse CDF per account.
   */
  static double[][] confusionBootstrap(long tp, long fp, long fn, long tn, int replicates, long seed) {
    long n = tp + fp + fn + tn;
    if (n == 0) {
      return new double[][] {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
    }
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    double[] acc = new double[replicates];
    double[] f1 = new double[replicates];
    double c1 = tp / (double) n;
    double c2 = c1 + fp / (double) n;
    double c3 = c2 + fn / (double) n;
    for (int b = 0; b < replicates; b++) {
      long btp = 0;
      long bfp = 0;
      long bfn = 0;
      for (long i = 0; i < n; i++) {
        double u = rnd.nextDouble();
        if (u < c1) {
          btp++;
        } else if (u < c2) {
          bfp++;
        } else if (u < c3) {
          bfn++;
        }
      }
      long btn = n - btp - bfp - bfn;
      acc[b] = (btp + btn) / (double) n;
      f1[b] = btp == 0 ? 0 : 2.0 * btp / (2.0 * btp + bfp + bfn);
    }
    java.util.Arrays.sort(acc);
    java.util.Arrays.sort(f1);
    int lo = (int) Math.floor(0.025 * (replicates - 1));
    int hi = (int) Math.ceil(0.975 * (replicates - 1));
    return new double[][] {{acc[lo], acc[hi]}, {f1[lo], f1[hi]}};
  }

  /**
   * K-fold cross-validation: folds by a hash of the account id; on the other folds the full
   * training procedure runs (inner grid search, calibration and threshold, see BotModel.fit) and
   * the fitted model scores the fold at its own threshold. Metrics are computed on the pooled
   * out-of-fold predictions; "threshold" lists the per-fold thresholds.
   */
  public static Map<String, Object> crossValidate(Dataset<Row> labeled, int folds, long seed, int innerFolds) {
    Dataset<Row> withFold = labeled.withColumn("_cv", pmod(xxhash64(col(AccountFeatures.ACCOUNT_ID), lit(seed + 1)), lit(folds))).cache();
    Dataset<Row> pooled = null;
    List<Double> thresholds = new java.util.ArrayList<>();
    List<Map<String, String>> chosen = new java.util.ArrayList<>();
    for (int k = 0; k < folds; k++) {
      BotModel.Fitted f = BotModel.fit(withFold.filter(col("_cv").notEqual(k)).drop("_cv"), seed, innerFolds);
      thresholds.add(f.threshold());
      chosen.add(f.chosen().params());
      Dataset<Row> scored = BotModel.withProbability(f.model(), withFold.filter(col("_cv").equalTo(k)))
          .select(col(AccountFeatures.ACCOUNT_ID), col(BotModel.LABEL), col(AccountScores.BOT_PROBABILITY),
              col(AccountScores.BOT_PROBABILITY).geq(f.threshold()).as(FLAG));
      pooled = pooled == null ? scored : pooled.unionByName(scored);
    }
    Dataset<Row> all = pooled.localCheckpoint();
    withFold.unpersist();
    Map<String, Object> m = metrics(all, col(FLAG), thresholds);
    m.put("chosen_per_fold", chosen);
    m.put("folds", folds);
    m.put("inner_folds", innerFolds);
    return m;
  }
}
