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
  /** The labeled set an account's label comes from (labels.source). */
  public static final String SOURCE = "_source";
  public static final String PROBABILITY = "probability";
  public static final double MISSING = -1.0;
  public static final double THRESHOLD = 0.5;
  public static final int TREES = 100;
  public static final int DEPTH = 10;
  /** One account in HOLDOUT_FOLDS is held out to measure tpr/fpr. */
  public static final int HOLDOUT_FOLDS = 5;

  private BotModel() {}

  static final String IMPUTED_SUFFIX = "__i";

  static String imputed(String f) {
    return f + IMPUTED_SUFFIX;
  }

  public static Pipeline pipeline(long seed) {
    return pipeline(seed, GRID.get(1));
  }

  public static Pipeline pipeline(long seed, Candidate c) {
    return pipeline(seed, c, AccountFeatures.FEATURE_COLUMNS);
  }

  /** The pipeline over a subset of the feature columns (see {@link #usableFeatures}). */
  public static Pipeline pipeline(long seed, Candidate c, List<String> features) {
    String select =
        features.stream()
            .map(f -> "coalesce(CAST(" + f + " AS DOUBLE), " + MISSING + ") AS " + imputed(f))
            .collect(Collectors.joining(", "));
    SQLTransformer impute = new SQLTransformer().setStatement("SELECT *, " + select + " FROM __THIS__");
    VectorAssembler assembler =
        new VectorAssembler()
            .setInputCols(features.stream().map(BotModel::imputed).toArray(String[]::new))
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
            .setMaxBins(MAX_BINS)
            .setSeed(seed);
    return new Pipeline().setStages(new PipelineStage[] {impute, assembler, rf});
  }

  /** Features joined to labels, with a 0/1 label and balancing class weights. */
  public static Dataset<Row> labeled(Dataset<Row> features, Dataset<Row> labels) {
    Dataset<Row> l =
        labels.select(
            col(Labels.ACCOUNT_ID),
            col(Labels.PLATFORM),
            when(lower(col(Labels.LABEL)).equalTo(Labels.BOT), 1.0).when(lower(col(Labels.LABEL)).equalTo(Labels.HUMAN), 0.0).as(LABEL),
            org.apache.spark.sql.functions.coalesce(col(Labels.SOURCE), lit("unknown")).as(SOURCE));
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

  /**
   * Split candidates per continuous feature. MLlib's default of 32 quantile bins is coarse for
   * heavy-tailed counts and growth rates (followers span six orders of magnitude); 128 bins cost
   * little on account-level data.
   */
  static final int MAX_BINS = 128;

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
   *       class-weighted); the threshold maximises the bot class's F1 on the calibrated
   *       out-of-fold scores. (Youden's J, max tpr - fpr, is recorded beside it: on imbalanced sets
   *       it sits far lower and flags many humans; a fixed 0.5 flags nobody when calibrated
   *       probabilities stay under it, as on the TwiBot-22 sample.)
   *   <li>The chosen forest is refitted on all of T; forest plus calibrator are the saved model.
   *   <li>The held-out fold, never seen by any of this, gives the held-out metrics. The error rates
   *       bot-share estimation corrects with (TPR, FPR, per-class mean scores) come from every
   *       labeled account scored out of sample: the held-out fold plus the calibrated out-of-fold
   *       scores of T, per account and weighted by posts (see {@link ModelMetadata}).
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
    // The rate sample: the held-out fold plus the training part's calibrated out-of-fold scores.
    Dataset<Row> rateSample = scored.select(col(AccountFeatures.ACCOUNT_ID), y, p, col(AccountFeatures.POSTS));
    if (fitted.outOfFold() != null) {
      rateSample = rateSample.unionByName(fitted.outOfFold());
    }
    rateSample = rateSample.cache();
    Map<String, Object> accountRates = rates(rateSample, threshold, lit(1.0));
    Map<String, Object> postRates = rates(rateSample, threshold, org.apache.spark.sql.functions.coalesce(col(AccountFeatures.POSTS).cast("double"), lit(0.0)));
    List<Map<String, Object>> strata = strataRates(rateSample, threshold);
    rateSample.unpersist();
    scored.unpersist();
    long positives = Math.round((double) accountRates.get("effective_positives"));
    long negatives = Math.round((double) accountRates.get("effective_negatives"));
    if (positives == 0 || negatives == 0) {
      trainPart.unpersist();
      throw new ChorusException("The labeled accounts scored out of sample have no " + (positives == 0 ? "bots" : "humans")
          + ": label more accounts of that class.");
    }
    Map<String, Object> errorRates = new LinkedHashMap<>();
    errorRates.put("sample", fitted.outOfFold() != null ? "held-out fold scored by the final model plus calibrated out-of-fold scores of the training part"
        : "held-out fold scored by the final model");
    errorRates.put("accounts", accountRates);
    errorRates.put("posts", postRates);
    errorRates.put("strata", strata);
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
    fitted.features().dropped().forEach((f, why) -> params.put("feature_left_out." + f, why));
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    String id = "rf-" + stamp + "-" + Integer.toHexString(java.util.Objects.hash(trainAll, trainBots, seed, fitted.features().kept()));
    java.util.function.Function<String, Double> a = k -> (Double) accountRates.get(k);
    ModelMetadata md =
        new ModelMetadata(
            id, Instant.now().toString(), fitted.features().kept(), trainAll, trainBots, positives, negatives, threshold,
            a.apply("tpr"), a.apply("fpr"), a.apply("mean_score_positive"), a.apply("mean_score_negative"),
            a.apply("sd_score_positive"), a.apply("sd_score_negative"), auc, params, cv, holdoutMetrics, errorRates);
    return new Trained(probe, md);
  }

  /**
   * Lower bounds of the activity strata (the account's posts in its archive) within which error
   * rates are measured and applied: a classifier errs differently on silent, occasional and
   * prolific accounts, and slices of posting accounts hold a different mix of them than the whole
   * archive. Prior shift is then assumed within each stratum only.
   */
  public static final long[] ACTIVITY_STRATA = {0, 1, 5, 20, 100};

  /** Stratum index of a posts count (null counts as 0). */
  public static Column activityStratum(Column posts) {
    Column n = org.apache.spark.sql.functions.coalesce(posts, lit(0L));
    Column k = lit(0);
    for (int i = 1; i < ACTIVITY_STRATA.length; i++) {
      k = when(n.geq(ACTIVITY_STRATA[i]), i).otherwise(k);
    }
    return k;
  }

  /** Per activity stratum: its bounds and its account and post-weighted rates. */
  static List<Map<String, Object>> strataRates(Dataset<Row> rateSample, double threshold) {
    List<Map<String, Object>> out = new ArrayList<>();
    Dataset<Row> withStratum = rateSample.withColumn("_stratum", activityStratum(col(AccountFeatures.POSTS).cast("long")));
    for (int k = 0; k < ACTIVITY_STRATA.length; k++) {
      Dataset<Row> in = withStratum.filter(col("_stratum").equalTo(k));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stratum", k);
      m.put("min_posts", ACTIVITY_STRATA[k]);
      m.put("max_posts", k + 1 < ACTIVITY_STRATA.length ? ACTIVITY_STRATA[k + 1] - 1 : null);
      m.put("accounts", rates(in, threshold, lit(1.0)));
      m.put("posts", rates(in, threshold, org.apache.spark.sql.functions.coalesce(col(AccountFeatures.POSTS).cast("double"), lit(0.0))));
      out.add(m);
    }
    return out;
  }

  /**
   * Weighted error rates of (label, bot_probability) rows at {@code threshold}: tpr, fpr, per-class
   * mean and spread of the scores, and the effective class sizes (sum w)^2 / sum w^2 that set their
   * sampling error (the plain counts when every weight is 1).
   */
  static Map<String, Object> rates(Dataset<Row> rows, double threshold, Column weight) {
    Column p = col(AccountScores.BOT_PROBABILITY);
    Column w = weight;
    Column flagged = when(p.geq(threshold), 1.0).otherwise(0.0);
    Row r = rows.agg(
        sum(when(col(LABEL).equalTo(1.0), w)), sum(when(col(LABEL).equalTo(0.0), w)),
        sum(when(col(LABEL).equalTo(1.0), w.multiply(flagged))), sum(when(col(LABEL).equalTo(0.0), w.multiply(flagged))),
        sum(when(col(LABEL).equalTo(1.0), w.multiply(p))), sum(when(col(LABEL).equalTo(0.0), w.multiply(p))),
        sum(when(col(LABEL).equalTo(1.0), w.multiply(p).multiply(p))), sum(when(col(LABEL).equalTo(0.0), w.multiply(p).multiply(p))),
        sum(when(col(LABEL).equalTo(1.0), w.multiply(w))), sum(when(col(LABEL).equalTo(0.0), w.multiply(w)))).first();
    double[] v = new double[10];
    for (int i = 0; i < 10; i++) {
      v[i] = r.isNullAt(i) ? 0 : ((Number) r.get(i)).doubleValue();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tpr", v[0] > 0 ? v[2] / v[0] : 0.0);
    m.put("fpr", v[1] > 0 ? v[3] / v[1] : 0.0);
    double m1 = v[0] > 0 ? v[4] / v[0] : 0.0;
    double m0 = v[1] > 0 ? v[5] / v[1] : 0.0;
    m.put("mean_score_positive", m1);
    m.put("mean_score_negative", m0);
    m.put("sd_score_positive", v[0] > 0 ? Math.sqrt(Math.max(0, v[6] / v[0] - m1 * m1)) : 0.0);
    m.put("sd_score_negative", v[1] > 0 ? Math.sqrt(Math.max(0, v[7] / v[1] - m0 * m0)) : 0.0);
    m.put("effective_positives", v[8] > 0 ? v[0] * v[0] / v[8] : 0.0);
    m.put("effective_negatives", v[9] > 0 ? v[1] * v[1] / v[9] : 0.0);
    return m;
  }

  /** A fitted model with its threshold, the chosen grid point and the cross-validation record. */
  public record Fitted(PipelineModel model, double threshold, Candidate chosen, Map<String, Object> crossValidation, Dataset<Row> outOfFold,
      FeatureSelection features) {}

  /** The features a model uses, and each left out with the reason. */
  public record FeatureSelection(List<String> kept, Map<String, String> dropped) {}

  /**
   * The features whose availability does not identify the labeled set an account comes from. A
   * feature that one labeled set provides and another lacks entirely (caverlee-2011 has six profile
   * fields; botwiki-2019, all bots, has the full v1.1 profile) lets the forest learn "this field is
   * present, so this is the all-bot set": a label leak through the set's layout, which then flags
   * every account of any complete set as a bot (leaving cresci-2015 out of training ranked it
   * backwards, ROC-AUC 0.02). Such features are left out; with one labeled set nothing is. A
   * feature missing for some accounts of every set (posting behaviour of silent accounts) stays:
   * there the missing value is behaviour, not layout.
   */
  public static FeatureSelection usableFeatures(Dataset<Row> labeled) {
    List<Column> aggs = new ArrayList<>();
    for (String f : AccountFeatures.FEATURE_COLUMNS) {
      aggs.add(count(col(f)).as(f));
    }
    // One row per labeled set: bounded by the number of sets.
    List<Row> perSource = labeled.groupBy(SOURCE).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).collectAsList();
    List<String> kept = new ArrayList<>();
    Map<String, String> dropped = new LinkedHashMap<>();
    for (String f : AccountFeatures.FEATURE_COLUMNS) {
      List<String> lacking = new ArrayList<>();
      boolean someHave = false;
      for (Row r : perSource) {
        if (r.<Long>getAs(f) == 0L) {
          lacking.add(r.getString(0));
        } else {
          someHave = true;
        }
      }
      if (someHave && !lacking.isEmpty()) {
        java.util.Collections.sort(lacking);
        dropped.put(f, "absent from labeled set(s) " + String.join(", ", lacking) + " but present in others");
      } else {
        kept.add(f);
      }
    }
    return new FeatureSelection(List.copyOf(kept), dropped);
  }

  /**
   * Steps 2 to 4 of {@link #train(Dataset, long, int)} on all of {@code train}: grid search by
   * out-of-fold ROC-AUC, isotonic calibration on the out-of-fold scores, refit.
   * With {@code cvFolds} under 2: the default grid point, uncalibrated, threshold 0.5.
   */
  public static Fitted fit(Dataset<Row> train, long seed, int cvFolds) {
    FeatureSelection features = usableFeatures(train);
    Candidate chosen = GRID.get(1);
    Map<String, Object> cv = new LinkedHashMap<>();
    IsotonicRegressionModel calibrator = null;
    Dataset<Row> outOfFold = null;
    double threshold = THRESHOLD;
    if (cvFolds >= 2) {
      Dataset<Row> trainFolds = train.withColumn("_cv", pmod(xxhash64(col(AccountFeatures.ACCOUNT_ID), lit(seed + 7)), lit(cvFolds))).cache();
      double bestAuc = -1;
      Dataset<Row> bestOof = null;
      List<Map<String, Object>> grid = new ArrayList<>();
      List<Dataset<Row>> oofs = outOfFold(trainFolds, GRID, cvFolds, seed, features.kept());
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
      threshold = bestThreshold(calibrated, BotModel::f1);
      outOfFold = calibrated.select(col(AccountFeatures.ACCOUNT_ID), col(LABEL), col(AccountScores.BOT_PROBABILITY), col(AccountFeatures.POSTS));
      cv.put("folds", cvFolds);
      cv.put("grid", grid);
      cv.put("chosen", chosen.params());
      cv.put("calibration", "isotonic regression on out-of-fold scores");
      cv.put("threshold_rule", "max F1 of the bot class on calibrated out-of-fold scores");
      cv.put("youden_threshold", bestThreshold(calibrated, BotModel::youden));
      cv.put("oof_metrics_calibrated", Evaluation.metrics(calibrated, threshold));
    }
    PipelineModel forest = pipeline(seed, chosen, features.kept()).fit(train);
    PipelineModel model = calibrator == null ? forest : withCalibrator(forest, calibrator, train);
    return new Fitted(model, threshold, chosen, cv, outOfFold, features);
  }

  /**
   * Out-of-fold raw forest scores (account, label, probability, raw) of each grid point over the
   * {@code _cv} folds. The grid x folds forests are fitted concurrently: on small labeled sets each
   * fit is a chain of tiny Spark jobs, so running them side by side keeps the cores busy.
   */
  static List<Dataset<Row>> outOfFold(Dataset<Row> trainFolds, List<Candidate> grid, int folds, long seed, List<String> features) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(grid.size() * folds, FIT_THREADS));
    try {
      List<List<java.util.concurrent.Future<Dataset<Row>>>> futures = new ArrayList<>();
      for (Candidate c : grid) {
        List<java.util.concurrent.Future<Dataset<Row>>> perFold = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
          int fold = k;
          perFold.add(pool.submit(() -> {
            PipelineModel m = pipeline(seed, c, features).fit(trainFolds.filter(col("_cv").notEqual(fold)));
            return rawScore(m, trainFolds.filter(col("_cv").equalTo(fold)))
                .select(col(AccountFeatures.ACCOUNT_ID), col(LABEL), col(PROBABILITY), col(RAW), col(AccountFeatures.POSTS))
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

  /** Youden's J: tpr - fpr. */
  static double youden(double tp, double fp, double pos, double neg) {
    return (pos == 0 ? 0 : tp / pos) - (neg == 0 ? 0 : fp / neg);
  }

  /** The bot class's F1: tp / (tp + (fp + fn) / 2). */
  static double f1(double tp, double fp, double pos, double neg) {
    return tp == 0 ? 0 : tp / (tp + 0.5 * (fp + pos - tp));
  }

  /** A threshold rule: the value to maximise given tp, fp and the class sizes. */
  interface Rule {
    double value(double tp, double fp, double pos, double neg);
  }

  /**
   * The calibrated score s maximising {@code rule} when flagging p >= s. Scores are grouped by value
   * first: isotonic output is a step function with at most one value per step, so this is small.
   */
  static double bestThreshold(Dataset<Row> scored, Rule rule) {
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
      double v = rule.value(tp, fp, pos, neg);
      if (v > best + 1e-12) {
        best = v;
        threshold = step.getDouble(0);
      }
    }
    return threshold;
  }

  /** account_scores rows for every account in {@code features}. */
  public static Dataset<Row> score(PipelineModel model, ModelMetadata md, Dataset<Row> features) {
    Contributions forest = contributions(model);
    Transformer[] stages = model.stages();
    int rf = 0;
    while (!(stages[rf] instanceof org.apache.spark.ml.classification.RandomForestClassificationModel)) {
      rf++;
    }
    boolean calibrated = stages[stages.length - 1] instanceof IsotonicRegressionModel;
    if (!forest.walkable() || stages.length - rf > (calibrated ? 2 : 1)) {
      // A forest with categorical splits or more than two classes, or stages after it other than
      // the calibrator: MLlib's own transform, and the attributions in a walk of their own.
      return scoreByMllib(model, md, features);
    }
    // The stages before the forest (imputation, assembler) as fitted; then one walk of the trees
    // gives both the forest's probability and the attributions; then the calibrator, if any, reads
    // the class-1 entry of the probability vector as it does after MLlib's forest.
    Dataset<Row> x = features;
    for (int k = 0; k < rf; k++) {
      x = stages[k].transform(x);
    }
    String s = "_score";
    x = x.withColumn(s, forest.scoreColumn(VECTOR));
    Column p1 = col(s + "." + Contributions.P1);
    if (calibrated) {
      x = stages[stages.length - 1].transform(
          x.withColumn(PROBABILITY, org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.array(lit(1.0).minus(p1), p1))));
      x = x.withColumn(AccountScores.BOT_PROBABILITY, col(CALIBRATED));
    } else {
      x = x.withColumn(AccountScores.BOT_PROBABILITY, p1);
    }
    return scored(x, md, col(s + "." + AccountScores.TOP_FEATURES));
  }

  /** {@link #score} through MLlib's forest transform, with the attributions in a walk of their own. */
  static Dataset<Row> scoreByMllib(PipelineModel model, ModelMetadata md, Dataset<Row> features) {
    return scored(withProbability(model, features), md, contributions(model).column(VECTOR));
  }

  private static Dataset<Row> scored(Dataset<Row> withProbability, ModelMetadata md, Column topFeatures) {
    return withProbability
        .select(
            col(AccountFeatures.ACCOUNT_ID),
            col(AccountFeatures.PLATFORM),
            col(AccountScores.BOT_PROBABILITY),
            col(AccountScores.BOT_PROBABILITY).geq(md.threshold()).as(AccountScores.IS_LIKELY_BOT),
            lit(md.modelId()).as(AccountScores.MODEL_ID),
            topFeatures.as(AccountScores.TOP_FEATURES));
  }

  /** Path attributions of the model's forest over the assembler's features. */
  static Contributions contributions(PipelineModel model) {
    org.apache.spark.ml.classification.RandomForestClassificationModel forest = null;
    List<String> names = null;
    for (Transformer t : model.stages()) {
      if (t instanceof org.apache.spark.ml.classification.RandomForestClassificationModel rf) {
        forest = rf;
      } else if (t instanceof VectorAssembler a) {
        names = java.util.Arrays.stream(a.getInputCols()).map(c -> c.endsWith(IMPUTED_SUFFIX) ? c.substring(0, c.length() - IMPUTED_SUFFIX.length()) : c).toList();
      }
    }
    if (forest == null || names == null) {
      throw new ChorusException("The model has no random forest and feature assembler: it was not written by Chorus train. Fix: retrain it.");
    }
    return Contributions.of(forest, names);
  }
}
