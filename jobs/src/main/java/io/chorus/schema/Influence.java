package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * The three influence tables. An amplification event is a repost, quote, reply or mention from an
 * amplifier account to an author account (self-amplification excluded). Mentions are not
 * endorsements: they count as attention received, not as agreement.
 */
public final class Influence {
  public static final String ACCOUNT_TABLE = "account_influence";
  public static final String TOPIC_TABLE = "topic_influence";
  public static final String WATCHLIST_TABLE = "watchlist_influence";
  public static final int VERSION = 2;

  public static final String ACCOUNT_ID = "account_id";
  public static final String PLATFORM = "platform";
  public static final String SCREEN_NAME = "screen_name";
  public static final String POSTS = "posts";
  public static final String REPOSTS_RECEIVED = "reposts_received";
  public static final String REPLIES_RECEIVED = "replies_received";
  public static final String QUOTES_RECEIVED = "quotes_received";
  public static final String MENTIONS_RECEIVED = "mentions_received";
  public static final String AMPLIFICATIONS_RECEIVED = "amplifications_received";
  public static final String UNIQUE_AMPLIFIERS = "unique_amplifiers";
  public static final String POTENTIAL_REACH = "potential_reach";
  public static final String PAGERANK = "pagerank";
  public static final String T_FACTOR = "t_factor";
  public static final String BOT_AMPLIFICATION_SHARE = "bot_amplification_share";
  public static final String BOT_AMPLIFICATION_SHARE_WEIGHTED = "bot_amplification_share_weighted";
  public static final String COORDINATED_AMPLIFICATION_SHARE = "coordinated_amplification_share";
  public static final String AUTHENTIC_AMPLIFICATION = "authentic_amplification";
  public static final String BOT_PROBABILITY = "bot_probability";
  public static final String RANK = "rank";

  public static final String DAY = "day";
  public static final String TOPIC = "topic";
  public static final String UNIQUE_ACCOUNTS = "unique_accounts";
  public static final String BOT_SHARE_POSTS = "bot_share_posts";
  public static final String COORDINATED_SHARE_POSTS = "coordinated_share_posts";
  public static final String TOP_AMPLIFIED = "top_amplified";
  public static final String TOP_AMPLIFIERS = "top_amplifiers";
  public static final String TOP_AMPLIFYING_CLUSTERS = "top_amplifying_clusters";
  public static final String CLUSTER_ID = "cluster_id";
  public static final String AMPLIFICATIONS = "amplifications";

  public static final String ACTOR_TYPE = "actor_type";
  public static final String COUNTRY = "country";
  public static final String OWN_POSTS = "own_posts";
  public static final String BOT_SHARE = "bot_share";
  public static final String COORDINATED_SHARE = "coordinated_share";
  public static final String AUTHENTIC_SHARE = "authentic_share";
  public static final String RANK_IN_TYPE_COUNTRY = "rank_in_type_country";

  /** {account_id, amplifications}: an entry of a top-N list. */
  public static final StructType RANKED_ACCOUNT =
      Fields.struct(
          optional(ACCOUNT_ID, StringType, "Account id", "id"),
          optional(AMPLIFICATIONS, LongType, "Amplification events", "count"));

  public static final ArrayType RANKED_LIST = createArrayType(RANKED_ACCOUNT);

  /** {cluster_id, amplifications}: an entry of a top-N list of coordination clusters. */
  public static final StructType RANKED_CLUSTER =
      Fields.struct(
          optional(CLUSTER_ID, StringType, "coordination_clusters cluster id", "id"),
          optional(AMPLIFICATIONS, LongType, "Amplification events from the cluster's members", "count"));

  public static final ArrayType RANKED_CLUSTER_LIST = createArrayType(RANKED_CLUSTER);

