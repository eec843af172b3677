package io.chorus.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract_all;
import static org.apache.spark.sql.functions.sha1;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.chorus.ChorusException;
import io.chorus.io.Tables;
import io.chorus.schema.AccountAttributes;
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
  public static final String CAVERLEE_TSV = "caverlee-tsv";
  public static final List<String> FORMATS = List.of(IngestJob.FORMAT_CANONICAL, TwitterV1.FORMAT, TwitterV2.FORMAT, IRA_CSV, CRESCI_CSV,
      CAVERLEE_TSV, Mastodon.FORMAT);
  static final String CORRUPT = Validation.CORRUPT;
  public static final String BAD_LABEL = "bad_label";

  private Adapters() {}

  /**
   * Raw tables of one archive. posts may be empty for profile-only sets; profileOnly holds one row per
   * record that carried only a profile (it counts as read, and is written as an account snapshot);
   * skipped lists unreadable files left out with --on-corrupt-file skip.
   */
  public record RawArchive(Dataset<Row> posts, Optional<Dataset<Row>> accounts, Optional<Dataset<Row>> labels,
      Optional<Dataset<Row>> profileOnly, Optional<Dataset<Row>> attributes, List<ArchiveFiles.Checked> skipped) {
    public static RawArchive of(Dataset<Row> posts, Dataset<Row> accounts, Dataset<Row> labels) {
      return new RawArchive(posts, Optional.ofNullable(accounts), Optional.ofNullable(labels), Optional.empty(), Optional.empty(), List.of());
    }

    RawArchive withProfileOnly(Dataset<Row> records) {
      return new RawArchive(posts, accounts, labels, Optional.of(records), attributes, skipped);
    }

    RawArchive withAttributes(Dataset<Row> rows) {
      return new RawArchive(posts, accounts, labels, profileOnly, Optional.ofNullable(rows), skipped);
    }

    RawArchive withSkipped(List<ArchiveFiles.Checked> files) {
      return new RawArchive(posts, accounts, labels, profileOnly, attributes, List.copyOf(files));
    }
  }

  /** The label source recorded for labels found beside an archive: the input folder's name. */
  static String sourceName(List<String> inputs) {
    return new org.apache.hadoop.fs.Path(inputs.get(0)).getName();
  }

  /**
   * Label files beside the archive: every file under the inputs ending with {@code suffix}, two
   * columns {@code id, label} separated by {@code sep}; a first row reading {@code id, label} is a
   * header. Null when there are none. Rows are validated by {@link Validation#checkLabels}.
   */
  static Dataset<Row> labelFiles(SparkSession spark, List<String> inputs, String suffix, String sep, String source) {
    List<String> files = ArchiveFiles.list(spark, inputs, List.of(suffix));
    if (files.isEmpty()) {
      return null;
    }
    Dataset<Row> raw = delimited(spark, strings("_id", "_label"), files, sep, false);
    return raw.filter(lower(trim(col("_id"))).notEqual("id").or(lower(trim(col("_label"))).notEqual("label")).or(col("_id").isNull()))
        .select(trim(col("_id")).as(Labels.ACCOUNT_ID), lit("twitter").as(Labels.PLATFORM), col("_label").as(Labels.LABEL),
            lit(source).as(Labels.SOURCE), col(CORRUPT), col(Validation.SOURCE_FILE), record("_id", "_label").as(Validation.RECORD));
  }

  /** Checked files under the input folder ending with one of {@code suffixes}. */
  static ArchiveFiles.Files files(SparkSession spark, List<String> inputs, String format, ArchiveFiles.OnCorrupt onCorrupt,
      List<String> suffixes, String fix) {
    String dir = requireFolder(spark, inputs, format);
    List<String> found = ArchiveFiles.list(spark, List.of(dir), suffixes);
    if (found.isEmpty()) {
      throw new ChorusException("--format " + format + " found no " + String.join(" or ", suffixes) + " files under " + dir
          + ". Fix: point --input at the folder holding them.");
    }
    return ArchiveFiles.check(spark, found, onCorrupt, fix);
  }

  /** CSV files with a header row; quoted fields may span lines. */
  static Dataset<Row> csv(SparkSession spark, StructType columns, List<String> paths, String sep) {
    return delimited(spark, columns, paths, sep, true);
  }

  /**
   * Delimited text files read with {@code columns} as text, the corrupt-record column and the source
   * file: a row that does not parse keeps its text for the quarantine. With {@code header}, the first
   * row of each file names the columns and quoted fields may span lines (CSV exports); without it,
   * every line is one record (TSV dumps).
   */
  static Dataset<Row> delimited(SparkSession spark, StructType columns, List<String> paths, String sep, boolean header) {
    StructType withCorrupt = columns.add(CORRUPT, DataTypes.StringType);
    if (paths.isEmpty()) {
      return spark.createDataFrame(List.of(), withCorrupt).withColumn(Validation.SOURCE_FILE, lit("none"));
    }
    var reader = spark.read().option("header", String.valueOf(header)).option("sep", sep).option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT).schema(withCorrupt);
    if (header) {
      reader = reader.option("multiLine", "true").option("escape", "\"");
    }
    try {
      return reader.csv(paths.toArray(new String[0])).withColumn(Validation.SOURCE_FILE, input_file_name());
    } catch (RuntimeException e) {
      throw new ChorusException("Cannot read " + paths.get(0) + ": " + Tables.firstLine(e) + ". Fix: check the path and the --format.", e);
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
  public static RawArchive ira(SparkSession spark, List<String> inputs, boolean iraLabels, ArchiveFiles.OnCorrupt onCorrupt) {
    ArchiveFiles.Files files = files(spark, inputs, IRA_CSV, onCorrupt, List.of(".csv.gz", ".csv"),
        "download the file again from https://github.com/fivethirtyeight/russian-troll-tweets");
    List<String> tweetFiles = files.paths().stream().filter(f -> new org.apache.hadoop.fs.Path(f).getName().startsWith("tweets")).toList();
    Dataset<Row> raw = csv(spark, strings(IRA_COLUMNS), tweetFiles, ",");
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
        .agg(max(col("author_id")).as(Accounts.SCREEN_NAME), max(col("following").try_cast("long")).as(Accounts.FRIENDS_COUNT),
            max(col("followers").try_cast("long")).as(Accounts.FOLLOWERS_COUNT), max(col("updates").try_cast("long")).as(Accounts.STATUSES_COUNT),
            max(col(Validation.SOURCE_FILE)).as(Validation.SOURCE_FILE))
        .withColumn(Accounts.PLATFORM, lit("twitter"));
    List<String> authorFiles = files.paths().stream().filter(f -> new org.apache.hadoop.fs.Path(f).getName().equals("authors.csv")).toList();
    Dataset<Row> authors = csv(spark, strings(IRA_AUTHOR_COLUMNS), authorFiles, ",")
        .filter(col(CORRUPT).isNull().and(col("author").isNotNull()));
    Dataset<Row> attributes = authors
        .select(lower(col("author")).as(AccountAttributes.ACCOUNT_ID), explode(array(Arrays.stream(IRA_ATTRIBUTES)
            .map(a -> struct(lit(a).as("a"), trim(col(a)).as("v"))).toArray(Column[]::new))).as("_kv"))
        .filter(col("_kv.v").isNotNull().and(col("_kv.v").notEqual("")))
        .select(col(AccountAttributes.ACCOUNT_ID), lit("twitter").as(AccountAttributes.PLATFORM), col("_kv.a").as(AccountAttributes.ATTRIBUTE),
            col("_kv.v").as(AccountAttributes.VALUE), lit("ira").as(AccountAttributes.SOURCE));
    Dataset<Row> labels = !iraLabels ? null : authors.select(lower(col("author")).as(Labels.ACCOUNT_ID), lit("twitter").as(Labels.PLATFORM),
        lit(Labels.BOT).as(Labels.LABEL), lit("ira").as(Labels.SOURCE), col(Validation.SOURCE_FILE)).dropDuplicates(Labels.ACCOUNT_ID);
    return RawArchive.of(posts, accounts, labels).withAttributes(authorFiles.isEmpty() ? null : attributes).withSkipped(files.skipped());
  }

  static final String[] IRA_AUTHOR_COLUMNS = {"author_id", "author", "external_author_id", "account_type", "account_category",
    "new_june_2018", "congress_2017_id", "in_congress_2017", "in_congress_2018"};
  /** The authors.csv columns kept as account attributes. */
  static final String[] IRA_ATTRIBUTES = {"account_type", "account_category", "external_author_id", "new_june_2018", "in_congress_2017",
    "in_congress_2018"};

  // ------------------------------------------------------------------ Cresci 2015

  static final String[] CRESCI_HUMAN = {"E13", "TFP"};

  /** Twitter v1.1 created_at, e.g. "Fri Apr 06 10:58:22 +0000 2007" (the weekday is dropped). */
  static Column twitterTime(Column c) {
    return try_to_timestamp(substring(c, 5, 100), lit("MMM dd HH:mm:ss Z yyyy"));
  }

  /** A text field that is there and not blank (an empty url or banner field means "none"). */
  static Column present(Column c) {
    return c.isNotNull().and(length(trim(c)).gt(0));
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
  public static RawArchive cresci(SparkSession spark, List<String> inputs, ArchiveFiles.OnCorrupt onCorrupt) {
    ArchiveFiles.Files files = files(spark, inputs, CRESCI_CSV, onCorrupt, List.of(".csv", ".csv.gz"),
        "download the file again from the Bot Repository (https://botometer.osome.iu.edu/bot-repository/)");
    String[] cols = {"id", "name", "screen_name", "statuses_count", "followers_count", "friends_count", "favourites_count", "listed_count",
      "created_at", "url", "lang", "time_zone", "location", "default_profile", "default_profile_image", "geo_enabled", "profile_image_url",
      "profile_banner_url", "profile_use_background_image", "profile_background_image_url_https", "profile_text_color",
      "profile_image_url_https", "profile_sidebar_border_color", "profile_background_tile", "profile_sidebar_fill_color",
      "profile_background_image_url", "profile_background_color", "profile_link_color", "utc_offset", "protected", "verified",
      "description", "updated", "dataset"};
    Dataset<Row> raw = csv(spark, strings(cols), files.paths(), ",");
    Dataset<Row> accounts = raw.select(
        col("id").as(Accounts.ACCOUNT_ID), lit("twitter").as(Accounts.PLATFORM), col("updated").as(Accounts.OBSERVED_AT),
        col("screen_name").as(Accounts.SCREEN_NAME), col("name").as(Accounts.DISPLAY_NAME), col("description").as(Accounts.DESCRIPTION),
        twitterTime(col("created_at")).as(Accounts.ACCOUNT_CREATED_AT),
        col("followers_count").as(Accounts.FOLLOWERS_COUNT), col("friends_count").as(Accounts.FRIENDS_COUNT),
        col("statuses_count").as(Accounts.STATUSES_COUNT), col("favourites_count").as(Accounts.FAVOURITES_COUNT),
        col("listed_count").as(Accounts.LISTED_COUNT), flag(col("verified")).as(Accounts.VERIFIED),
        flag(col("default_profile")).as(Accounts.DEFAULT_PROFILE), flag(col("default_profile_image")).as(Accounts.DEFAULT_PROFILE_IMAGE),
        flag(col("profile_use_background_image")).as(Accounts.PROFILE_USE_BACKGROUND_IMAGE),
        coalesce(col("location"), lit("")).as(Accounts.LOCATION), present(col("url")).as(Accounts.HAS_URL),
        flag(col("geo_enabled")).as(Accounts.GEO_ENABLED), present(col("profile_banner_url")).as(Accounts.HAS_BANNER),
        col(CORRUPT), col(Validation.SOURCE_FILE), record(cols).as(Validation.RECORD));
    Dataset<Row> labels = raw.filter(col("id").isNotNull().and(col("dataset").isNotNull())).select(
        col("id").as(Labels.ACCOUNT_ID), lit("twitter").as(Labels.PLATFORM),
        when(col("dataset").isin((Object[]) CRESCI_HUMAN), Labels.HUMAN).otherwise(Labels.BOT).as(Labels.LABEL),
        lit("cresci-2015").as(Labels.SOURCE));
    return RawArchive.of(noPosts(spark), accounts, labels).withSkipped(files.skipped());
  }

  static Dataset<Row> noPosts(SparkSession spark) {
    return spark.createDataFrame(new ArrayList<Row>(), Posts.SCHEMA).withColumn(Validation.SOURCE_FILE, lit("none"));
  }

  // ------------------------------------------------------------------ Caverlee 2011

  static final String[] CAVERLEE_COLUMNS = {"UserID", "CreatedAt", "CollectedAt", "NumberOfFollowings", "NumberOfFollowers",
    "NumberOfTweets", "LengthOfScreenName", "LengthOfDescription"};

  /**
   * The social honeypot set (Lee, Eoff and Caverlee, ICWSM 2011): tab-separated user files without a
   * header, {@code content_polluters*.txt} (label bot) and {@code legitimate_users*.txt} (label
   * human), columns {@link #CAVERLEE_COLUMNS}. The set gives the lengths of the screen name and the
   * description, not the texts: they land in screen_name_length and description_length. The tweet
   * and follower-series files of the full release, when present, are not read.
   */
  public static RawArchive caverlee(SparkSession spark, List<String> inputs, ArchiveFiles.OnCorrupt onCorrupt) {
    ArchiveFiles.Files files = files(spark, inputs, CAVERLEE_TSV, onCorrupt, List.of(".txt", ".txt.gz", ".tsv"),
        "download the file again from the social honeypot dataset page");
    List<String> userFiles = files.paths().stream().filter(f -> {
      String n = new org.apache.hadoop.fs.Path(f).getName();
      return n.startsWith("content_polluters") || n.startsWith("legitimate_users");
    }).filter(f -> !f.contains("_tweets") && !f.contains("_followings")).toList();
    if (userFiles.isEmpty()) {
      throw new ChorusException("--format " + CAVERLEE_TSV + " found no content_polluters.txt or legitimate_users.txt under " + inputs.get(0)
          + ". Fix: point --input at the folder of the social honeypot dataset.");
    }
    Dataset<Row> raw = delimited(spark, strings(CAVERLEE_COLUMNS), userFiles, "\t", false);
    Column bot = col(Validation.SOURCE_FILE).contains("content_polluters");
    Dataset<Row> accounts = raw.select(
        col("UserID").as(Accounts.ACCOUNT_ID), lit("twitter").as(Accounts.PLATFORM), col("CollectedAt").as(Accounts.OBSERVED_AT),
        col("CreatedAt").as(Accounts.ACCOUNT_CREATED_AT), col("NumberOfFollowings").as(Accounts.FRIENDS_COUNT),
        col("NumberOfFollowers").as(Accounts.FOLLOWERS_COUNT), col("NumberOfTweets").as(Accounts.STATUSES_COUNT),
        col("LengthOfScreenName").as(Accounts.SCREEN_NAME_LENGTH), col("LengthOfDescription").as(Accounts.DESCRIPTION_LENGTH),
        col(CORRUPT), col(Validation.SOURCE_FILE), record(CAVERLEE_COLUMNS).as(Validation.RECORD));
    Dataset<Row> labels = raw.filter(col(CORRUPT).isNull()).select(col("UserID").as(Labels.ACCOUNT_ID), lit("twitter").as(Labels.PLATFORM),
        when(bot, lit(Labels.BOT)).otherwise(lit(Labels.HUMAN)).as(Labels.LABEL), lit("caverlee-2011").as(Labels.SOURCE),
        col(Validation.SOURCE_FILE), record(CAVERLEE_COLUMNS).as(Validation.RECORD));
    return RawArchive.of(noPosts(spark), accounts, labels).withSkipped(files.skipped());
  }
}
