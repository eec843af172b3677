package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** Canonical posts: the input of every stage after ingest, and the table ingest writes. */
public final class Posts {
  public static final String TABLE = "posts";
  public static final int VERSION = 1;

  public static final String POST_ID = "post_id";
  public static final String PLATFORM = "platform";
  public static final String ACCOUNT_ID = "account_id";
  public static final String CREATED_AT = "created_at";
  public static final String TEXT = "text";
  public static final String LANG = "lang";
  public static final String KIND = "kind";
  public static final String PARENT_POST_ID = "parent_post_id";
  public static final String PARENT_ACCOUNT_ID = "parent_account_id";
  public static final String HASHTAGS = "hashtags";
  public static final String MENTIONS = "mentions";
  public static final String URLS = "urls";
  public static final String SOURCE = "source";
  public static final String AUTHOR_SCREEN_NAME = "author_screen_name";
  public static final String AUTHOR_FOLLOWERS_COUNT = "author_followers_count";
  public static final String AUTHOR_FRIENDS_COUNT = "author_friends_count";
  public static final String AUTHOR_STATUSES_COUNT = "author_statuses_count";
  public static final String PARENT_MISSING = "parent_missing";

  public static final String KIND_ORIGINAL = "original";
  public static final String KIND_REPOST = "repost";
  public static final String KIND_REPLY = "reply";
  public static final String KIND_QUOTE = "quote";
  public static final List<String> KINDS = List.of(KIND_ORIGINAL, KIND_REPOST, KIND_REPLY, KIND_QUOTE);

  public static final StructType SCHEMA =
      Fields.struct(
          required(POST_ID, StringType, "Platform post id, unique per platform", "id"),
          required(PLATFORM, StringType, "Platform name: twitter, bluesky, mastodon, synthetic", "name"),
          required(ACCOUNT_ID, StringType, "Author account id", "id"),
          required(CREATED_AT, TimestampType, "When the post was published", "timestamp UTC"),
          optional(TEXT, StringType, "Post text as published (reposts carry the parent text)", "text"),
          optional(LANG, StringType, "Language of the post", "BCP-47 code"),
          required(KIND, StringType, "original, repost, reply or quote", "enum"),
          optional(PARENT_POST_ID, StringType, "Post a repost, reply or quote points at; null for originals", "id"),
          optional(PARENT_ACCOUNT_ID, StringType, "Author of the parent post", "id"),
          optional(HASHTAGS, createArrayType(StringType), "Hashtags in order of appearance, lower case, without #", "list"),
          optional(MENTIONS, createArrayType(StringType), "Mentioned screen names, lower case, without @", "list"),
          optional(URLS, createArrayType(StringType), "Expanded URLs in order of appearance", "list"),
          optional(SOURCE, StringType, "Client application that published the post", "name"),
          optional(AUTHOR_SCREEN_NAME, StringType, "Author screen name at publication (embedded snapshot)", "text"),
          optional(AUTHOR_FOLLOWERS_COUNT, LongType, "Author followers at publication (embedded snapshot)", "count"),
          optional(AUTHOR_FRIENDS_COUNT, LongType, "Author friends/following at publication (embedded snapshot)", "count"),
          optional(AUTHOR_STATUSES_COUNT, LongType, "Author lifetime posts at publication (embedded snapshot)", "count"),
          optional(PARENT_MISSING, BooleanType, "Set by ingest: true when parent_post_id is not in the archive", "flag"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.INPUT, VERSION, "One row per post.", SCHEMA, false);

  private Posts() {}
}
