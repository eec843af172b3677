package io.chorus.influence;

import io.chorus.config.JobConfig;
import io.chorus.estimate.BotShareEstimator;
import io.chorus.features.FeatureCalc;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.model.ModelMetadata;
import io.chorus.schema.AccountScores;
import io.chorus.schema.Coordination;
import io.chorus.schema.Accounts;
import io.chorus.schema.Influence;
import io.chorus.schema.Posts;
import io.chorus.schema.TableSchema;
import io.chorus.schema.Watchlist;
import io.chorus.spark.Stages;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes account_influence, topic_influence and watchlist_influence. */
public final class InfluenceJob {
  private static final Logger LOG = LoggerFactory.getLogger(InfluenceJob.class);

  private InfluenceJob() {}

  public static void run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    Stages.withDefaultConf(spark, Stages.TWO_LEVEL_AGG_MAP, "false", () -> measure(spark, cfg, manifest));
  }

  private static void measure(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    LOG.info("Starting influence with {}", cfg);
    Stages.Timer timer = Stages.start("influence");
    String d = cfg.runDate();
    Dataset<Row> posts = Tables.read(spark, Posts.TABLE_SCHEMA, cfg.tablePaths(List.of(), Posts.TABLE), d);
    Dataset<Row> scores = Tables.read(spark, AccountScores.TABLE_SCHEMA, cfg.tablePaths(List.of(), AccountScores.TABLE), d);
    // The latest profile of each account and the screen-name index are each read by several of the
    // tables below (names, followers, mentions, the watchlist): computed once, with only the
    // columns used here. Both have about one row per account.
    Dataset<Row> latest = Tables.readOptional(spark, Accounts.TABLE_SCHEMA, cfg.tablePaths(cfg.accounts(), Accounts.TABLE), d)
        .map(a -> FeatureCalc.latestSnapshot(a, Accounts.SCREEN_NAME, Accounts.FOLLOWERS_COUNT)
            .select(Accounts.PLATFORM, Accounts.ACCOUNT_ID, Accounts.SCREEN_NAME, Accounts.FOLLOWERS_COUNT)
            .persist(StorageLevel.MEMORY_AND_DISK()))
        .orElse(null);
    ModelMetadata md = ModelMetadata.read(spark, cfg.model());
    // Coordination clusters, when the coordination stage ran for this date, mark coordinated amplifiers.
    Dataset<Row> coordinated = Tables.readOptional(spark, Coordination.CLUSTERS_TABLE_SCHEMA, cfg.tablePaths(List.of(), Coordination.CLUSTERS_TABLE), d)
        .orElse(null);
    boolean coordinationRun = coordinated != null;
    Dataset<Row> names = InfluenceMetrics.screenNames(posts, latest).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> events = InfluenceMetrics.withAmplifierFlags(InfluenceMetrics.events(posts, names), scores, coordinated)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Stages.step(spark, "influence", "account influence and PageRank", () -> Tables.write(
        InfluenceMetrics.accountInfluence(posts, events, scores, latest, coordinationRun, PageRank.MAX_ITERATIONS),
        Influence.ACCOUNT_TABLE_SCHEMA, cfg.output(), d));
    Stages.step(spark, "influence", "topic influence per day", () -> Tables.write(
        InfluenceMetrics.topicInfluence(posts, events, scores, BotShareEstimator.Rates.postsOf(md), coordinated),
        Influence.TOPIC_TABLE_SCHEMA, cfg.output(), d));
    List<String> watchPaths = cfg.tablePaths(cfg.watchlist(), Watchlist.TABLE);
    Dataset<Row> watchlist = Tables.readOptional(spark, Watchlist.TABLE_SCHEMA, watchPaths, d)
        .orElseGet(() -> {
          LOG.warn("No watchlist at {}: watchlist_influence will be empty", watchPaths);
          return spark.createDataFrame(List.of(), Watchlist.SCHEMA);
        });
    Stages.step(spark, "influence", "watchlist influence per day", () -> Tables.write(
        InfluenceMetrics.watchlistInfluence(posts, events, InfluenceMetrics.resolveWatchlist(watchlist, names), coordinationRun),
        Influence.WATCHLIST_TABLE_SCHEMA, cfg.output(), d));
    events.unpersist();
    names.unpersist();
    if (latest != null) {
      latest.unpersist();
    }
    long total = 0;
    for (TableSchema t : List.of(Influence.ACCOUNT_TABLE_SCHEMA, Influence.TOPIC_TABLE_SCHEMA, Influence.WATCHLIST_TABLE_SCHEMA)) {
      long rows = Tables.countWritten(spark, t, cfg.output(), d);
      manifest.count(t.name(), rows);
      total += rows;
    }
    timer.done(posts.count(), total);
  }
}
