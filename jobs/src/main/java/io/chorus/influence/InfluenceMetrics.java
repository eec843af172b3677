package io.chorus.influence;

import static io.chorus.schema.Influence.*;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.chorus.estimate.BotShareEstimator;
import io.chorus.schema.AccountScores;
import io.chorus.schema.Accounts;
import io.chorus.schema.Posts;
import io.chorus.schema.Watchlist;
import io.chorus.spark.Stages;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Influence tables from amplification events. An event is (amplifier, author, type, time, topics):
 * a repost, reply or quote of the author's post, or a mention of the author in a non-repost post
 * (other than the replied-to author). Self-amplification is excluded.
 */
public final class InfluenceMetrics {
  public static final String AMPLIFIER = "amplifier";
  public static final String AUTHOR = "author";
  public static final String TYPE = "type";
  public static final String MENTION = "mention";
  static final String AMP_BOT = "_amp_bot";
  static final String AMP_P = "_amp_p";
  static final String AMP_COORD = "_amp_coord";
  static final String AMP_CLUSTER = "_amp_cluster";
  public static final int TOP_TOPIC = 10;
  public static final int TOP_WATCHLIST = 5;

  private InfluenceMetrics() {}

  /** Lower-case screen name to account id, one account per name (the smallest id on a clash). */
  public static Dataset<Row> screenNames(Dataset<Row> posts, Dataset<Row> accountsOrNull) {
    Dataset<Row> fromPosts = posts.filter(col(Posts.AUTHOR_SCREEN_NAME).isNotNull())
        .select(col(Posts.PLATFORM), lower(col(Posts.AUTHOR_SCREEN_NAME)).as("_sn"), col(Posts.ACCOUNT_ID));
    Dataset<Row> all = accountsOrNull == null ? fromPosts
        : fromPosts.unionByName(accountsOrNull.filter(col(Accounts.SCREEN_NAME).isNotNull())
            .select(col(Accounts.PLATFORM), lower(col(Accounts.SCREEN_NAME)).as("_sn"), col(Accounts.ACCOUNT_ID)));
    // min() of a string has no fixed-width buffer, so Spark aggregates it by sorting its input. The
    // distinct (name, account) pairs first (a hash aggregate) leave about one row per account to
    // sort, not one per post. The optimizer drops a distinct directly beneath an aggregate that
    // ignores duplicates (RemoveRedundantAggregates); the repartition between them, by the keys
    // the min() needs anyway, keeps it.
    return all.distinct()
        .repartition(col(Posts.PLATFORM), col("_sn"))
        .groupBy(col(Posts.PLATFORM).as("_sn_platform"), col("_sn"))
        .agg(min(Posts.ACCOUNT_ID).as("_sn_account"));
  }

