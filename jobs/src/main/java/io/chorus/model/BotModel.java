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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
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
            .setNumTrees(TREES)
            .setMaxDepth(DEPTH)
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

  public static Dataset<Row> withProbability(PipelineModel model, Dataset<Row> features) {
    return model.transform(features).withColumn(AccountScores.BOT_PROBABILITY, element_at(vector_to_array(col(PROBABILITY), "float64"), 2));
  }

  public record Trained(PipelineModel model, ModelMetadata metadata) {}

  /**
   * Fits on four hashed folds and measures the error rates on the fifth. The measured model is the
   * one saved: bot-share correction needs the error rates of the model that actually scores.
   */
  public static Trained train(Dataset<Row> labeled, long seed) {
    Dataset<Row> fold = labeled.withColumn("_fold", pmod(xxhash64(col(AccountFeatures.ACCOUNT_ID), lit(seed)), lit(HOLDOUT_FOLDS)));
    Dataset<Row> trainPart = fold.filter(col("_fold").notEqual(0));
    Dataset<Row> holdout = fold.filter(col("_fold").equalTo(0));
    PipelineModel probe = pipeline(seed).fit(trainPart);
    Dataset<Row> scored = withProbability(probe, holdout).cache();
    Column p = col(AccountScores.BOT_PROBABILITY);
    Column y = col(LABEL);
    Map<String, Object> holdoutMetrics = Evaluation.metrics(scored, THRESHOLD);
    @SuppressWarnings("unchecked")
    Map<String, Long> confusion = (Map<String, Long>) holdoutMetrics.get("confusion");
    long positives = confusion.get("tp") + confusion.get("fn");
    long negatives = confusion.get("fp") + confusion.get("tn");
    if (positives == 0 || negatives == 0) {
      scored.unpersist();
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
    Map<String, String> params = new LinkedHashMap<>();
    params.put("algorithm", "random_forest");
    params.put("trees", String.valueOf(TREES));
    params.put("max_depth", String.valueOf(DEPTH));
    params.put("seed", String.valueOf(seed));
    params.put("missing_value", String.valueOf(MISSING));
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    String id = "rf-" + stamp + "-" + Integer.toHexString(java.util.Objects.hash(trainAll, trainBots, seed, AccountFeatures.FEATURE_COLUMNS));
    ModelMetadata md =
        new ModelMetadata(
            id, Instant.now().toString(), List.copyOf(AccountFeatures.FEATURE_COLUMNS), trainAll, trainBots, positives, negatives, THRESHOLD,
            confusion.get("tp") / (double) positives, confusion.get("fp") / (double) negatives, r.getDouble(0), r.getDouble(1),
            r.isNullAt(2) ? 0 : r.getDouble(2), r.isNullAt(3) ? 0 : r.getDouble(3), auc, params);
    return new Trained(probe, md);
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
