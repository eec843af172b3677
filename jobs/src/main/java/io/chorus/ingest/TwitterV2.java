package io.chorus.ingest;

import static io.chorus.ingest.JsonArchive.STRING;
import static io.chorus.ingest.JsonArchive.listOf;
import static io.chorus.ingest.JsonArchive.struct;
import static io.chorus.ingest.JsonArchive.text;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import io.chorus.schema.Accounts;
import io.chorus.schema.Posts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Twitter API v2 JSON (https://developer.x.com/en/docs/x-api/data-dictionary/introduction), one JSON
 * value per line or a JSON array per file, optionally gzipped. Three record shapes are recognised:
 *
 * <ul>
 *   <li>a response page {@code {data: [tweets] | tweet, includes: {users, tweets}, meta}}: each tweet in
 *       {@code data} is one record; {@code includes.users} become account snapshots observed at the
 *       page's newest tweet (or {@code --observed-at}); authors of referenced tweets come from {@code
 *       includes.tweets};
 *   <li>a flattened tweet (twarc2 {@code flatten}) with {@code text}/{@code author_id} and an optional
 *       embedded {@code author} user, observed at the tweet's time;
 *   <li>a user object with {@code username} and no text (TwiBot-22's {@code user.json}): a profile-only
 *       record, observed at {@code --observed-at} (default: the run date; v2 user objects carry no
 *       collection time).
 * </ul>
 * {@code created_at} may be ISO-8601 text or epoch milliseconds. kind comes from {@code
 * referenced_tweets} (retweeted, then quoted, then replied_to). Labels: every {@code *.csv} file in
 * the input ({@code id,label}, as TwiBot-22's {@code label.csv}).
 */
final class TwitterV2 {
  static final String FORMAT = "twitter-v2";

  static final StructType METRICS = text("followers_count", "following_count", "tweet_count", "listed_count",
      "retweet_count", "reply_count", "like_count", "quote_count");
  static final StructType USER = text("id", "username", "name", "description", "location", "created_at", "verified", "protected",
      "profile_image_url", "url").add("public_metrics", METRICS);
  static final StructType ENTITIES = struct(
      "hashtags", listOf(text("tag")),
      "mentions", listOf(text("username", "id")),
      "urls", listOf(text("url", "expanded_url")));
  static final StructType TWEET = text("id", "text", "author_id", "created_at", "lang", "source", "conversation_id", "in_reply_to_user_id")
      .add("referenced_tweets", listOf(text("type", "id")))
      .add("entities", ENTITIES)
      .add("author", USER);
  /** The union of the three shapes; {@code data} stays text so that both a list and a single tweet parse. */
  static final StructType RECORD = TWEET
      .add("username", STRING).add("name", STRING).add("description", STRING).add("location", STRING).add("verified", STRING)
      .add("protected", STRING).add("profile_image_url", STRING).add("url", STRING).add("public_metrics", METRICS)
      .add("data", STRING)
      .add("includes", struct("users", listOf(USER), "tweets", listOf(TWEET)))
      .add("meta", text("result_count", "next_token"));

  private TwitterV2() {}

  static Column isPage() {
    return col(Validation.CORRUPT).isNull().and(col("data").isNotNull().or(col("includes").isNotNull()).or(col("meta").isNotNull()));
  }

  static Column isUser() {
    return col(Validation.CORRUPT).isNull().and(col("username").isNotNull()).and(col("text").isNull()).and(col("author_id").isNull())
        .and(isPage().unary_$bang());
  }

  /** The page's tweets whether {@code data} is a list or one object; malformed data gives null. */
  static Column dataTweets() {
    Column d = trim(col("data"));
    return when(d.startsWith("["), from_json(d, listOf(TWEET), Map.of("mode", "PERMISSIVE")))
        .when(d.startsWith("{"), array(from_json(d, TWEET, Map.of("mode", "PERMISSIVE"))));
  }

  static Column refId(Column refs, String type) {
    return try_element_at(filter(refs, r -> r.getField("type").equalTo(type)), lit(1)).getField("id");
  }

  /** Canonical post columns of tweet {@code t}; {@code includedTweets} resolves parents' authors. */
  static List<Column> post(Column t, Column includedTweets, Column author) {
    Column refs = t.getField("referenced_tweets");
    Column retweeted = refId(refs, "retweeted");
    Column quoted = refId(refs, "quoted");
    Column repliedTo = refId(refs, "replied_to");
    Column kind = when(retweeted.isNotNull(), lit(Posts.KIND_REPOST)).when(quoted.isNotNull(), lit(Posts.KIND_QUOTE))
        .when(repliedTo.isNotNull(), lit(Posts.KIND_REPLY)).otherwise(lit(Posts.KIND_ORIGINAL));
    Column parent = coalesce(retweeted, quoted, repliedTo);
    Column parentAuthor = try_element_at(filter(includedTweets, x -> x.getField("id").equalTo(parent)), lit(1)).getField("author_id");
    Column metrics = author.getField("public_metrics");
    return new ArrayList<>(List.of(
        t.getField("id").as(Posts.POST_ID),
        lit("twitter").as(Posts.PLATFORM),
        t.getField("author_id").as(Posts.ACCOUNT_ID),
        JsonArchive.epochMillisOrText(t.getField("created_at")).as(Posts.CREATED_AT),
        t.getField("text").as(Posts.TEXT),
        t.getField("lang").as(Posts.LANG),
        kind.as(Posts.KIND),
        parent.as(Posts.PARENT_POST_ID),
        when(repliedTo.isNotNull().and(retweeted.isNull()).and(quoted.isNull()), coalesce(t.getField("in_reply_to_user_id"), parentAuthor))
            .otherwise(parentAuthor).as(Posts.PARENT_ACCOUNT_ID),
        JsonArchive.lowerAll(t.getField("entities").getField("hashtags"), "tag").as(Posts.HASHTAGS),
        JsonArchive.lowerAll(t.getField("entities").getField("mentions"), "username").as(Posts.MENTIONS),
        transform(t.getField("entities").getField("urls"), u -> coalesce(u.getField("expanded_url"), u.getField("url"))).as(Posts.URLS),
        t.getField("source").as(Posts.SOURCE),
        author.getField("username").as(Posts.AUTHOR_SCREEN_NAME),
        metrics.getField("followers_count").as(Posts.AUTHOR_FOLLOWERS_COUNT),
        metrics.getField("following_count").as(Posts.AUTHOR_FRIENDS_COUNT),
        metrics.getField("tweet_count").as(Posts.AUTHOR_STATUSES_COUNT)));
  }

  /** Canonical account columns of v2 user {@code u} observed at {@code observedAt}. */
  static List<Column> user(Column u, Column observedAt) {
    Column m = u.getField("public_metrics");
    return List.of(
        u.getField("id").as(Accounts.ACCOUNT_ID),
        lit("twitter").as(Accounts.PLATFORM),
        observedAt.as(Accounts.OBSERVED_AT),
        u.getField("username").as(Accounts.SCREEN_NAME),
        u.getField("name").as(Accounts.DISPLAY_NAME),
        u.getField("description").as(Accounts.DESCRIPTION),
        JsonArchive.epochMillisOrText(u.getField("created_at")).as(Accounts.ACCOUNT_CREATED_AT),
        m.getField("followers_count").as(Accounts.FOLLOWERS_COUNT),
        m.getField("following_count").as(Accounts.FRIENDS_COUNT),
        m.getField("tweet_count").as(Accounts.STATUSES_COUNT),
        lit(null).cast("string").as(Accounts.FAVOURITES_COUNT),
        m.getField("listed_count").as(Accounts.LISTED_COUNT),
        Adapters.flag(u.getField("verified")).as(Accounts.VERIFIED),
        lit(null).cast("boolean").as(Accounts.DEFAULT_PROFILE),
        u.getField("profile_image_url").contains("default_profile_images").as(Accounts.DEFAULT_PROFILE_IMAGE),
        lit(null).cast("boolean").as(Accounts.PROFILE_USE_BACKGROUND_IMAGE),
        coalesce(u.getField("location"), lit("")).as(Accounts.LOCATION),
        Adapters.present(u.getField("url")).as(Accounts.HAS_URL),
        col(Validation.SOURCE_FILE),
        to_json(u).as(Validation.RECORD));
  }

  /**
   * @param observedAt {@code --observed-at} as a timestamp-text column, or a null literal when not given
   * @param runDate the run date, the snapshot time of user records when {@code --observed-at} is not given
   */
  static Adapters.RawArchive read(SparkSession spark, List<String> inputs, ArchiveFiles.OnCorrupt onCorrupt, Column observedAt, Column runDate) {
    ArchiveFiles.Files files = ArchiveFiles.check(spark, ArchiveFiles.list(spark, inputs, JsonArchive.SUFFIXES), onCorrupt,
        "re-export the file as Twitter API v2 JSON (one response page, tweet or user per line, or a JSON array)");
    Dataset<Row> raw = JsonArchive.read(spark, files, RECORD, FORMAT);
    Column noUsers = lit(null).cast(listOf(USER));
    Column noTweets = lit(null).cast(listOf(TWEET));

    // Response pages: one record per tweet in data.
    Dataset<Row> pages = raw.filter(isPage()).withColumn("_tweets", dataTweets());
    Dataset<Row> pageTweets = pages
        .select(explode(col("_tweets")).as("_t"), col("includes"), col(Validation.SOURCE_FILE))
        .withColumn("_author", try_element_at(filter(col("includes.users"), u -> u.getField("id").equalTo(col("_t.author_id"))), lit(1)));
    List<Column> pageCols = post(col("_t"), col("includes.tweets"), col("_author"));
    pageCols.add(lit(null).cast("string").as(Validation.CORRUPT));
    pageCols.add(col(Validation.SOURCE_FILE));
    pageCols.add(to_json(col("_t")).as(Validation.RECORD));
    Dataset<Row> posts1 = pageTweets.select(pageCols.toArray(new Column[0]));

    // Flattened tweets, and anything unrecognised (quarantined by validation with its reason).
    Dataset<Row> rest = raw.filter(isPage().unary_$bang().and(isUser().unary_$bang()));
    List<Column> restCols = post(col("_self"), noTweets, col("author"));
    restCols.add(col(Validation.CORRUPT));
    restCols.add(col(Validation.SOURCE_FILE));
    restCols.add(to_json(TwitterV1.recordOf(raw)).as(Validation.RECORD));
    Dataset<Row> posts2 = rest.withColumn("_self", TwitterV1.recordOf(raw)).select(restCols.toArray(new Column[0]));
    Dataset<Row> posts = posts1.unionByName(posts2);

    Column newest = array_max(transform(col("_tweets"), t -> JsonArchive.epochMillisOrText(t.getField("created_at"))));
    Dataset<Row> pageUsers = pages.select(explode(col("includes.users")).as("_u"), coalesce(observedAt, newest).as("_seen"),
        col(Validation.SOURCE_FILE)).select(user(col("_u"), col("_seen")).toArray(new Column[0]));
    Dataset<Row> authors = rest.filter(col(Validation.CORRUPT).isNull().and(col("author").isNotNull()))
        .select(user(col("author"), JsonArchive.epochMillisOrText(col("created_at"))).toArray(new Column[0]));
    Dataset<Row> userRecords = raw.filter(isUser()).withColumn("_self", TwitterV1.recordOf(raw));
    Dataset<Row> users = userRecords.select(user(col("_self"), coalesce(observedAt, runDate)).toArray(new Column[0]));
    Dataset<Row> accounts = pageUsers.unionByName(authors).unionByName(users);

    Dataset<Row> labels = Adapters.labelFiles(spark, inputs, ".csv", ",", Adapters.sourceName(inputs));
    return Adapters.RawArchive.of(posts, accounts, labels).withProfileOnly(raw.filter(isUser()).select(col(Validation.SOURCE_FILE)))
        .withSkipped(files.skipped());
  }
}
