package io.chorus.generate;

import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import io.chorus.schema.Truth;
import io.chorus.schema.Watchlist;
import io.chorus.spark.Stages;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a synthetic archive: canonical posts, accounts, labels, watchlist, and truth tables. */
public final class GenerateJob {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateJob.class);

  private GenerateJob() {}

  public static RunManifest run(SparkSession spark, GenerateConfig cfg) {
    LOG.info("Starting generate with {}", cfg);
    Stages.Timer timer = Stages.start("generate");
    RunManifest manifest = new RunManifest("generate", cfg.start().toString(), cfg.flags());
    SyntheticArchive archive = new SyntheticArchive(cfg);
    Dataset<Row> pop =
        Stages.step(spark, "generate", "population and post counts", () -> archive.withPostCounts(archive.population(spark)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    String out = cfg.output();
    Stages.step(spark, "generate", "accounts", () -> Tables.writePlain(archive.profiles(pop), Accounts.TABLE_SCHEMA, out));
    Stages.step(spark, "generate", "labels", () -> Tables.writePlain(archive.labels(pop), Labels.TABLE_SCHEMA, out));
    Stages.step(spark, "generate", "watchlist", () -> Tables.writePlain(archive.watchlist(pop), Watchlist.TABLE_SCHEMA, out));
    Dataset<Row> truthAccounts = SyntheticArchive.truthAccounts(pop);
    Stages.step(spark, "generate", "truth accounts", () -> Tables.writePlain(truthAccounts, Truth.ACCOUNTS_TABLE_SCHEMA, out + "/truth"));
    // Clean posts are materialised once: they feed both the published (dirtied) posts and the truth.
    String cleanPath = out + "/truth/clean_posts";
    Stages.step(spark, "generate", "posts", () -> archive.posts(pop).write().mode("overwrite").parquet(cleanPath));
    spark.catalog().clearCache();
    Dataset<Row> clean = spark.read().parquet(cleanPath);
    Stages.step(spark, "generate", "planted ingest defects", () -> Tables.writePlain(archive.withDefects(clean), Posts.TABLE_SCHEMA, out));
    Stages.step(spark, "generate", "truth bot share", () -> Tables.writePlain(
        SyntheticArchive.truthBotShare(clean, spark.read().parquet(out + "/truth/" + Truth.ACCOUNTS_TABLE)), Truth.BOT_SHARE_TABLE_SCHEMA, out + "/truth"));
    long accounts = spark.read().parquet(out + "/" + Accounts.TABLE).count();
    long posts = spark.read().parquet(out + "/" + Posts.TABLE).count();
    manifest.count(Accounts.TABLE, accounts);
    manifest.count(Posts.TABLE, posts);
    manifest.put("campaigns", archive.campaigns());
    timer.done(0, posts);
    return manifest;
  }
}
