package io.chorus.ingest;

import static io.chorus.ingest.JsonArchive.listOf;
import static io.chorus.ingest.JsonArchive.text;
import static org.apache.spark.sql.functions.array_union;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract_all;
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
 * Mastodon statuses as returned by the Mastodon REST API (the Status entity,
 * https://docs.joinmastodon.org/entities/Status/, with its Account entity), one per line or as JSON
 * arrays (timeline pages), optionally gzipped. This is what archives collected from public or
 * hashtag timelines hold.
 *
 * <ul>
 *   <li>post_id and account_id are the instance-local ids of the instance the archive was collected
 *       from (reblogs and replies point at ids on that same instance), so keep one instance per
 *       ingest input, or ids of different instances may collide;
 *   <li>a status with {@code reblog} is a repost of it (its own content is empty; text is the
 *       reblogged content); {@code in_reply_to_id} makes a reply; Mastodon has no quote posts;
 *   <li>text is the HTML content as plain text; hashtags come from {@code tags}, mentions from
 *       {@code mentions[].acct}, URLs from the content's links that are not mentions or hashtags, plus
 *       the preview card's URL;
 *   <li>the embedded {@code account} becomes an account snapshot observed at the status time;
 *       {@code followers_count}/{@code following_count}/{@code statuses_count} map to the canonical
 *       counts. The account's {@code bot} flag is self-declared and optional, so it is not turned
 *       into a label.
 * </ul>
 */
final class Mastodon {
  static final String FORMAT = "mastodon";

  static final StructType ACCOUNT = text("id", "username", "acct", "display_name", "note", "url", "followers_count", "following_count",
      "statuses_count", "created_at", "bot", "locked", "avatar");
  static final StructType STATUS = text("id", "uri", "url", "created_at", "content", "language", "visibility", "in_reply_to_id",
      "in_reply_to_account_id")
      .add("account", ACCOUNT)
      .add("reblog", text("id", "uri", "created_at", "content").add("account", text("id", "acct")))
      .add("tags", listOf(text("name")))
      .add("mentions", listOf(text("id", "username", "acct")))
      .add("application", text("name", "website"))
      .add("card", text("url"));

  /** href of anchors that are not mention or hashtag links. */
  static final String LINK = "<a\\s+href=\"([^\"]+)\"(?![^>]*class=\"[^\"]*(?:mention|hashtag))[^>]*>";

  private Mastodon() {}

  static Adapters.RawArchive read(SparkSession spark, List<String> inputs, ArchiveFiles.OnCorrupt onCorrupt) {
    ArchiveFiles.Files files = ArchiveFiles.check(spark, ArchiveFiles.list(spark, inputs, JsonArchive.SUFFIXES), onCorrupt,
        "re-export the file as Mastodon API statuses (one per line or a JSON array)");
    Dataset<Row> raw = JsonArchive.read(spark, files, STATUS, FORMAT);
    Column reblog = col("reblog");
    Column content = when(reblog.isNotNull(), col("reblog.content")).otherwise(col("content"));
    Column links = regexp_extract_all(coalesce(content, lit("")), lit(LINK), lit(1));
    Column card = when(col("card.url").isNotNull(), org.apache.spark.sql.functions.array(col("card.url")));
    Column kind = when(reblog.isNotNull(), lit(Posts.KIND_REPOST)).when(col("in_reply_to_id").isNotNull(), lit(Posts.KIND_REPLY))
        .otherwise(lit(Posts.KIND_ORIGINAL));
    Dataset<Row> posts = raw.select(
        col("id").as(Posts.POST_ID),
        lit(FORMAT).as(Posts.PLATFORM),
        col("account.id").as(Posts.ACCOUNT_ID),
        col("created_at").as(Posts.CREATED_AT),
        JsonArchive.htmlText(content).as(Posts.TEXT),
        col("language").as(Posts.LANG),
        kind.as(Posts.KIND),
        when(reblog.isNotNull(), col("reblog.id")).otherwise(col("in_reply_to_id")).as(Posts.PARENT_POST_ID),
        when(reblog.isNotNull(), col("reblog.account.id")).otherwise(col("in_reply_to_account_id")).as(Posts.PARENT_ACCOUNT_ID),
        JsonArchive.lowerAll(col("tags"), "name").as(Posts.HASHTAGS),
        JsonArchive.lowerAll(col("mentions"), "acct").as(Posts.MENTIONS),
        when(card.isNull(), links).otherwise(array_union(links, card)).as(Posts.URLS),
        col("application.name").as(Posts.SOURCE),
        col("account.acct").as(Posts.AUTHOR_SCREEN_NAME),
        col("account.followers_count").as(Posts.AUTHOR_FOLLOWERS_COUNT),
        col("account.following_count").as(Posts.AUTHOR_FRIENDS_COUNT),
        col("account.statuses_count").as(Posts.AUTHOR_STATUSES_COUNT),
        col(Validation.CORRUPT),
        col(Validation.SOURCE_FILE),
        TwitterV1.recordOf(raw).as(Validation.RECORD));
    Column a = col("account");
    Dataset<Row> accounts = raw.filter(col(Validation.CORRUPT).isNull().and(a.isNotNull())).select(
        a.getField("id").as(Accounts.ACCOUNT_ID),
        lit(FORMAT).as(Accounts.PLATFORM),
        col("created_at").as(Accounts.OBSERVED_AT),
        a.getField("acct").as(Accounts.SCREEN_NAME),
        a.getField("display_name").as(Accounts.DISPLAY_NAME),
        JsonArchive.htmlText(a.getField("note")).as(Accounts.DESCRIPTION),
        a.getField("created_at").as(Accounts.ACCOUNT_CREATED_AT),
        a.getField("followers_count").as(Accounts.FOLLOWERS_COUNT),
        a.getField("following_count").as(Accounts.FRIENDS_COUNT),
        a.getField("statuses_count").as(Accounts.STATUSES_COUNT),
        a.getField("avatar").contains("/avatars/original/missing.png").as(Accounts.DEFAULT_PROFILE_IMAGE),
        col(Validation.SOURCE_FILE),
        a.as(Validation.RECORD));
    return Adapters.RawArchive.of(posts, accounts, null).withSkipped(files.skipped());
  }
}
