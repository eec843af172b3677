package io.chorus.features;

import static io.chorus.schema.AccountFeatures.*;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.chorus.schema.AccountFeatures;
import io.chorus.schema.Accounts;
import io.chorus.schema.Posts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Per-account features as built-in Column expressions; behaviour features in one aggregation. */
public final class FeatureCalc {
  /** A repost within this many seconds of its parent counts as fast. */
  public static final long FAST_REPOST_SECONDS = 60;
  static final String GAP = "_gap";
  static final String HOUR = "_hour";
  static final String PARENT_TS = "_parent_ts";
  static final String SECONDS_PER_DAY = "86400";

  private FeatureCalc() {}

  // ------------------------------------------------------------ profile features

  static Column digits(Column s) {
    return length(regexp_replace(coalesce(s, lit("")), "[^0-9]", "")).cast("double");
  }

  static Column ageDays() {
    return greatest(
        lit(1.0),
        unix_seconds(col(Accounts.OBSERVED_AT)).minus(unix_seconds(col(Accounts.ACCOUNT_CREATED_AT))).divide(86_400.0));
  }

  static Column growth(String count) {
    return col(count).cast("double").divide(ageDays());
  }

  /** The latest snapshot per account. */
  public static Dataset<Row> latestSnapshot(Dataset<Row> accounts) {
    return accounts
        .groupBy(Accounts.PLATFORM, Accounts.ACCOUNT_ID)
        .agg(max_by(struct(col("*")), col(Accounts.OBSERVED_AT)).as("s"))
        .select("s.*");
  }

  /** BotometerLite-style profile features from the latest snapshot. */
  public static Dataset<Row> profileFeatures(Dataset<Row> accounts) {
    return latestSnapshot(accounts)
        .select(
            col(Accounts.ACCOUNT_ID),
            col(Accounts.PLATFORM),
            lit(1.0).as(HAS_PROFILE),
            col(Accounts.FOLLOWERS_COUNT).cast("double").as(FOLLOWERS),
            col(Accounts.FRIENDS_COUNT).cast("double").as(FRIENDS),
            col(Accounts.STATUSES_COUNT).cast("double").as(STATUSES),
            col(Accounts.FAVOURITES_COUNT).cast("double").as(FAVOURITES),
            col(Accounts.LISTED_COUNT).cast("double").as(LISTED),
            col(Accounts.VERIFIED).cast("double").as(VERIFIED),
            col(Accounts.DEFAULT_PROFILE).cast("double").as(DEFAULT_PROFILE),
            col(Accounts.DEFAULT_PROFILE_IMAGE).cast("double").as(DEFAULT_PROFILE_IMAGE),
            col(Accounts.PROFILE_USE_BACKGROUND_IMAGE).cast("double").as(USE_BACKGROUND_IMAGE),
            ageDays().as(ACCOUNT_AGE_DAYS),
            growth(Accounts.FOLLOWERS_COUNT).as(FOLLOWERS_GROWTH),
            growth(Accounts.FRIENDS_COUNT).as(FRIENDS_GROWTH),
            growth(Accounts.STATUSES_COUNT).as(STATUSES_GROWTH),
            growth(Accounts.FAVOURITES_COUNT).as(FAVOURITES_GROWTH),
            growth(Accounts.LISTED_COUNT).as(LISTED_GROWTH),
            col(Accounts.FOLLOWERS_COUNT).cast("double").divide(greatest(col(Accounts.FRIENDS_COUNT).cast("double"), lit(1.0))).as(FOLLOWERS_FRIENDS_RATIO),
            coalesce(length(col(Accounts.SCREEN_NAME)), col(Accounts.SCREEN_NAME_LENGTH)).cast("double").as(SCREEN_NAME_LENGTH),
            digits(col(Accounts.SCREEN_NAME)).as(SCREEN_NAME_DIGITS),
            length(col(Accounts.DISPLAY_NAME)).cast("double").as(DISPLAY_NAME_LENGTH),
            digits(col(Accounts.DISPLAY_NAME)).as(DISPLAY_NAME_DIGITS),
            coalesce(length(col(Accounts.DESCRIPTION)), col(Accounts.DESCRIPTION_LENGTH), lit(0)).cast("double").as(DESCRIPTION_LENGTH));
  }

  // ------------------------------------------------------------ behaviour features

  static Column share(Column condition) {
    return avg(when(condition, 1.0).otherwise(0.0));
  }

  static Column perPost(String arrayCol) {
    return avg(coalesce(size(col(arrayCol)), lit(0)).cast("double"));
  }

  /** Shannon entropy in bits of the 24 hour-of-day counts. */
  static Column hourEntropy(List<Column> hourCounts, Column total) {
    Column h = lit(0.0);
    for (Column c : hourCounts) {
      Column p = c.divide(total);
      h = h.minus(when(c.gt(0), p.multiply(log(2.0, p))).otherwise(0.0));
    }
    return h;
  }

  /**
   * Adds the gap to the previous post of the same account and the parent's timestamp (for the
   * fast-repost share). The parent lookup is a join on post ids; parents outside the archive give null.
   */
  static Dataset<Row> enrich(Dataset<Row> posts) {
    Dataset<Row> parents = posts.select(col(Posts.PLATFORM).as("_pp"), col(Posts.POST_ID).as("_pid"), col(Posts.CREATED_AT).as(PARENT_TS));
    Column ts = unix_seconds(col(Posts.CREATED_AT));
    return posts
        .join(parents, col(Posts.PLATFORM).equalTo(col("_pp")).and(col(Posts.PARENT_POST_ID).equalTo(col("_pid"))), "left")
        .drop("_pp", "_pid")
        .withColumn(GAP, ts.minus(lag(ts, 1).over(Window.partitionBy(Posts.PLATFORM, Posts.ACCOUNT_ID).orderBy(Posts.CREATED_AT, Posts.POST_ID))))
        .withColumn(HOUR, hour(col(Posts.CREATED_AT)));
  }

