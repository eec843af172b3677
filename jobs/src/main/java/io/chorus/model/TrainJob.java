package io.chorus.model;

import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.Labels;
import io.chorus.spark.Stages;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Trains the bot classifier on account_features joined to labels and writes the model directory. */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  private TrainJob() {}

  public static ModelMetadata run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    LOG.info("Starting train with {}", cfg);
    Stages.Timer timer = Stages.start("train");
    var featurePaths = cfg.tablePaths(java.util.List.of(), AccountFeatures.TABLE);
    var labelPaths = cfg.tablePaths(cfg.labels(), Labels.TABLE);
    Dataset<Row> features = Tables.read(spark, AccountFeatures.TABLE_SCHEMA, featurePaths, cfg.runDate());
    Dataset<Row> labels = Tables.read(spark, Labels.TABLE_SCHEMA, labelPaths, cfg.runDate());
    manifest.input(Labels.TABLE, labelPaths);
    Dataset<Row> labeled = Stages.step(spark, "train", "join features and labels", () -> BotModel.labeled(features, labels)).cache();
    BotModel.Trained t = Stages.step(spark, "train", "fit random forest (" + cfg.cvFolds() + "-fold grid search, calibration)",
        () -> BotModel.train(labeled, cfg.seed(), cfg.cvFolds()));
    try {
      t.model().write().overwrite().save(cfg.model() + "/" + ModelMetadata.PIPELINE);
    } catch (IOException e) {
      throw new io.chorus.ChorusException("Cannot save the model to " + cfg.model() + ": " + e.getMessage(), e);
    }
    t.metadata().write(spark, cfg.model());
    labeled.unpersist();
    ModelMetadata md = t.metadata();
    LOG.info(String.format(Locale.ROOT, "Model %s (%s): holdout AUC %.4f, threshold %.4f, TPR %.4f, FPR %.4f", md.modelId(), md.params(),
        md.holdoutRocAuc(), md.threshold(), md.tpr(), md.fpr()));
    manifest.put("model", md);
    timer.done(md.trainAccounts(), 1);
    return md;
  }
}
