package io.chorus.features;

import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.Accounts;
import io.chorus.schema.Posts;
import io.chorus.spark.Stages;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads canonical posts and accounts and writes account_features for the run date. */
public final class FeaturesJob {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturesJob.class);

  private FeaturesJob() {}

  public static long run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    LOG.info("Starting features with {}", cfg);
    Stages.Timer timer = Stages.start("features");
    var postPaths = cfg.tablePaths(java.util.List.of(), Posts.TABLE);
    var accountPaths = cfg.tablePaths(cfg.accounts(), Accounts.TABLE);
    Dataset<Row> posts = Tables.read(spark, Posts.TABLE_SCHEMA, postPaths, cfg.runDate());
    Dataset<Row> accounts = Tables.readOptional(spark, Accounts.TABLE_SCHEMA, accountPaths, cfg.runDate()).orElse(null);
    manifest.input("features.posts", postPaths);
    // The latest profile per account is read three times (profile, bigram model, each name's
    // bigrams); persisted, the accounts are read and reduced to it once.
    Dataset<Row> latest = accounts == null ? null : FeatureCalc.latestProfile(accounts).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> features = FeatureCalc.computeFromLatest(posts, latest);
    try {
      Stages.step(spark, "features", "per-account aggregates", () -> Tables.write(features, AccountFeatures.TABLE_SCHEMA, cfg.output(), cfg.runDate()));
    } finally {
      if (latest != null) {
        latest.unpersist();
      }
    }
    long rows = Tables.countWritten(spark, AccountFeatures.TABLE_SCHEMA, cfg.output(), cfg.runDate());
    manifest.count(AccountFeatures.TABLE, rows);
    timer.done(posts.count(), rows);
    return rows;
  }
}
