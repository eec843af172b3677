package io.chorus.ingest;

import static io.chorus.ingest.JsonArchive.STRING;
import static io.chorus.ingest.JsonArchive.listOf;
import static io.chorus.ingest.JsonArchive.struct;
import static io.chorus.ingest.JsonArchive.text;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.chorus.schema.Accounts;
import io.chorus.schema.Posts;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Twitter API v1.1 tweet objects (https://developer.x.com/en/docs/x-api/v1/data-dictionary), as JSON
 * lines or JSON arrays, optionally gzipped. Also the Bot Repository layout {@code {created_at: probe
 * time, user: {...}}} (botwiki-2019 and the other Botometer sets): a record with a user and no tweet
 * id or text is a profile probe and becomes an account snapshot only.
 *
 * <ul>
 *   <li>post_id: {@code id_str}, else {@code id} as text (every digit kept);
 *   <li>kind and parent: {@code retweeted_status} (repost), {@code quoted_status_id_str} (quote),
 *       {@code in_reply_to_status_id_str} (reply), else original;
 *   <li>text: {@code extended_tweet.full_text}, {@code full_text}, then {@code text};
 *   <li>hashtags, mentions, URLs: the entities (of {@code extended_tweet} when present), in order;
 *   <li>source: the client name inside the {@code source} HTML anchor;
 *   <li>accounts: the embedded {@code user}, observed at the record's {@code created_at}. The users
 *       embedded in retweeted or quoted statuses are not taken: their snapshot time is unknown.
 * </ul>
 * Labels: every {@code *.tsv} file in the input ({@code id<TAB>label}, as in the Bot Repository).
 */
final class TwitterV1 {
  static final String FORMAT = "twitter-v1";

  static final StructType ENTITIES = struct(
      "hashtags", listOf(text("text")),
      "user_mentions", listOf(text("screen_name", "id_str")),
      "urls", listOf(text("url", "expanded_url")));
  static final StructType USER = text("id", "id_str", "name", "screen_name", "location", "description", "followers_count",
      "friends_count", "listed_count", "favourites_count", "statuses_count", "created_at", "verified", "default_profile",
      "default_profile_image", "profile_use_background_image", "url", "geo_enabled", "profile_banner_url");
  static final StructType REF = struct("id", STRING, "id_str", STRING, "user", text("id", "id_str"));
  static final StructType TWEET = text("id", "id_str", "created_at", "text", "full_text", "lang", "source",
      "in_reply_to_status_id", "in_reply_to_status_id_str", "in_reply_to_user_id", "in_reply_to_user_id_str", "quoted_status_id_str")
      .add("entities", ENTITIES)
      .add("extended_tweet", struct("full_text", STRING, "entities", ENTITIES))
      .add("retweeted_status", REF)
      .add("quoted_status", REF)
      .add("user", USER);

  private TwitterV1() {}

  static Column id(String prefix) {
    return coalesce(col(prefix + "id_str"), col(prefix + "id"));
  }

  /** A record with a profile and neither a tweet id nor text: an account snapshot, not a post. */
  static Column isProbe() {
    return col(Validation.CORRUPT).isNull().and(id("").isNull()).and(col("text").isNull()).and(col("full_text").isNull())
        .and(col("user").isNotNull());
  }

  static Column clientName(Column sourceHtml) {
    Column inner = regexp_extract(sourceHtml, ">([^<]*)</a>", 1);
    return when(inner.equalTo(""), sourceHtml).otherwise(inner);
  }

  static Adapters.RawArchive read(SparkSession spark, List<String> inputs, ArchiveFiles.OnCorrupt onCorrupt) {
    ArchiveFiles.Files files = ArchiveFiles.check(spark, ArchiveFiles.list(spark, inputs, JsonArchive.SUFFIXES), onCorrupt,
        "re-export the file as Twitter v1.1 JSON (one tweet per line or a JSON array)");
    Dataset<Row> raw = JsonArchive.read(spark, files, TWEET, FORMAT);
    Column kind = when(col("retweeted_status").isNotNull(), lit(Posts.KIND_REPOST))
        .when(coalesce(col("quoted_status_id_str"), id("quoted_status.")).isNotNull(), lit(Posts.KIND_QUOTE))
        .when(coalesce(col("in_reply_to_status_id_str"), col("in_reply_to_status_id")).isNotNull(), lit(Posts.KIND_REPLY))
        .otherwise(lit(Posts.KIND_ORIGINAL));
    Column parent = when(col("retweeted_status").isNotNull(), id("retweeted_status."))
        .when(coalesce(col("quoted_status_id_str"), id("quoted_status.")).isNotNull(), coalesce(col("quoted_status_id_str"), id("quoted_status.")))
        .otherwise(coalesce(col("in_reply_to_status_id_str"), col("in_reply_to_status_id")));
    Column parentAccount = when(col("retweeted_status").isNotNull(), id("retweeted_status.user."))
        .when(col("quoted_status").isNotNull(), id("quoted_status.user."))
        .otherwise(coalesce(col("in_reply_to_user_id_str"), col("in_reply_to_user_id")));
    Column entities = coalesce(col("extended_tweet.entities"), col("entities"));
    Dataset<Row> posts = raw.filter(isProbe().unary_$bang()).select(
        id("").as(Posts.POST_ID),
        lit("twitter").as(Posts.PLATFORM),
        id("user.").as(Posts.ACCOUNT_ID),
        JsonArchive.twitterTimeOrText(col("created_at")).as(Posts.CREATED_AT),
        coalesce(col("extended_tweet.full_text"), col("full_text"), col("text")).as(Posts.TEXT),
        col("lang").as(Posts.LANG),
        kind.as(Posts.KIND),
        parent.as(Posts.PARENT_POST_ID),
        parentAccount.as(Posts.PARENT_ACCOUNT_ID),
        JsonArchive.lowerAll(entities.getField("hashtags"), "text").as(Posts.HASHTAGS),
        JsonArchive.lowerAll(entities.getField("user_mentions"), "screen_name").as(Posts.MENTIONS),
        transform(entities.getField("urls"), u -> coalesce(u.getField("expanded_url"), u.getField("url"))).as(Posts.URLS),
        clientName(col("source")).as(Posts.SOURCE),
        col("user.screen_name").as(Posts.AUTHOR_SCREEN_NAME),
        col("user.followers_count").as(Posts.AUTHOR_FOLLOWERS_COUNT),
        col("user.friends_count").as(Posts.AUTHOR_FRIENDS_COUNT),
        col("user.statuses_count").as(Posts.AUTHOR_STATUSES_COUNT),
        col(Validation.CORRUPT),
        col(Validation.SOURCE_FILE),
        recordOf(raw).as(Validation.RECORD));
    Dataset<Row> accounts = raw.filter(col(Validation.CORRUPT).isNull().and(col("user").isNotNull()))
        .select(user(col("user"), JsonArchive.twitterTimeOrText(col("created_at"))).toArray(new Column[0]));
    Dataset<Row> probes = raw.filter(isProbe()).select(col(Validation.SOURCE_FILE));
    Dataset<Row> labels = Adapters.labelFiles(spark, inputs, ".tsv", "\t", Adapters.sourceName(inputs));
    return Adapters.RawArchive.of(posts, accounts, labels).withProfileOnly(probes).withSkipped(files.skipped());
  }

  /** The whole parsed record (the canonical raw form for quarantine). */
  static Column recordOf(Dataset<Row> raw) {
    return Adapters.record(java.util.Arrays.stream(raw.columns())
        .filter(c -> !c.startsWith("_")).toArray(String[]::new));
  }

  /** Canonical account columns from a v1.1 user object observed at {@code observedAt}. */
  static List<Column> user(Column u, Column observedAt) {
    return List.of(
        coalesce(u.getField("id_str"), u.getField("id")).as(Accounts.ACCOUNT_ID),
        lit("twitter").as(Accounts.PLATFORM),
        observedAt.as(Accounts.OBSERVED_AT),
        u.getField("screen_name").as(Accounts.SCREEN_NAME),
        u.getField("name").as(Accounts.DISPLAY_NAME),
        u.getField("description").as(Accounts.DESCRIPTION),
        JsonArchive.twitterTimeOrText(u.getField("created_at")).as(Accounts.ACCOUNT_CREATED_AT),
        u.getField("followers_count").as(Accounts.FOLLOWERS_COUNT),
        u.getField("friends_count").as(Accounts.FRIENDS_COUNT),
        u.getField("statuses_count").as(Accounts.STATUSES_COUNT),
        u.getField("favourites_count").as(Accounts.FAVOURITES_COUNT),
        u.getField("listed_count").as(Accounts.LISTED_COUNT),
        Adapters.flag(u.getField("verified")).as(Accounts.VERIFIED),
        Adapters.flag(u.getField("default_profile")).as(Accounts.DEFAULT_PROFILE),
        Adapters.flag(u.getField("default_profile_image")).as(Accounts.DEFAULT_PROFILE_IMAGE),
        Adapters.flag(u.getField("profile_use_background_image")).as(Accounts.PROFILE_USE_BACKGROUND_IMAGE),
        coalesce(u.getField("location"), lit("")).as(Accounts.LOCATION),
        Adapters.present(u.getField("url")).as(Accounts.HAS_URL),
        Adapters.flag(u.getField("geo_enabled")).as(Accounts.GEO_ENABLED),
        Adapters.present(u.getField("profile_banner_url")).as(Accounts.HAS_BANNER),
        col(Validation.SOURCE_FILE),
        u.as(Validation.RECORD));
  }
}
