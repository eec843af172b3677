package io.chorus.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.ChorusException;
import io.chorus.io.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a model directory records beside the PipelineModel: the features, the training set, the
 * threshold and its held-out error rates. Bot-share estimation corrects with tpr/fpr (ACC) and
 * meanScorePositive/meanScoreNegative (PACC); the counts give their sampling uncertainty.
 * crossValidation holds the hyper-parameter grid with each point's out-of-fold ROC-AUC, the chosen
 * point and the calibrated out-of-fold metrics; holdoutMetrics the full metrics on the held-out fold.
 *
 * <p>The rates (tpr, fpr, mean scores and their spreads, with holdoutPositives/holdoutNegatives as
 * their sample sizes) are measured on the rate sample: the held-out fold scored by the final model
 * plus the calibrated out-of-fold scores of the training part, i.e. every labeled account scored by
 * a model that did not train on it (Forman 2008 estimates them by cross-validation). errorRates
 * records the sample and the same rates weighted by each account's posts, which bot_share's posts
 * unit corrects with; it is null in models trained before it existed.
 */
public record ModelMetadata(
    String modelId,
    String trainedAt,
    List<String> features,
    long trainAccounts,
    long trainBots,
    long holdoutPositives,
    long holdoutNegatives,
    double threshold,
    double tpr,
    double fpr,
    double meanScorePositive,
    double meanScoreNegative,
    double sdScorePositive,
    double sdScoreNegative,
    double holdoutRocAuc,
    Map<String, String> params,
    Map<String, Object> crossValidation,
    Map<String, Object> holdoutMetrics,
    Map<String, Object> errorRates) {

  public static final String FILE = "metadata.json";
  public static final String PIPELINE = "pipeline";

  public void write(SparkSession spark, String modelDir) {
    String path = modelDir + "/" + FILE;
    try {
      Tables.writeJson(spark, path, this);
    } catch (IOException e) {
      throw new ChorusException("Cannot write model metadata " + path + ": " + e.getMessage(), e);
    }
  }

  public static ModelMetadata read(SparkSession spark, String modelDir) {
    String path = modelDir + "/" + FILE;
    if (!Tables.exists(spark, path)) {
      throw new ChorusException("No model at " + modelDir + " (missing " + FILE + "). Fix: train one with 'chorus train --input <run output>"
          + " --labels <labels> --model " + modelDir + "', or pass --model with an existing model directory.");
    }
    try (InputStream in = Tables.fs(spark, path).open(new Path(path))) {
      return new ObjectMapper().readValue(in, ModelMetadata.class);
    } catch (IOException e) {
      throw new ChorusException("Cannot read model metadata " + path + ": " + e.getMessage(), e);
    }
  }
}
