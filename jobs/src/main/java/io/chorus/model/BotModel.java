package io.chorus.model;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.chorus.ChorusException;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.AccountScores;
import io.chorus.schema.Labels;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The bot classifier: missing features imputed with a sentinel (-1, beside the has_profile and
 * has_posts indicators, so one model scores accounts with or without posts or a profile), then a
 * class-weighted random forest.
 */
public final class BotModel {
  public static final String LABEL = "_label";
  public static final String WEIGHT = "_weight";
  public static final String VECTOR = "_features";
  public static final String PROBABILITY = "probability";
  public static final double MISSING = -1.0;
  public static final double THRESHOLD = 0.5;
  public static final int TREES = 100;
  public static final int DEPTH = 10;
  /** One account in HOLDOUT_FOLDS is held out to measure tpr/fpr. */
  public static final int HOLDOUT_FOLDS = 5;

  private BotModel() {}

  static String imputed(String f) {
    return f + "__i";
  }

  public static Pipeline pipeline(long seed) {
    return pipeline(seed, GRID.get(1));
  }

  public static Pipeline pipeline(long seed, Candidate c) {
    String select =
        AccountFeatures.FEATURE_COLUMNS.stream()
            .map(f -> "coalesce(CAST(" + f + " AS DOUBLE), " + MISSING + ") AS " + imputed(f))
            .collect(Collectors.joining(", "));
    SQLTransformer impute = new SQLTransformer().setStatement("SELECT *, " + select + " FROM __THIS__");
    VectorAssembler assembler =
        new VectorAssembler()
            .setInputCols(AccountFeatures.FEATURE_COLUMNS.stream().map(BotModel::imputed).toArray(String[]::new))
            .setOutputCol(VECTOR);
    RandomForestClassifier rf =
        new RandomForestClassifier()
            .setFeaturesCol(assembler.getOutputCol())
            .setLabelCol(LABEL)
            .setWeightCol(WEIGHT)
            .setProbabilityCol(PROBABILITY)
            .setNumTrees(c.trees())
            .setMaxDepth(c.depth())
            .setMinInstancesPerNode(c.minInstancesPerNode())
            .setFeatureSubsetStrategy("sqrt")
            .setSeed(seed);
    return new Pipeline().setStages(new PipelineStage[] {impute, assembler, rf});
  }

  /** Features joined to labels, with a 0/1 label and balancing class weights. */
  public static Dataset<Row> labeled(Dataset<Row> features, Dataset<Row> labels) {
    Dataset<Row> l =
        labels.select(
            col(Labels.ACCOUNT_ID),
            col(Labels.PLATFORM),
            when(lower(col(Labels.LABEL)).equalTo(Labels.BOT), 1.0).when(lower(col(Labels.LABEL)).equalTo(Labels.HUMAN), 0.0).as(LABEL));
    Dataset<Row> joined =
        features.join(l, new String[] {AccountFeatures.ACCOUNT_ID, AccountFeatures.PLATFORM}).filter(col(LABEL).isNotNull());
    Row counts = joined.agg(count(lit(1)), sum(col(LABEL))).first();
    long n = counts.getLong(0);
    double pos = counts.isNullAt(1) ? 0 : counts.getDouble(1);
    if (n == 0 || pos == 0 || pos == n) {
      throw new ChorusException(
          "Training needs labeled accounts of both classes among the features; found " + n + " labeled, " + (long) pos + " bots."
              + " Fix: check that --labels holds account_id/platform values present in the features and labels 'bot' and 'human'.");
    }
    return joined.withColumn(WEIGHT, when(col(LABEL).equalTo(1.0), n / (2 * pos)).otherwise(n / (2 * (n - pos))));
  }

  /**
   * Adds bot_probability: the calibrated probability when the model ends in a calibrator, else the
   * forest's class-1 probability (models trained without cross-validation).
   */
  public static Dataset<Row> withProbability(PipelineModel model, Dataset<Row> features) {
    Transformer[] stages = model.stages();
    if (stages[stages.length - 1] instanceof IsotonicRegressionModel) {
      return model.transform(features).withColumn(AccountScores.BOT_PROBABILITY, col(CALIBRATED));
    }
    return rawScore(model, features).withColumn(AccountScores.BOT_PROBABILITY, col(RAW));
  }