  /** Behaviour features; one aggregation over the enriched posts plus a per-minute burst count. */
  public static Dataset<Row> behaviourFeatures(Dataset<Row> posts) {
    Dataset<Row> e = enrich(posts);
    Column n = count(lit(1)).cast("double");
    Column isRepost = col(Posts.KIND).equalTo(Posts.KIND_REPOST);
    List<Column> hourCounts = new ArrayList<>();
    List<Column> aggs = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      aggs.add(sum(when(col(HOUR).equalTo(h), 1.0).otherwise(0.0)).as("_h" + h));
      hourCounts.add(col("_h" + h));
    }
    Column delay = unix_seconds(col(Posts.CREATED_AT)).minus(unix_seconds(col(PARENT_TS)));
    aggs.add(n.as(POSTS));
    aggs.add(min(col(Posts.CREATED_AT)).as("_first"));
    aggs.add(max(col(Posts.CREATED_AT)).as("_last"));
    aggs.add(share(isRepost).as(REPOST_SHARE));
    aggs.add(share(col(Posts.KIND).equalTo(Posts.KIND_REPLY)).as(REPLY_SHARE));
    aggs.add(share(col(Posts.KIND).equalTo(Posts.KIND_QUOTE)).as(QUOTE_SHARE));
    aggs.add(perPost(Posts.URLS).as(URLS_PER_POST));
    aggs.add(perPost(Posts.HASHTAGS).as(HASHTAGS_PER_POST));
    aggs.add(perPost(Posts.MENTIONS).as(MENTIONS_PER_POST));
    aggs.add(count_distinct(col(Posts.SOURCE)).cast("double").as(DISTINCT_SOURCES));
    aggs.add(avg(col(GAP)).as("_gap_mean"));
    aggs.add(stddev_pop(col(GAP)).as("_gap_sd"));
    aggs.add(count(col(GAP)).as("_gaps"));
    aggs.add(sum(when(org.apache.spark.sql.functions.not(isRepost), 1.0).otherwise(0.0)).as("_own"));
    aggs.add(size(collect_set(when(org.apache.spark.sql.functions.not(isRepost), xxhash64(coalesce(col(Posts.TEXT), lit("")))))).as("_own_distinct"));
    aggs.add(sum(when(isRepost.and(col(PARENT_TS).isNotNull()), 1.0).otherwise(0.0)).as("_timed_reposts"));
    aggs.add(sum(when(isRepost.and(delay.leq(FAST_REPOST_SECONDS)), 1.0).otherwise(0.0)).as("_fast_reposts"));
    Dataset<Row> agg =
        e.groupBy(Posts.PLATFORM, Posts.ACCOUNT_ID).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    Dataset<Row> bursts =
        posts.groupBy(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), date_trunc("minute", col(Posts.CREATED_AT)))
            .count()
            .groupBy(Posts.PLATFORM, Posts.ACCOUNT_ID)
            .agg(max("count").cast("double").as(MAX_POSTS_PER_MINUTE));
    Column spanDays = greatest(lit(1.0), unix_seconds(col("_last")).minus(unix_seconds(col("_first"))).divide(86_400.0));
    return agg.join(bursts, new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID})
        .select(
            col(Posts.ACCOUNT_ID),
            col(Posts.PLATFORM),
            lit(1.0).as(HAS_POSTS),
            col(POSTS),
            col(POSTS).divide(spanDays).as(POSTS_PER_DAY),
            col(REPOST_SHARE),
            col(REPLY_SHARE),
            col(QUOTE_SHARE),
            col(URLS_PER_POST),
            col(HASHTAGS_PER_POST),
            col(MENTIONS_PER_POST),
            col(DISTINCT_SOURCES),
            hourEntropy(hourCounts, col(POSTS)).as(HOUR_ENTROPY),
            when(col("_gaps").geq(2).and(col("_gap_mean").gt(0)), col("_gap_sd").divide(col("_gap_mean"))).as(INTERPOST_CV),
            when(col("_own").gt(0), lit(1.0).minus(col("_own_distinct").divide(col("_own")))).as(DUPLICATE_TEXT_SHARE),
            when(col("_timed_reposts").gt(0), col("_fast_reposts").divide(col("_timed_reposts"))).as(FAST_REPOST_SHARE),
            col(MAX_POSTS_PER_MINUTE));
  }

  /**
   * All features: a full outer join of profile and behaviour features, so accounts with only a
   * profile or only posts are kept; the missing side is null with its indicator 0.
   */
  public static Dataset<Row> compute(Dataset<Row> posts, Dataset<Row> accountsOrNull) {
    Dataset<Row> behaviour = behaviourFeatures(posts);
    Dataset<Row> joined =
        accountsOrNull == null
            ? behaviour
            : profileFeatures(accountsOrNull).join(behaviour, new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID}, "full_outer");
    List<Column> out = new ArrayList<>();
    out.add(col(ACCOUNT_ID));
    out.add(col(PLATFORM));
    for (String f : AccountFeatures.FEATURE_COLUMNS) {
      boolean present = List.of(joined.columns()).contains(f);
      Column c = present ? col(f) : lit(null).cast("double");
      if (f.equals(HAS_PROFILE) || f.equals(HAS_POSTS)) {
        c = coalesce(c, lit(0.0));
      }
      out.add(c.as(f));
    }
    return joined.select(out.toArray(new Column[0]));
  }
}