  public static final StructType ACCOUNT_SCHEMA =
      Fields.struct(
          required(ACCOUNT_ID, StringType, "Account id", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          optional(SCREEN_NAME, StringType, "Latest screen name", "text"),
          required(POSTS, LongType, "Posts the account published in the run", "count"),
          required(REPOSTS_RECEIVED, LongType, "Reposts of the account's posts by other accounts", "count"),
          required(REPLIES_RECEIVED, LongType, "Replies to the account's posts by other accounts", "count"),
          required(QUOTES_RECEIVED, LongType, "Quotes of the account's posts by other accounts", "count"),
          required(MENTIONS_RECEIVED, LongType, "Posts by other accounts mentioning it (attention, not endorsement)", "count"),
          required(AMPLIFICATIONS_RECEIVED, LongType, "reposts + replies + quotes + mentions received", "count"),
          required(UNIQUE_AMPLIFIERS, LongType, "Distinct accounts that amplified it", "count"),
          required(POTENTIAL_REACH, LongType, "Sum of the latest follower counts of the unique amplifiers (an upper bound on audience, overlap not removed)", "accounts"),
          optional(PAGERANK, DoubleType, "Weighted PageRank on the amplifier -> author graph (damping 0.85, sums to 1)", "score"),
          required(T_FACTOR, LongType, "Largest t with t posts each reposted at least t times", "count"),
          optional(BOT_AMPLIFICATION_SHARE, DoubleType, "Share of amplification events from accounts with is_likely_bot", "fraction"),
          optional(BOT_AMPLIFICATION_SHARE_WEIGHTED, DoubleType, "Mean amplifier bot_probability over amplification events", "fraction"),
          optional(COORDINATED_AMPLIFICATION_SHARE, DoubleType, "Share of amplification events from accounts in a coordination cluster; null when coordination was not run", "fraction"),
          required(AUTHENTIC_AMPLIFICATION, LongType, "Amplification events from likely-human, non-coordinated accounts", "count"),
          optional(BOT_PROBABILITY, DoubleType, "The account's own bot probability; null when unscored", "probability"),
          required(RANK, LongType, "Rank by amplifications_received, then pagerank, then account_id and platform for ties (1 = most amplified)", "rank"));

  public static final StructType TOPIC_SCHEMA =
      Fields.struct(
          required(DAY, DateType, "UTC day", "date"),
          required(TOPIC, StringType, "Hashtag, lower case, without #", "text"),
          required(POSTS, LongType, "Posts with the hashtag that day", "count"),
          required(UNIQUE_ACCOUNTS, LongType, "Distinct authors of those posts", "count"),
          optional(BOT_SHARE_POSTS, DoubleType, "Bot share of those posts, corrected for classifier error (PACC, clipped)", "fraction"),
          optional(COORDINATED_SHARE_POSTS, DoubleType, "Share of those posts by accounts in coordination clusters; null when coordination was not run", "fraction"),
          required(TOP_AMPLIFIED, RANKED_LIST, "Top 10 accounts amplified in posts with the hashtag that day", "list"),
          required(TOP_AMPLIFIERS, RANKED_LIST, "Top 10 amplifiers in posts with the hashtag that day", "list"));

  public static final StructType WATCHLIST_SCHEMA =
      Fields.struct(
          required(DAY, DateType, "UTC day", "date"),
          required(ACCOUNT_ID, StringType, "Watchlisted actor's account id", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          optional(SCREEN_NAME, StringType, "Actor screen name", "text"),
          required(ACTOR_TYPE, StringType, "From the watchlist", "enum"),
          required(COUNTRY, StringType, "From the watchlist", "ISO 3166-1 alpha-2"),
          required(OWN_POSTS, LongType, "Posts by the actor that day", "count"),
          required(AMPLIFICATIONS_RECEIVED, LongType, "Amplification events received that day", "count"),
          required(UNIQUE_AMPLIFIERS, LongType, "Distinct amplifiers that day", "count"),
          optional(BOT_SHARE, DoubleType, "Share of the day's amplification from likely bots", "fraction"),
          optional(COORDINATED_SHARE, DoubleType, "Share from coordinated accounts; null when coordination was not run", "fraction"),
          optional(AUTHENTIC_SHARE, DoubleType, "Share from likely-human, non-coordinated accounts", "fraction"),
          required(TOP_AMPLIFIERS, RANKED_LIST, "Top 5 amplifying accounts that day", "list"),
          required(TOP_AMPLIFYING_CLUSTERS, RANKED_CLUSTER_LIST,
              "Top 5 coordination clusters by their members' amplification events that day; empty when coordination was not run", "list"),
          required(RANK_IN_TYPE_COUNTRY, LongType, "Rank by amplifications_received, then account_id for ties, among actors of the same actor_type and country that day", "rank"));

  public static final TableSchema ACCOUNT_TABLE_SCHEMA =
      new TableSchema(ACCOUNT_TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per account that posted or was amplified.", ACCOUNT_SCHEMA, true);
  public static final TableSchema TOPIC_TABLE_SCHEMA =
      new TableSchema(TOPIC_TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per hashtag per UTC day.", TOPIC_SCHEMA, true);
  public static final TableSchema WATCHLIST_TABLE_SCHEMA =
      new TableSchema(WATCHLIST_TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per watchlisted actor per UTC day with activity.", WATCHLIST_SCHEMA, true);

  private Influence() {}
}