  public record Trained(PipelineModel model, ModelMetadata metadata) {}

  /** One point of the hyper-parameter grid. */
  public record Candidate(int trees, int depth, int minInstancesPerNode) {
    Map<String, String> params() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("trees", String.valueOf(trees));
      m.put("max_depth", String.valueOf(depth));
      m.put("min_instances_per_node", String.valueOf(minInstancesPerNode));
      return m;
    }
  }

  /**
   * The grid cross-validation chooses from: shallow and regularised, the default, and deep. Kept
   * small on purpose (each point costs {@code cvFolds} forest fits) and ordered from simple to
   * complex, so ties go to the simpler forest.
   */
  public static final List<Candidate> GRID =
      List.of(new Candidate(TREES, 6, 5), new Candidate(TREES, DEPTH, 1), new Candidate(TREES, 14, 1));

  /** Default inner cross-validation folds of {@code train}; below 2, no search and no calibration. */
  public static final int CV_FOLDS = 3;

  /** Forests fitted at once during the grid search. */
  static final int FIT_THREADS = 4;
  static final String CALIBRATED = "_calibrated";
  static final String RAW = "_raw";

  /**
   * Trains the bot classifier.
   *
   * <ol>
   *   <li>Accounts are split by a hash of their id: one fold in {@link #HOLDOUT_FOLDS} is held out,
   *       the rest (T) trains.
   *   <li>On T, {@code cvFolds}-fold cross-validation scores every grid point out of fold; the one
   *       with the best out-of-fold ROC-AUC is chosen.
   *   <li>Isotonic regression fitted to the chosen point's out-of-fold scores calibrates the
   *       probabilities (the forest's own vote shares are not probabilities, and they are
   *       class-weighted); the threshold maximises tpr - fpr (Youden's J) on the calibrated
   *       out-of-fold scores, the point where adjusted counting (ACC) is most stable (Forman 2008).
   *   <li>The chosen forest is refitted on all of T; forest plus calibrator are the saved model.
   *   <li>The held-out fold, never seen by any of this, gives the TPR, FPR and per-class mean scores
   *       that bot-share estimation corrects with.
   * </ol>
   */
  public static Trained train(Dataset<Row> labeled, long seed) {
    return train(labeled, seed, CV_FOLDS);
  }

  public static Trained train(Dataset<Row> labeled, long seed, int cvFolds) {
    Dataset<Row> fold = labeled.withColumn("_fold", pmod(xxhash64(col(AccountFeatures.ACCOUNT_ID), lit(seed)), lit(HOLDOUT_FOLDS)));
    Dataset<Row> trainPart = fold.filter(col("_fold").notEqual(0)).drop("_fold").cache();
    Dataset<Row> holdout = fold.filter(col("_fold").equalTo(0));
    Fitted fitted = fit(trainPart, seed, cvFolds);
    PipelineModel probe = fitted.model();
    Candidate chosen = fitted.chosen();
    Map<String, Object> cv = fitted.crossValidation();
    double threshold = fitted.threshold();
    boolean calibrated = !cv.isEmpty();
    Dataset<Row> scored = withProbability(probe, holdout).cache();
    Column p = col(AccountScores.BOT_PROBABILITY);
    Column y = col(LABEL);
    Map<String, Object> holdoutMetrics = Evaluation.metrics(scored, threshold);
    @SuppressWarnings("unchecked")
    Map<String, Long> confusion = (Map<String, Long>) holdoutMetrics.get("confusion");
    long positives = confusion.get("tp") + confusion.get("fn");
    long negatives = confusion.get("fp") + confusion.get("tn");
    if (positives == 0 || negatives == 0) {
      scored.unpersist();
      trainPart.unpersist();
      throw new ChorusException("The holdout fold has no " + (positives == 0 ? "bots" : "humans") + ": label more accounts of that class.");
    }
    // Per-class mean and spread of the scores: PACC's m1 and m0, and their sampling error.
    Row r =
        scored
            .agg(avg(when(y.equalTo(1.0), p)), avg(when(y.equalTo(0.0), p)), stddev_pop(when(y.equalTo(1.0), p)), stddev_pop(when(y.equalTo(0.0), p)))
            .first();
    scored.unpersist();
    double auc = (double) holdoutMetrics.get("roc_auc");
    long trainBots = trainPart.filter(y.equalTo(1.0)).count();
    long trainAll = trainPart.count();
    trainPart.unpersist();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("algorithm", "random_forest");
    params.putAll(chosen.params());
    params.put("seed", String.valueOf(seed));
    params.put("missing_value", String.valueOf(MISSING));
    params.put("calibration", calibrated ? "isotonic" : "none");
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    String id = "rf-" + stamp + "-" + Integer.toHexString(java.util.Objects.hash(trainAll, trainBots, seed, AccountFeatures.FEATURE_COLUMNS));
    ModelMetadata md =
        new ModelMetadata(
            id, Instant.now().toString(), List.copyOf(AccountFeatures.FEATURE_COLUMNS), trainAll, trainBots, positives, negatives, threshold,
            confusion.get("tp") / (double) positives, confusion.get("fp") / (double) negatives, r.getDouble(0), r.getDouble(1),
            r.isNullAt(2) ? 0 : r.getDouble(2), r.isNullAt(3) ? 0 : r.getDouble(3), auc, params, cv, holdoutMetrics);
    return new Trained(probe, md);
  }

  /** A fitted model with its threshold, the chosen grid point and the cross-validation record. */
  public record Fitted(PipelineModel model, double threshold, Candidate chosen, Map<String, Object> crossValidation) {}

  /**
   * Steps 2 to 4 of {@link #train(Dataset, long, int)} on all of {@code train}: grid search by
   * out-of-fold ROC-AUC, isotonic calibration and Youden threshold on the out-of-fold scores, refit.
   * With {@code cvFolds} under 2: the default grid point, uncalibrated, threshold 0.5.
   */
  public static Fitted fit(Dataset<Row> train, long seed, int cvFolds) {
    Candidate chosen = GRID.get(1);
    Map<String, Object> cv = new LinkedHashMap<>();
    IsotonicRegressionModel calibrator = null;
    double threshold = THRESHOLD;
    if (cvFolds >= 2) {
      Dataset<Row> trainFolds = train.withColumn("_cv", pmod(xxhash64(col(AccountFeatures.ACCOUNT_ID), lit(seed + 7)), lit(cvFolds))).cache();
      double bestAuc = -1;
      Dataset<Row> bestOof = null;
      List<Map<String, Object>> grid = new ArrayList<>();
      List<Dataset<Row>> oofs = outOfFold(trainFolds, GRID, cvFolds, seed);
      for (int i = 0; i < GRID.size(); i++) {
        Candidate c = GRID.get(i);
        Dataset<Row> oof = oofs.get(i);
        double auc = new BinaryClassificationEvaluator().setLabelCol(LABEL).setRawPredictionCol(RAW).setMetricName("areaUnderROC").evaluate(oof);
        Map<String, Object> g = new LinkedHashMap<>(c.params());
        g.put("oof_roc_auc", auc);
        grid.add(g);
        if (auc > bestAuc + 1e-9) {
          bestAuc = auc;
          chosen = c;
          bestOof = oof;
        }
      }
      trainFolds.unpersist();
      calibrator =
          new IsotonicRegression().setFeaturesCol(PROBABILITY).setFeatureIndex(1).setLabelCol(LABEL).setPredictionCol(CALIBRATED).setIsotonic(true).fit(bestOof);
      Dataset<Row> calibrated = calibrator.transform(bestOof).withColumn(AccountScores.BOT_PROBABILITY, col(CALIBRATED));
      threshold = youdenThreshold(calibrated);
      cv.put("folds", cvFolds);
      cv.put("grid", grid);
      cv.put("chosen", chosen.params());
      cv.put("calibration", "isotonic regression on out-of-fold scores");
      cv.put("threshold_rule", "max tpr - fpr (Youden J) on calibrated out-of-fold scores");
      cv.put("oof_metrics_calibrated", Evaluation.metrics(calibrated, threshold));
    }
    PipelineModel forest = pipeline(seed, chosen).fit(train);
    PipelineModel model = calibrator == null ? forest : withCalibrator(forest, calibrator, train);
    return new Fitted(model, threshold, chosen, cv);
  }

  /**
   * Out-of-fold raw forest scores (account, label, probability, raw) of each grid point over the
   * {@code _cv} folds. The grid x folds forests are fitted concurrently: on small labeled sets each
   * fit is a chain of tiny Spark jobs, so running them side by side keeps the cores busy.
   */
  static List<Dataset<Row>> outOfFold(Dataset<Row> trainFolds, List<Candidate> grid, int folds, long seed) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(grid.size() * folds, FIT_THREADS));
    try {
      List<List<java.util.concurrent.Future<Dataset<Row>>>> futures = new ArrayList<>();
      for (Candidate c : grid) {
        List<java.util.concurrent.Future<Dataset<Row>>> perFold = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
          int fold = k;
          perFold.add(pool.submit(() -> {
            PipelineModel m = pipeline(seed, c).fit(trainFolds.filter(col("_cv").notEqual(fold)));
            return rawScore(m, trainFolds.filter(col("_cv").equalTo(fold)))
                .select(col(AccountFeatures.ACCOUNT_ID), col(LABEL), col(PROBABILITY), col(RAW))
                .localCheckpoint();
          }));
        }
        futures.add(perFold);
      }
      List<Dataset<Row>> out = new ArrayList<>();
      for (List<java.util.concurrent.Future<Dataset<Row>>> perFold : futures) {
        Dataset<Row> pooled = null;
        for (java.util.concurrent.Future<Dataset<Row>> f : perFold) {
          Dataset<Row> d = f.get();
          pooled = pooled == null ? d : pooled.unionByName(d);
        }
        out.add(pooled);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChorusException("Training was interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new ChorusException("Training failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  static Dataset<Row> rawScore(PipelineModel forest, Dataset<Row> features) {
    return forest.transform(features).withColumn(RAW, element_at(vector_to_array(col(PROBABILITY), "float64"), 2));
  }

  /**
   * The forest followed by the isotonic calibrator (reading the class-1 entry of the forest's
   * probability vector), as one PipelineModel that saves and loads as usual.
   */
  static PipelineModel withCalibrator(PipelineModel forest, IsotonicRegressionModel calibrator, Dataset<Row> schemaSource) {
    List<PipelineStage> stages = new ArrayList<>(List.of(forest.stages()));
    stages.add(calibrator);
    // A Pipeline of fitted transformers only: fit() checks the schema and collects them; no data is read.
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(schemaSource);
  }

  /**
   * The calibrated score s maximising tpr - fpr when flagging p >= s. Scores are grouped by value
   * first: isotonic output is a step function with at most one value per step, so this is small.
   */
  static double youdenThreshold(Dataset<Row> scored) {
    List<Row> steps =
        scored
            .groupBy(col(AccountScores.BOT_PROBABILITY).as("_s"))
            .agg(sum(col(LABEL)).as("_pos"), sum(lit(1.0).minus(col(LABEL))).as("_neg"))
            .orderBy(col("_s").desc())
            .collectAsList();
    double pos = steps.stream().mapToDouble(x -> x.getDouble(1)).sum();
    double neg = steps.stream().mapToDouble(x -> x.getDouble(2)).sum();
    double tp = 0;
    double fp = 0;
    double best = -2;
    double threshold = THRESHOLD;
    for (Row step : steps) {
      tp += step.getDouble(1);
      fp += step.getDouble(2);
      double j = (pos == 0 ? 0 : tp / pos) - (neg == 0 ? 0 : fp / neg);
      if (j > best + 1e-12) {
        best = j;
        threshold = step.getDouble(0);
      }
    }
    return threshold;
  }

  /** account_scores rows for every account in {@code features}. */
  public static Dataset<Row> score(PipelineModel model, ModelMetadata md, Dataset<Row> features) {
    return withProbability(model, features)
        .select(
            col(AccountFeatures.ACCOUNT_ID),
            col(AccountFeatures.PLATFORM),
            col(AccountScores.BOT_PROBABILITY),
            col(AccountScores.BOT_PROBABILITY).geq(md.threshold()).as(AccountScores.IS_LIKELY_BOT),
            lit(md.modelId()).as(AccountScores.MODEL_ID));
  }
}