  public static Dataset<Row> events(Dataset<Row> posts, Dataset<Row> screenNames) {
    Dataset<Row> direct = posts
        .filter(col(Posts.KIND).isin(Posts.KIND_REPOST, Posts.KIND_REPLY, Posts.KIND_QUOTE)
            .and(col(Posts.PARENT_ACCOUNT_ID).isNotNull()).and(col(Posts.PARENT_ACCOUNT_ID).notEqual(col(Posts.ACCOUNT_ID))))
        .select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID).as(AMPLIFIER), col(Posts.PARENT_ACCOUNT_ID).as(AUTHOR), col(Posts.KIND).as(TYPE),
            col(Posts.CREATED_AT), col(Posts.HASHTAGS), col(Posts.PARENT_POST_ID));
    Dataset<Row> mentions = posts
        .filter(col(Posts.KIND).notEqual(Posts.KIND_REPOST))
        .select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), col(Posts.PARENT_ACCOUNT_ID), col(Posts.CREATED_AT), col(Posts.HASHTAGS),
            explode(array_distinct(col(Posts.MENTIONS))).as("_m"))
        .join(Stages.shuffleHash(screenNames), col("_m").equalTo(col("_sn")).and(col(Posts.PLATFORM).equalTo(col("_sn_platform"))))
        .filter(col("_sn_account").notEqual(col(Posts.ACCOUNT_ID))
            .and(col(Posts.PARENT_ACCOUNT_ID).isNull().or(col("_sn_account").notEqual(col(Posts.PARENT_ACCOUNT_ID)))))
        .select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID).as(AMPLIFIER), col("_sn_account").as(AUTHOR), lit(MENTION).as(TYPE),
            col(Posts.CREATED_AT), col(Posts.HASHTAGS), lit(null).cast("string").as(Posts.PARENT_POST_ID));
    return direct.unionByName(mentions);
  }

  /** Events with the amplifier's bot flag and probability, and coordination flag when known. */
  public static Dataset<Row> withAmplifierFlags(Dataset<Row> events, Dataset<Row> scores, Dataset<Row> coordinatedOrNull) {
    Dataset<Row> s = scores.select(col(AccountScores.PLATFORM), col(AccountScores.ACCOUNT_ID).as(AMPLIFIER),
        col(AccountScores.IS_LIKELY_BOT).as(AMP_BOT), col(AccountScores.BOT_PROBABILITY).as(AMP_P));
    Dataset<Row> e = events.join(Stages.shuffleHash(s), new String[] {Posts.PLATFORM, AMPLIFIER}, "left");
    if (coordinatedOrNull == null) {
      return e.withColumn(AMP_COORD, lit(null).cast("boolean")).withColumn(AMP_CLUSTER, lit(null).cast("string"));
    }
    // An account is in one connected component, so this is one row per member.
    Dataset<Row> c = coordinatedOrNull.select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID).as(AMPLIFIER), lit(true).as(AMP_COORD),
        col(io.chorus.schema.Coordination.CLUSTER_ID).cast("string").as(AMP_CLUSTER)).dropDuplicates(Posts.PLATFORM, AMPLIFIER);
    return e.join(c, new String[] {Posts.PLATFORM, AMPLIFIER}, "left").withColumn(AMP_COORD, coalesce(col(AMP_COORD), lit(false)));
  }

  static Column authentic() {
    return col(AMP_BOT).equalTo(false).and(coalesce(col(AMP_COORD), lit(false)).equalTo(false));
  }

  static Column typeCount(String type) {
    return sum(when(col(TYPE).equalTo(type), 1L).otherwise(0L));
  }

  /** Largest t with t posts each reposted at least t times, per author. */
  public static Dataset<Row> tFactor(Dataset<Row> events) {
    Dataset<Row> perPost = events.filter(col(TYPE).equalTo(Posts.KIND_REPOST))
        .groupBy(Posts.PLATFORM, AUTHOR, Posts.PARENT_POST_ID).agg(count(lit(1)).as("_c"));
    Column rn = row_number().over(Window.partitionBy(Posts.PLATFORM, AUTHOR).orderBy(col("_c").desc(), col(Posts.PARENT_POST_ID)));
    return perPost.withColumn("_rn", rn)
        .groupBy(Posts.PLATFORM, AUTHOR)
        .agg(max(when(col("_c").geq(col("_rn")), col("_rn"))).cast("long").as(T_FACTOR));
  }

  public static Dataset<Row> accountInfluence(
      Dataset<Row> posts, Dataset<Row> flaggedEvents, Dataset<Row> scores, Dataset<Row> latestAccountsOrNull, boolean coordinationRun,
      int pagerankIterations) {
    Dataset<Row> received = flaggedEvents.groupBy(Posts.PLATFORM, AUTHOR).agg(
        typeCount(Posts.KIND_REPOST).as(REPOSTS_RECEIVED),
        typeCount(Posts.KIND_REPLY).as(REPLIES_RECEIVED),
        typeCount(Posts.KIND_QUOTE).as(QUOTES_RECEIVED),
        typeCount(MENTION).as(MENTIONS_RECEIVED),
        count(lit(1)).as(AMPLIFICATIONS_RECEIVED),
        count_distinct(col(AMPLIFIER)).as(UNIQUE_AMPLIFIERS),
        avg(col(AMP_BOT).cast("double")).as(BOT_AMPLIFICATION_SHARE),
        avg(col(AMP_P)).as(BOT_AMPLIFICATION_SHARE_WEIGHTED),
        coordinationRun ? avg(col(AMP_COORD).cast("double")).as(COORDINATED_AMPLIFICATION_SHARE)
            : lit(null).cast("double").as(COORDINATED_AMPLIFICATION_SHARE),
        sum(when(authentic(), 1L).otherwise(0L)).as(AUTHENTIC_AMPLIFICATION))
        .withColumnRenamed(AUTHOR, ACCOUNT_ID);
    // Posts per (account, screen name) first: a hash aggregate. max() of a string would make the
    // aggregate over every post a sort; here it sorts about one row per account.
    Dataset<Row> own = posts.groupBy(Posts.PLATFORM, Posts.ACCOUNT_ID, Posts.AUTHOR_SCREEN_NAME).agg(count(lit(1)).as("_n"))
        .groupBy(Posts.PLATFORM, Posts.ACCOUNT_ID).agg(sum(col("_n")).as(POSTS), max(col(Posts.AUTHOR_SCREEN_NAME)).as("_post_sn"));
    Dataset<Row> followers = latestAccountsOrNull == null
        ? posts.groupBy(Posts.PLATFORM, Posts.ACCOUNT_ID).agg(max(Posts.AUTHOR_FOLLOWERS_COUNT).as("_followers"))
        : latestAccountsOrNull.select(col(Accounts.PLATFORM), col(Accounts.ACCOUNT_ID), col(Accounts.FOLLOWERS_COUNT).as("_followers"));
    Dataset<Row> reach = flaggedEvents.select(Posts.PLATFORM, AUTHOR, AMPLIFIER).distinct()
        .join(Stages.shuffleHash(followers.withColumnRenamed(Posts.ACCOUNT_ID, AMPLIFIER)), new String[] {Posts.PLATFORM, AMPLIFIER}, "left")
        .groupBy(Posts.PLATFORM, AUTHOR).agg(sum(coalesce(col("_followers"), lit(0L))).as(POTENTIAL_REACH))
        .withColumnRenamed(AUTHOR, ACCOUNT_ID);
    Dataset<Row> edges = flaggedEvents.select(
        org.apache.spark.sql.functions.concat_ws("\u0001", col(Posts.PLATFORM), col(AMPLIFIER)).as(PageRank.SRC),
        org.apache.spark.sql.functions.concat_ws("\u0001", col(Posts.PLATFORM), col(AUTHOR)).as(PageRank.DST),
        lit(1.0).as(PageRank.WEIGHT));
    Dataset<Row> pr = PageRank.compute(edges, PageRank.DAMPING, pagerankIterations, PageRank.TOLERANCE)
        .select(org.apache.spark.sql.functions.split(col(PageRank.NODE), "\u0001").as("_k"), col(PageRank.RANK).as(PAGERANK))
        .select(org.apache.spark.sql.functions.element_at(col("_k"), 1).as(PLATFORM), org.apache.spark.sql.functions.element_at(col("_k"), 2).as(ACCOUNT_ID), col(PAGERANK));
    Dataset<Row> tf = tFactor(flaggedEvents).withColumnRenamed(AUTHOR, ACCOUNT_ID);
    Dataset<Row> names = latestAccountsOrNull == null ? null
        : latestAccountsOrNull.select(col(Accounts.PLATFORM), col(Accounts.ACCOUNT_ID), col(Accounts.SCREEN_NAME).as("_acct_sn"));
    String[] k = {PLATFORM, ACCOUNT_ID};
    Dataset<Row> all = own.join(received, k, "full_outer")
        .join(reach, k, "left").join(pr, k, "left").join(tf, k, "left")
        .join(scores.select(col(AccountScores.PLATFORM), col(AccountScores.ACCOUNT_ID), col(AccountScores.BOT_PROBABILITY).as(BOT_PROBABILITY)), k, "left");
    if (names != null) {
      all = all.join(names, k, "left");
    } else {
      all = all.withColumn("_acct_sn", lit(null).cast("string"));
    }
    Column amplifications = coalesce(col(AMPLIFICATIONS_RECEIVED), lit(0L));
    Dataset<Row> unranked = all.select(
        col(ACCOUNT_ID), col(PLATFORM), coalesce(col("_acct_sn"), col("_post_sn")).as(SCREEN_NAME),
        coalesce(col(POSTS), lit(0L)).as(POSTS),
        coalesce(col(REPOSTS_RECEIVED), lit(0L)).as(REPOSTS_RECEIVED),
        coalesce(col(REPLIES_RECEIVED), lit(0L)).as(REPLIES_RECEIVED),
        coalesce(col(QUOTES_RECEIVED), lit(0L)).as(QUOTES_RECEIVED),
        coalesce(col(MENTIONS_RECEIVED), lit(0L)).as(MENTIONS_RECEIVED),
        amplifications.as(AMPLIFICATIONS_RECEIVED),
        coalesce(col(UNIQUE_AMPLIFIERS), lit(0L)).as(UNIQUE_AMPLIFIERS),
        coalesce(col(POTENTIAL_REACH), lit(0L)).as(POTENTIAL_REACH),
        col(PAGERANK),
        coalesce(col(T_FACTOR), lit(0L)).as(T_FACTOR),
        col(BOT_AMPLIFICATION_SHARE), col(BOT_AMPLIFICATION_SHARE_WEIGHTED), col(COORDINATED_AMPLIFICATION_SHARE),
        coalesce(col(AUTHENTIC_AMPLIFICATION), lit(0L)).as(AUTHENTIC_AMPLIFICATION),
        col(BOT_PROBABILITY));
    return withGlobalRank(unranked, RANK,
        col(AMPLIFICATIONS_RECEIVED).desc(), coalesce(col(PAGERANK), lit(0.0)).desc(), col(ACCOUNT_ID), col(PLATFORM));
  }

  /**
   * {@code rows} with a last column {@code rankCol}: 1, 2, 3, ... in the order of {@code order},
   * which should break every tie. A window over the whole table ({@code row_number() OVER (ORDER
   * BY ...)}) would move every row to one task; here the rows are range-partitioned and sorted on
   * all cores, each partition's size is counted, and a partition's ranks start after the sizes of
   * the partitions before it ({@code zipWithIndex}). Only one count per partition reaches the driver.
   * Eager: the input is checkpointed once, so the sample, the count and the caller's write do
   * not compute it again.
   */
  public static Dataset<Row> withGlobalRank(Dataset<Row> rows, String rankCol, Column... order) {
    Dataset<Row> sorted = rows.localCheckpoint().orderBy(order);
    StructType schema = sorted.schema().add(rankCol, DataTypes.LongType, false);
    int width = sorted.schema().size();
    JavaRDD<Row> ranked = sorted.javaRDD().zipWithIndex().map(t -> {
      Object[] v = new Object[width + 1];
      for (int k = 0; k < width; k++) {
        v[k] = t._1().get(k);
      }
      v[width] = t._2() + 1;
      return RowFactory.create(v);
    });
    return rows.sparkSession().createDataFrame(ranked, schema);
  }

  /** The top {@code n} of (group..., account, count) as an array of {account_id, amplifications}, largest first. */
  static Dataset<Row> topList(Dataset<Row> counts, String[] group, String accountCol, int n, String outCol) {
    return topList(counts, group, accountCol, n, outCol, ACCOUNT_ID);
  }

  /** As above, naming the id field of the list's structs {@code idField}. */
  static Dataset<Row> topList(Dataset<Row> counts, String[] group, String accountCol, int n, String outCol, String idField) {
    Column[] g = java.util.Arrays.stream(group).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Column rn = row_number().over(Window.partitionBy(g).orderBy(col("_c").desc(), col(accountCol)));
    Dataset<Row> top = counts.withColumn("_rn", rn).filter(col("_rn").leq(n));
    Dataset<Row> collected = top.groupBy(g).agg(sort_array(collect_list(struct(col("_c"), col("_rn").multiply(-1).as("_o"), col(accountCol).as("_a"))), false).as("_l"));
    return collected.select(java.util.stream.Stream.concat(java.util.Arrays.stream(g),
        java.util.stream.Stream.of(transform(col("_l"), x -> struct(x.getField("_a").as(idField), x.getField("_c").as(AMPLIFICATIONS))).as(outCol)))
        .toArray(Column[]::new));
  }

  static Column emptyRanked() {
    return array().cast(RANKED_LIST);
  }

  public static Dataset<Row> topicInfluence(
      Dataset<Row> posts, Dataset<Row> flaggedEvents, Dataset<Row> scores, BotShareEstimator.Rates rates, Dataset<Row> coordinatedOrNull) {
    Dataset<Row> s = scores.select(col(AccountScores.PLATFORM), col(AccountScores.ACCOUNT_ID), col(AccountScores.BOT_PROBABILITY).as("_p"));
    // Each account's posts per (day, topic) first, then its score: the scores meet one row per
    // account, day and topic (in a shuffled hash join) instead of every post, and the accounts per topic are
    // a count of rows, not a distinct count. The post-weighted means are sums of n and n * p.
    Dataset<Row> tp = posts
        .select(to_date(col(Posts.CREATED_AT)).as(DAY), explode(array_distinct(col(Posts.HASHTAGS))).as(TOPIC), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID))
        .groupBy(DAY, TOPIC, Posts.PLATFORM, Posts.ACCOUNT_ID).agg(count(lit(1)).as("_n"))
        .join(Stages.shuffleHash(s), new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID}, "left");
    if (coordinatedOrNull != null) {
      tp = tp.join(coordinatedOrNull.select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), lit(true).as("_coord")).distinct(),
          new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID}, "left");
    }
    Column n = col("_n");
    Column coordShare = coordinatedOrNull == null ? lit(null).cast("double")
        : sum(when(coalesce(col("_coord"), lit(false)), n).otherwise(0L)).cast("double").divide(sum(n));
    Dataset<Row> agg = tp.groupBy(DAY, TOPIC).agg(
        sum(n).as(POSTS), count(lit(1)).as(UNIQUE_ACCOUNTS),
        sum(n.multiply(col("_p"))).divide(sum(when(col("_p").isNotNull(), n))).as("_pcc"), coordShare.as(COORDINATED_SHARE_POSTS));
    Dataset<Row> ev = flaggedEvents.select(to_date(col(Posts.CREATED_AT)).as(DAY), explode(array_distinct(col(Posts.HASHTAGS))).as(TOPIC), col(AMPLIFIER), col(AUTHOR));
    String[] g = {DAY, TOPIC};
    Dataset<Row> amplified = topList(ev.groupBy(DAY, TOPIC, AUTHOR).agg(count(lit(1)).as("_c")), g, AUTHOR, TOP_TOPIC, TOP_AMPLIFIED);
    Dataset<Row> amplifiers = topList(ev.groupBy(DAY, TOPIC, AMPLIFIER).agg(count(lit(1)).as("_c")), g, AMPLIFIER, TOP_TOPIC, TOP_AMPLIFIERS);
    return agg.join(amplified, g, "left").join(amplifiers, g, "left").select(
        col(DAY), col(TOPIC), col(POSTS), col(UNIQUE_ACCOUNTS),
        BotShareEstimator.clip(BotShareEstimator.adjust(col("_pcc"), lit(rates.mPos()), lit(rates.mNeg()))).as(BOT_SHARE_POSTS),
        col(COORDINATED_SHARE_POSTS),
        coalesce(col(TOP_AMPLIFIED), emptyRanked()).as(TOP_AMPLIFIED),
        coalesce(col(TOP_AMPLIFIERS), emptyRanked()).as(TOP_AMPLIFIERS));
  }

  /** The watchlist with account ids resolved (by screen name where the id is missing). */
  public static Dataset<Row> resolveWatchlist(Dataset<Row> watchlist, Dataset<Row> screenNames) {
    Dataset<Row> joined = watchlist.join(screenNames,
        lower(col(Watchlist.SCREEN_NAME)).equalTo(col("_sn")).and(col(Watchlist.PLATFORM).equalTo(col("_sn_platform"))), "left");
    return joined.select(
        coalesce(col(Watchlist.ACCOUNT_ID), col("_sn_account")).as(ACCOUNT_ID), col(Watchlist.PLATFORM).as(PLATFORM),
        col(Watchlist.SCREEN_NAME).as(SCREEN_NAME), col(Watchlist.ACTOR_TYPE).as(ACTOR_TYPE), col(Watchlist.COUNTRY).as(COUNTRY))
        .filter(col(ACCOUNT_ID).isNotNull())
        .dropDuplicates(PLATFORM, ACCOUNT_ID);
  }

  public static Dataset<Row> watchlistInfluence(Dataset<Row> posts, Dataset<Row> flaggedEvents, Dataset<Row> resolvedWatchlist, boolean coordinationRun) {
    String[] k = {PLATFORM, ACCOUNT_ID};
    Dataset<Row> actors = resolvedWatchlist;
    Dataset<Row> ownPosts = posts.join(actors.select(PLATFORM, ACCOUNT_ID), k)
        .groupBy(col(PLATFORM), col(ACCOUNT_ID), to_date(col(Posts.CREATED_AT)).as(DAY)).agg(count(lit(1)).as(OWN_POSTS));
    Dataset<Row> ev = flaggedEvents.withColumnRenamed(AUTHOR, ACCOUNT_ID).join(actors.select(PLATFORM, ACCOUNT_ID), k)
        .withColumn(DAY, to_date(col(Posts.CREATED_AT)));
    Dataset<Row> received = ev.groupBy(PLATFORM, ACCOUNT_ID, DAY).agg(
        count(lit(1)).as(AMPLIFICATIONS_RECEIVED), count_distinct(col(AMPLIFIER)).as(UNIQUE_AMPLIFIERS),
        avg(col(AMP_BOT).cast("double")).as(BOT_SHARE),
        coordinationRun ? avg(col(AMP_COORD).cast("double")).as(COORDINATED_SHARE) : lit(null).cast("double").as(COORDINATED_SHARE),
        avg(when(authentic(), 1.0).otherwise(0.0)).as(AUTHENTIC_SHARE));
    String[] g = {PLATFORM, ACCOUNT_ID, DAY};
    Dataset<Row> top = topList(ev.groupBy(PLATFORM, ACCOUNT_ID, DAY, AMPLIFIER).agg(count(lit(1)).as("_c")), g, AMPLIFIER, TOP_WATCHLIST, TOP_AMPLIFIERS);
    Dataset<Row> topClusters = topList(ev.filter(col(AMP_CLUSTER).isNotNull()).groupBy(col(PLATFORM), col(ACCOUNT_ID), col(DAY), col(AMP_CLUSTER))
        .agg(count(lit(1)).as("_c")), g, AMP_CLUSTER, TOP_WATCHLIST, TOP_AMPLIFYING_CLUSTERS, io.chorus.schema.Influence.CLUSTER_ID);
    Dataset<Row> days = ownPosts.join(received, g, "full_outer").join(top, g, "left").join(topClusters, g, "left").join(actors, k);
    Column amplifications = coalesce(col(AMPLIFICATIONS_RECEIVED), lit(0L));
    Column rank = row_number().over(Window.partitionBy(col(DAY), col(ACTOR_TYPE), col(COUNTRY)).orderBy(amplifications.desc(), col(ACCOUNT_ID)));
    return days.select(
        col(DAY), col(ACCOUNT_ID), col(PLATFORM), col(SCREEN_NAME), col(ACTOR_TYPE), col(COUNTRY),
        coalesce(col(OWN_POSTS), lit(0L)).as(OWN_POSTS), amplifications.as(AMPLIFICATIONS_RECEIVED),
        coalesce(col(UNIQUE_AMPLIFIERS), lit(0L)).as(UNIQUE_AMPLIFIERS),
        col(BOT_SHARE), col(COORDINATED_SHARE), col(AUTHENTIC_SHARE),
        coalesce(col(TOP_AMPLIFIERS), emptyRanked()).as(TOP_AMPLIFIERS),
        coalesce(col(TOP_AMPLIFYING_CLUSTERS), array().cast(io.chorus.schema.Influence.RANKED_CLUSTER_LIST)).as(TOP_AMPLIFYING_CLUSTERS),
        rank.cast("long").as(RANK_IN_TYPE_COUNTRY));
  }
}
