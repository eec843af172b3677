package io.chorus;

import io.chorus.schema.Accounts;
import io.chorus.schema.Posts;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/** Tiny hand-made rows in the canonical schemas. */
public final class Fixtures {
  private Fixtures() {}

  public static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  static scala.collection.immutable.Seq<String> seq(String... values) {
    return CollectionConverters.asScala(Arrays.asList(values)).toSeq();
  }

  /** A post builder: {@code post("p1", "a1", "2024-03-01T10:00:00Z").repostOf("p0", "a0").row()}. */
  public static PostBuilder post(String postId, String accountId, String createdAt) {
    return new PostBuilder(postId, accountId, createdAt);
  }

  public static final class PostBuilder {
    private final Object[] v = new Object[Posts.SCHEMA.fields().length];

    PostBuilder(String postId, String accountId, String createdAt) {
      set(Posts.POST_ID, postId);
      set(Posts.PLATFORM, "twitter");
      set(Posts.ACCOUNT_ID, accountId);
      set(Posts.CREATED_AT, createdAt == null ? null : ts(createdAt));
      set(Posts.KIND, Posts.KIND_ORIGINAL);
      set(Posts.TEXT, "text of " + postId);
      set(Posts.HASHTAGS, seq());
      set(Posts.MENTIONS, seq());
      set(Posts.URLS, seq());
      set(Posts.SOURCE, "web");
    }

    public PostBuilder set(String column, Object value) {
      v[Posts.SCHEMA.fieldIndex(column)] = value;
      return this;
    }

    public PostBuilder kind(String kind, String parentPostId, String parentAccountId) {
      return set(Posts.KIND, kind).set(Posts.PARENT_POST_ID, parentPostId).set(Posts.PARENT_ACCOUNT_ID, parentAccountId);
    }

    public PostBuilder repostOf(String parentPostId, String parentAccountId) {
      return kind(Posts.KIND_REPOST, parentPostId, parentAccountId);
    }

    public PostBuilder text(String text) {
      return set(Posts.TEXT, text);
    }

    public PostBuilder hashtags(String... tags) {
      return set(Posts.HASHTAGS, seq(tags));
    }

    public PostBuilder mentions(String... names) {
      return set(Posts.MENTIONS, seq(names));
    }

    public PostBuilder urls(String... urls) {
      return set(Posts.URLS, seq(urls));
    }

    public PostBuilder source(String source) {
      return set(Posts.SOURCE, source);
    }

    public PostBuilder screenName(String name) {
      return set(Posts.AUTHOR_SCREEN_NAME, name);
    }

    public Row row() {
      return RowFactory.create(v.clone());
    }
  }

  public static Dataset<Row> posts(SparkSession spark, PostBuilder... builders) {
    List<Row> rows = new ArrayList<>();
    for (PostBuilder b : builders) {
      rows.add(b.row());
    }
    return spark.createDataFrame(rows, nullable(Posts.SCHEMA));
  }

  /** The schema with every column nullable: raw archives may hold nulls anywhere. */
  public static StructType nullable(StructType schema) {
    return new StructType(java.util.Arrays.stream(schema.fields())
        .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new));
  }

  /** A profile snapshot with the given counts; other columns take plain defaults. */
  public static Row account(String accountId, String screenName, String createdAt, String observedAt, long followers, long friends, long statuses) {
    Object[] v = new Object[Accounts.SCHEMA.fields().length];
    v[Accounts.SCHEMA.fieldIndex(Accounts.ACCOUNT_ID)] = accountId;
    v[Accounts.SCHEMA.fieldIndex(Accounts.PLATFORM)] = "twitter";
    v[Accounts.SCHEMA.fieldIndex(Accounts.OBSERVED_AT)] = ts(observedAt);
    v[Accounts.SCHEMA.fieldIndex(Accounts.SCREEN_NAME)] = screenName;
    v[Accounts.SCHEMA.fieldIndex(Accounts.DISPLAY_NAME)] = screenName;
    v[Accounts.SCHEMA.fieldIndex(Accounts.DESCRIPTION)] = "";
    v[Accounts.SCHEMA.fieldIndex(Accounts.ACCOUNT_CREATED_AT)] = ts(createdAt);
    v[Accounts.SCHEMA.fieldIndex(Accounts.FOLLOWERS_COUNT)] = followers;
    v[Accounts.SCHEMA.fieldIndex(Accounts.FRIENDS_COUNT)] = friends;
    v[Accounts.SCHEMA.fieldIndex(Accounts.STATUSES_COUNT)] = statuses;
    v[Accounts.SCHEMA.fieldIndex(Accounts.FAVOURITES_COUNT)] = 0L;
    v[Accounts.SCHEMA.fieldIndex(Accounts.LISTED_COUNT)] = 0L;
    v[Accounts.SCHEMA.fieldIndex(Accounts.VERIFIED)] = false;
    v[Accounts.SCHEMA.fieldIndex(Accounts.DEFAULT_PROFILE)] = false;
    v[Accounts.SCHEMA.fieldIndex(Accounts.DEFAULT_PROFILE_IMAGE)] = false;
    v[Accounts.SCHEMA.fieldIndex(Accounts.PROFILE_USE_BACKGROUND_IMAGE)] = true;
    return RowFactory.create(v);
  }
}
