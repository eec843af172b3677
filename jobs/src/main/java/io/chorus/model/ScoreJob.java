package io.chorus.model;

import io.chorus.ChorusException;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.AccountScores;
import io.chorus.spark.Stages;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scores every account in account_features with the model and writes account_scores. */
public final class ScoreJob {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);

  private ScoreJob() {}

  public static PipelineModel load(SparkSession spark, String modelDir) {
    ModelMetadata.read(spark, modelDir);
    try {
      return PipelineModel.load(modelDir + "/" + ModelMetadata.PIPELINE);
    } catch (RuntimeException e) {
      throw new ChorusException("Cannot load the model pipeline under " + modelDir + ": " + e.getMessage()
          + ". Fix: retrain with 'chorus train' into that directory.", e);
    }
  }

  public static long run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    LOG.info("Starting score with {}", cfg);
    Stages.Timer timer = Stages.start("score");
    ModelMetadata md = ModelMetadata.read(spark, cfg.model());
    PipelineModel model = load(spark, cfg.model());
    Dataset<Row> features = Tables.read(spark, AccountFeatures.TABLE_SCHEMA, cfg.tablePaths(java.util.List.of(), AccountFeatures.TABLE), cfg.runDate());
    Stages.step(spark, "score", "apply model " + md.modelId(), () ->
        Tables.write(BotModel.score(model, md, features), AccountScores.TABLE_SCHEMA, cfg.output(), cfg.runDate()));
    long rows = Tables.countWritten(spark, AccountScores.TABLE_SCHEMA, cfg.output(), cfg.runDate());
    manifest.count(AccountScores.TABLE, rows);
    manifest.put("model_id", md.modelId());
    timer.done(rows, rows);
    return rows;
  }
}
