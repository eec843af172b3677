package io.chorus.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract_all;
import static org.apache.spark.sql.functions.sha1;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.chorus.ChorusException;
import io.chorus.io.Tables;
import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Archive layouts converted to canonical column names. Values stay raw where validation must judge
 * them (timestamps as text, counts as text): {@link Validation} then quarantines what does not cast.
 * Each adapter keeps the original record in {@link Validation#RECORD} for the quarantine's raw column.
 */
public final class Adapters {
  public static final String IRA_CSV = "ira-csv";
  public static final String CRESCI_CSV = "cresci-csv";
  public static final List<String> FORMATS = List.of(IngestJob.FORMAT_CANONICAL, IRA_CSV, CRESCI_CSV);
  static final String CORRUPT = Validation.CORRUPT;

  private Adapters() {}

  /** Raw tables of one archive; posts may be empty for profile-only sets. */
  public record RawArchive(Dataset<Row> posts, Optional<Dataset<Row>> accounts, Optional<Dataset<Row>> labels) {}

  static Dataset<Row> csv(SparkSession spark, StructType columns, String path, String sep) {
    StructType withCorrupt = columns.add(CORRUPT, DataTypes.StringType);
    try {
      return spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").option("sep", sep)
          .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT).schema(withCorrupt).csv(path)
          .withColumn(Validation.SOURCE_FILE, input_file_name());
    } catch (RuntimeException e) {
      throw new ChorusException("Cannot read CSV at " + path + ": " + Tables.firstLine(e) + ". Fix: check the path and the --format.", e);
    }
  }

  static StructType strings(String... names) {
    StructType s = new StructType();
    for (String n : names) {
      s = s.add(n, DataTypes.StringType);
    }
    return s;
  }

  static Column record(String... names) {
    return struct(Arrays.stream(names).map(n -> col(n)).toArray(Column[]::new));
  }

  static String requireFolder(SparkSession spark, List<String> inputs, String format) {
    if (inputs.size() != 1 || !Tables.exists(spark, inputs.get(0))) {
      throw new ChorusException("--format " + format + " needs --input to be one existing folder, got " + inputs + ".");
    }
    return inputs.get(0);
  }

  // ------------------------------------------------------------------ IRA (FiveThirtyEight)

  static final String[] IRA_COLUMNS = {
    "author_id", "content", "region", "language", "publish_date", "harvested_date", "following", "followers", "updates", "post_type", "retweet"
  };
  static final String[][] LANGUAGES = {
    {"english", "en"}, {"russian", "ru"}, {"german", "de"}, {"ukrainian", "uk"}, {"italian", "it"}, {"spanish", "es"}, {"french", "fr"},
    {"arabic", "ar"}, {"serbian", "sr"}, {"uzbek", "uz"}, {"bulgarian", "bg"}, {"macedonian", "mk"}, {"dutch", "nl"}, {"portuguese", "pt"},
    {"farsi (persian)", "fa"}, {"turkish", "tr"}, {"polish", "pl"}, {"romanian", "ro"}, {"croatian", "hr"}, {"swedish", "sv"}
  };

  static Column languageCode(Column name) {
    Column n = lower(trim(name));
    Column out = when(n.isNull().or(n.equalTo("")), lit(null).cast("string"));
    for (String[] l : LANGUAGES) {
      out = out.when(n.equalTo(l[0]), l[1]);
    }
    return out.otherwise("und");
  }

  /** Every match of {@code regex}'s group in the text, lower case. */
  static Column extractAll(Column text, String regex, int group) {
    return regexp_extract_all(lower(coalesce(text, lit(""))), lit(regex), lit(group));
  }

  /**
   * The FiveThirtyEight IRA troll tweets ({@code tweets-*.csv[.gz]} and {@code authors.csv}). There is
   * no tweet id: post_id is a SHA-1 of the whole record, so an exactly repeated row is a duplicate.
   * post_type R and Q become repost and quote; a retweet does not name its original, so parents are
   * unknown (parent_missing). Hashtags, mentions and URLs come from the text. Author counts per
   * harvested_date become account snapshots. With {@code iraLabels}, every author in authors.csv is
   * offered as a label bot/ira: the accounts are state-run, but many were run by people, so treat
   * the label as "state-operated", not "automated".
   */
  public static RawArchive ira(SparkSession spark, List<String> inputs, boolean iraLabels) {
    String dir = requireFolder(spark, inputs, IRA_CSV);
    Dataset<Row> raw = csv(spark, strings(IRA_COLUMNS), dir + "/tweets*.csv*", ",");
    Column kind = when(col("post_type").isNull().or(trim(col("post_type")).equalTo("")), lit(Posts.KIND_ORIGINAL))
        .when(col("post_type").isin("R", "RETWEET"), lit(Posts.KIND_REPOST))
        .when(col("post_type").isin("Q", "QUOTE_TWEET"), lit(Posts.KIND_QUOTE))
        .otherwise(col("post_type"));
    Dataset<Row> posts = raw.select(
        sha1(concat_ws("\u0001", Arrays.stream(IRA_COLUMNS).map(c -> coalesce(col(c), lit(""))).toArray(Column[]::new))).as(Posts.POST_ID),
        lit("twitter").as(Posts.PLATFORM),
        lower(col("author_id")).as(Posts.ACCOUNT_ID),
        col("publish_date").as(Posts.CREATED_AT),
        col("content").as(Posts.TEXT),
        languageCode(col("language")).as(Posts.LANG),
        kind.as(Posts.KIND),
        col("author_id").as(Posts.AUTHOR_SCREEN_NAME),
        col("followers").as(Posts.AUTHOR_FOLLOWERS_COUNT),
        col("following").as(Posts.AUTHOR_FRIENDS_COUNT),
        col("updates").as(Posts.AUTHOR_STATUSES_COUNT),
        col(CORRUPT),
        col(Validation.SOURCE_FILE),
        record(IRA_COLUMNS).as(Validation.RECORD));
    posts = posts
        .withColumn(Posts.HASHTAGS, extractAll(col(Posts.TEXT), "#(\\w+)", 1))
        .withColumn(Posts.MENTIONS, extractAll(col(Posts.TEXT), "@(\\w+)", 1))
        .withColumn(Posts.URLS, regexp_extract_all(coalesce(col(Posts.TEXT), lit("")), lit("https?://[^\\s]+"), lit(0)));
    Dataset<Row> accounts = raw.filter(col(CORRUPT).isNull().and(col("author_id").isNotNull()).and(col("harvested_date").isNotNull()))
        .groupBy(lower(col("author_id")).as(Accounts.ACCOUNT_ID), col("harvested_date").as(Accounts.OBSERVED_AT))
        .agg(max(col("author_id")).as(Accounts.SCREEN_NAME), max(col("following").cast("long")).as(Accounts.FRIENDS_COUNT),
            max(col("followers").cast("long")).as(Accounts.FOLLOWERS_COUNT), max(col("updates").cast("long")).as(Accounts.STATUSES_COUNT),
            max(col(Validation.SOURCE_FILE)).as(Validation.SOURCE_FILE))
        .withColumn(Accounts.PLATFORM, lit("twitter"));
    Optional<Dataset<Row>> labels = Optional.empty();
    if (iraLabels) {
      Dataset<Row> authors = csv(spark, strings("author_id", "author", "external_author_id", "account_type", "account_category",
          "new_june_2018", "congress_2017_id", "in_congress_2017", "in_congress_2018"), dir + "/authors.csv", ",");
      labels = Optional.of(authors.filter(col("author").isNotNull()).select(lower(col("author")).as(Labels.ACCOUNT_ID), lit("twitter").as(Labels.PLATFORM),
          lit(Labels.BOT).as(Labels.LABEL), lit("ira").as(Labels.SOURCE)).distinct());
    }
    return new RawArchive(posts, Optional.of(accounts), labels);
  }

  // ------------------------------------------------------------------ Cresci 2015

  static final String[] CRESCI_HUMAN = {"E13", "TFP"};

  /** Twitter v1.1 created_at, e.g. "Fri Apr 06 10:58:22 +0000 2007" (the weekday is dropped). */
  static Column twitterTime(Column c) {
    return to_timestamp(substring(c, 5, 100), "MMM dd HH:mm:ss Z yyyy");
  }

  /** Cresci's export leaves false flags empty. */
  static Column flag(Column c) {
    return when(c.isNull().or(trim(c).equalTo("")), false).otherwise(lower(trim(c)).isin("1", "1.0", "true"));
  }

  /**
   * The "Fame for sale" balanced set (Cresci et al. 2015): a CSV of Twitter v1.1 user fields with a
   * {@code dataset} column (E13 and TFP are humans; INT, FSF and TWT are fake followers). Profiles
   * only: the posts table is empty.
   */
  public static RawArchive cresci(SparkSession spark, List<String> inputs) {
    String dir = requireFolder(spark, inputs, CRESCI_CSV);
    String[] cols = {"id", "name", "screen_name", "statuses_count", "followers_count", "friends_count", "favourites_count", "listed_count",
      "created_at", "url", "lang", "time_zone", "location", "default_profile", "default_profile_image", "geo_enabled", "profile_image_url",
      "profile_banner_url", "profile_use_background_image", "profile_background_image_url_https", "profile_text_color",
      "profile_image_url_https", "profile_sidebar_border_color", "profile_background_tile", "profile_sidebar_fill_color",
      "profile_background_image_url", "profile_background_color", "profile_link_color", "utc_offset", "protected", "verified",
      "description", "updated", "dataset"};
    Dataset<Row> raw = csv(spark, strings(cols), dir + "/*.csv", ",");
    Dataset<Row> accounts = raw.select(
        col("id").as(Accounts.ACCOUNT_ID), lit("twitter").as(Accounts.PLATFORM), col("updated").as(Accounts.OBSERVED_AT),
        col("screen_name").as(Accounts.SCREEN_NAME), col("name").as(Accounts.DISPLAY_NAME), col("description").as(Accounts.DESCRIPTION),
        twitterTime(col("created_at")).as(Accounts.ACCOUNT_CREATED_AT),
        col("followers_count").as(Accounts.FOLLOWERS_COUNT), col("friends_count").as(Accounts.FRIENDS_COUNT),
        col("statuses_count").as(Accounts.STATUSES_COUNT), col("favourites_count").as(Accounts.FAVOURITES_COUNT),
        col("listed_count").as(Accounts.LISTED_COUNT), flag(col("verified")).as(Accounts.VERIFIED),
        flag(col("default_profile")).as(Accounts.DEFAULT_PROFILE), flag(col("default_profile_image")).as(Accounts.DEFAULT_PROFILE_IMAGE),
        flag(col("profile_use_background_image")).as(Accounts.PROFILE_USE_BACKGROUND_IMAGE), col("location").as(Accounts.LOCATION),
        col(CORRUPT), col(Validation.SOURCE_FILE), record(cols).as(Validation.RECORD));
    Dataset<Row> labels = raw.filter(col("id").isNotNull().and(col("dataset").isNotNull())).select(
        col("id").as(Labels.ACCOUNT_ID), lit("twitter").as(Labels.PLATFORM),
        when(col("dataset").isin((Object[]) CRESCI_HUMAN), Labels.HUMAN).otherwise(Labels.BOT).as(Labels.LABEL),
        lit("cresci-2015").as(Labels.SOURCE));
    Dataset<Row> noPosts = spark.createDataFrame(new ArrayList<Row>(), Posts.SCHEMA)
        .withColumn(Validation.SOURCE_FILE, lit("none"));
    return new RawArchive(noPosts, Optional.of(accounts), Optional.of(labels));
  }
}
