package io.chorus.estimate;

import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.model.ModelMetadata;
import io.chorus.schema.AccountScores;
import io.chorus.schema.BotShare;
import io.chorus.schema.Posts;
import io.chorus.spark.Stages;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads account_scores, posts and the model's error rates, and writes bot_share. */
public final class EstimateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EstimateJob.class);

  private EstimateJob() {}

  public static long run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    LOG.info("Starting estimate with {}", cfg);
    Stages.Timer timer = Stages.start("estimate");
    ModelMetadata md = ModelMetadata.read(spark, cfg.model());
    Dataset<Row> scores = Tables.read(spark, AccountScores.TABLE_SCHEMA, cfg.tablePaths(java.util.List.of(), AccountScores.TABLE), cfg.runDate());
    Dataset<Row> posts = Tables.read(spark, Posts.TABLE_SCHEMA, cfg.tablePaths(java.util.List.of(), Posts.TABLE), cfg.runDate());
    Dataset<Row> share = BotShareEstimator.estimate(scores, posts, BotShareEstimator.Rates.of(md), cfg.bootstrap(), cfg.seed(), cfg.minSupport());
    Stages.step(spark, "estimate", cfg.bootstrap() + " bootstrap replicates per slice", () ->
        Tables.write(share, BotShare.TABLE_SCHEMA, cfg.output(), cfg.runDate()));
    long rows = Tables.countWritten(spark, BotShare.TABLE_SCHEMA, cfg.output(), cfg.runDate());
    manifest.count(BotShare.TABLE, rows);
    timer.done(scores.count(), rows);
    return rows;
  }
}
