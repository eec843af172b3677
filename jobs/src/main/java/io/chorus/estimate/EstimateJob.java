package io.chorus.estimate;

import io.chorus.config.JobConfig;
import io.chorus.features.FeatureCalc;
import io.chorus.influence.InfluenceMetrics;
import io.chorus.schema.Accounts;
import io.chorus.schema.Coordination;
import io.chorus.schema.Watchlist;
import java.util.List;
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
    return Stages.withDefaultConf(spark, Stages.TWO_LEVEL_AGG_MAP, "false", () -> estimate(spark, cfg, manifest));
  }

  private static long estimate(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    LOG.info("Starting estimate with {}", cfg);
    Stages.Timer timer = Stages.start("estimate");
    ModelMetadata md = ModelMetadata.read(spark, cfg.model());
    Dataset<Row> scores = Tables.read(spark, AccountScores.TABLE_SCHEMA, cfg.tablePaths(java.util.List.of(), AccountScores.TABLE), cfg.runDate());
    Dataset<Row> posts = Tables.read(spark, Posts.TABLE_SCHEMA, cfg.tablePaths(java.util.List.of(), Posts.TABLE), cfg.runDate());
    String d = cfg.runDate();
    // actor_group slices need the watchlist; cluster slices the coordination stage's clusters. Either may be absent.
    Dataset<Row> extra = null;
    var watchlist = Tables.readOptional(spark, Watchlist.TABLE_SCHEMA, cfg.tablePaths(cfg.watchlist(), Watchlist.TABLE), d);
    if (watchlist.isPresent()) {
      var latest = Tables.readOptional(spark, Accounts.TABLE_SCHEMA, cfg.tablePaths(cfg.accounts(), Accounts.TABLE), d)
          .map(a -> FeatureCalc.latestSnapshot(a, Accounts.SCREEN_NAME)).orElse(null);
      extra = BotShareEstimator.actorGroupMemberships(posts,
          InfluenceMetrics.resolveWatchlist(watchlist.get(), InfluenceMetrics.screenNames(posts, latest)));
    }
    var clusters = Tables.readOptional(spark, Coordination.CLUSTERS_TABLE_SCHEMA, cfg.tablePaths(List.of(), Coordination.CLUSTERS_TABLE), d);
    if (clusters.isPresent()) {
      Dataset<Row> c = BotShareEstimator.clusterMemberships(posts, clusters.get());
      extra = extra == null ? c : extra.unionByName(c);
    }
    Dataset<Row> share = BotShareEstimator.estimate(scores, posts, extra, BotShareEstimator.UnitRates.of(md), cfg.bootstrap(), cfg.seed(),
        cfg.minSupport(), cfg.maxTopics());
    Stages.step(spark, "estimate", cfg.bootstrap() + " bootstrap replicates per slice", () ->
        Tables.write(share, BotShare.TABLE_SCHEMA, cfg.output(), cfg.runDate()));
    long rows = Tables.countWritten(spark, BotShare.TABLE_SCHEMA, cfg.output(), cfg.runDate());
    manifest.count(BotShare.TABLE, rows);
    timer.done(scores.count(), rows);
    return rows;
  }
}
