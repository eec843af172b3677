package io.chorus.features;

import static io.chorus.schema.AccountFeatures.*;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.array;

import io.chorus.coordination.TextNormaliser;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.Accounts;
import io.chorus.schema.Posts;
import io.chorus.spark.Stages;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Per-account features as built-in Column expressions: profile features from the latest snapshot, behaviour features from per-account tables of the posts keyed by {@link #KEY_1} and {@link #KEY_2}. */
public final class FeatureCalc {
  /** A repost within this many seconds of its parent counts as fast. */
  public static final long FAST_REPOST_SECONDS = 60;
  static final String GAP = "_gap";
  static final String HOUR = "_hour";
  static final String MINUTE = "_minute";
  static final String MINUTE_POSTS = "_minute_posts";
  static final String SNAPSHOT_RANK = "_snapshot_rank";
  static final String PARENT_TS = "_parent_ts";
  /** Inter-post gaps are binned by floor(log2(seconds)); the last bin holds gaps of 2^19 s (6 days) and more. */
  public static final int GAP_BINS = 20;
  /** Hours in the night window; the account's likely night is its quietest window of this length. */
  public static final int NIGHT_HOURS = 6;
  /** night_share needs this many posts; under it the quietest window is empty by chance. */
  public static final int NIGHT_MIN_POSTS = 24;
  /**
   * Size of the screen-name bigram vocabulary for add-one smoothing: the 37 characters Twitter
   * allows ([a-z0-9_]) plus one boundary marker, squared.
   */
  public static final double BIGRAM_VOCABULARY = 38.0 * 38.0;

  private FeatureCalc() {}

  // ------------------------------------------------------------ profile features

  /** The number of ASCII digits in {@code s} (0 for null): what {@code [^0-9] -> ""} leaves, without a regular expression. */
  static Column digits(Column s) {
    Column t = coalesce(s, lit(""));
    return length(t).minus(length(translate(t, "0123456789", ""))).cast("double");
  }

  static Column ageDays() {
    return greatest(
        lit(1.0),
        unix_seconds(col(Accounts.OBSERVED_AT)).minus(unix_seconds(col(Accounts.ACCOUNT_CREATED_AT))).divide(86_400.0));
  }

  static Column growth(String count) {
    return col(count).cast("double").divide(ageDays());
  }

  /**
   * The latest snapshot per account (one of them when several share the latest time): with
   * {@code columns}, only those besides platform, account id and observed_at, so the shuffle and
   * the sort move narrow rows; without, every column. The snapshots are numbered newest first by a
   * window per account, one sort after the shuffle (see {@link #latestProfile}).
   */
  public static Dataset<Row> latestSnapshot(Dataset<Row> accounts, String... columns) {
    Dataset<Row> rows = accounts;
    if (columns.length > 0) {
      List<Column> keep = new ArrayList<>(List.of(col(Accounts.PLATFORM), col(Accounts.ACCOUNT_ID), col(Accounts.OBSERVED_AT)));
      for (String c : columns) {
        keep.add(col(c));
      }
      rows = accounts.select(keep.toArray(new Column[0]));
    }
    return newestPer(rows, col(Accounts.PLATFORM), col(Accounts.ACCOUNT_ID));
  }

  /** The newest row (by observed_at) per {@code key}: a window numbering each key's rows newest first, keeping the first. */
  static Dataset<Row> newestPer(Dataset<Row> snapshots, Column... key) {
    return snapshots
        .repartition(key)
        .withColumn(SNAPSHOT_RANK, row_number().over(Window.partitionBy(key).orderBy(col(Accounts.OBSERVED_AT).desc())))
        .filter(col(SNAPSHOT_RANK).equalTo(1))
        .drop(SNAPSHOT_RANK);
  }

  /**
   * Per snapshot, the account key and what the profile features read of it, already reduced to
   * numbers except the screen name (the bigrams need its letters): a description or a display name
   * is a length and a digit count here, so choosing the latest snapshot moves narrow rows.
   */
  static Dataset<Row> profileSnapshots(Dataset<Row> accounts) {
    Column[] key = accountKey();
    return accounts.select(
        key[0],
        key[1],
        col(Accounts.ACCOUNT_ID),
        col(Accounts.PLATFORM),
        col(Accounts.OBSERVED_AT),
        col(Accounts.SCREEN_NAME),
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
        coalesce(length(col(Accounts.DESCRIPTION)), col(Accounts.DESCRIPTION_LENGTH), lit(0)).cast("double").as(DESCRIPTION_LENGTH),
        col(Accounts.HAS_URL).cast("double").as(HAS_URL),
        col(Accounts.GEO_ENABLED).cast("double").as(GEO_ENABLED),
        col(Accounts.HAS_BANNER).cast("double").as(HAS_BANNER),
        length(trim(col(Accounts.LOCATION))).gt(0).cast("double").as(HAS_LOCATION));
  }

  /**
   * The latest snapshot per account (by observed_at, as {@link #latestSnapshot}; one of them when
   * several share the latest time) of {@link #profileSnapshots}: one row per account with the key,
   * platform, id, screen name and the profile's numbers. The snapshots are shuffled by the key and
   * numbered newest first by a window, which sorts them once after the shuffle; an aggregate
   * keeping the latest struct would sort them on both sides of the shuffle, since a struct buffer
   * has no hash aggregate. The result is partitioned by the key, so the profile's joins on it need
   * no further shuffle.
   */
  public static Dataset<Row> latestProfile(Dataset<Row> accounts) {
    return newestPer(profileSnapshots(accounts), col(KEY_1), col(KEY_2)).drop(Accounts.OBSERVED_AT);
  }

  /**
   * BotometerLite's screen-name likelihood: the geometric mean of the bigram probabilities of the
   * lowercased screen name framed by boundary markers ("^abc$": ^a, ab, bc, c$). The bigram model
   * is built from the screen names of all accounts in the same input (latest snapshot, one name
   * per account, labels never used), with add-one smoothing over BIGRAM_VOCABULARY bigrams. So it
   * measures how typical a name is among the archive's own accounts; random strings such as
   * "xk7q2v9w" score low. Per account key (see {@link #latestProfile}); absent when the snapshot
   * has no screen name.
   */
  public static Dataset<Row> screenNameLikelihood(Dataset<Row> latest) {
    // Positions first, then one code-generated substring per row: a lambda over the positions would
    // be evaluated row by row without code generation.
    Dataset<Row> framed =
        latest
            .filter(col(Accounts.SCREEN_NAME).isNotNull().and(length(col(Accounts.SCREEN_NAME)).gt(0)))
            .select(col(KEY_1), col(KEY_2), concat(lit("^"), lower(col(Accounts.SCREEN_NAME)), lit("$")).as("_framed"));
    Dataset<Row> grams =
        framed
            .select(col(KEY_1), col(KEY_2), col("_framed"), explode(sequence(lit(1), length(col("_framed")).minus(1))).as("_i"))
            .select(col(KEY_1), col(KEY_2), col("_framed").substr(col("_i"), lit(2)).as("_bg"));
    Dataset<Row> counts = grams.groupBy("_bg").agg(count(lit(1)).cast("double").as("_n"));
    // A framed name of n characters has n - 1 bigrams, so the total comes from the names' lengths:
    // summing the counts instead would build every bigram a second time, since Spark plans the
    // counts once per consumer.
    Dataset<Row> total = framed.agg(sum(length(col("_framed")).minus(1)).cast("double").plus(lit(BIGRAM_VOCABULARY)).as("_total"));
    Dataset<Row> logp =
        counts.crossJoin(total).select(col("_bg"), log(col("_n").plus(1.0).divide(col("_total"))).as("_logp"));
    return grams
        .join(broadcast(logp), "_bg")
        .groupBy(KEY_1, KEY_2)
        .agg(exp(avg(col("_logp"))).as(SCREEN_NAME_LIKELIHOOD));
  }

  /**
   * BotometerLite-style profile features, one row per account with its key, from
   * {@link #latestProfile}: its numbers and the screen-name likelihood, joined on the key (both
   * sides are already partitioned by it).
   */
  public static Dataset<Row> profileFeatures(Dataset<Row> latest) {
    return latest
        .join(Stages.shuffleHash(screenNameLikelihood(latest)), KEY, "left")
        .drop(Accounts.SCREEN_NAME)
        .withColumn(HAS_PROFILE, lit(1.0));
  }

  // ------------------------------------------------------------ behaviour features

  static Column share(Column condition) {
    return avg(when(condition, 1.0).otherwise(0.0));
  }

  /**
   * Text reduced to its letters, lowercased, after removing URLs and mentions: two posts with the
   * same normalised text differ only in links, mentions, numbers, punctuation, emoji or spacing.
   * Computed in one pass by {@link TextNormaliser#letters}, which equals the two regular expressions
   * {@code [^\p{L}]+ -> ""} over {@code https?://\S+|@\w+ -> ""} over the lowercased text.
   */
  public static Column normalisedText(Column text) {
    return TextNormaliser.lettersColumn(coalesce(text, lit("")));
  }

  /**
   * Posts in the account's quietest NIGHT_HOURS-hour circular window of the UTC day. Reading that
   * window as the account's local night (its likely time zone puts it at 00:00-06:00) makes
   * night_share independent of where the account lives; a human who sleeps has few posts there,
   * an always-on schedule has about a quarter.
   */
  static Column quietestWindow(List<Column> hourCounts) {
    Column[] windows = new Column[24];
    for (int start = 0; start < 24; start++) {
      Column w = hourCounts.get(start);
      for (int k = 1; k < NIGHT_HOURS; k++) {
        w = w.plus(hourCounts.get((start + k) % 24));
      }
      windows[start] = w;
    }
    return least(windows);
  }

  /** Shannon entropy in bits of a histogram given as count columns and their total. */
  static Column entropy(List<Column> counts, Column total) {
    Column h = lit(0.0);
    for (Column c : counts) {
      Column p = c.divide(total);
      // p log2 p, and 0 for an empty bin: a non-empty bin's p is at least 1 / total, far above
      // MIN_NORMAL, so greatest() leaves it unchanged, and an empty one gives 0 * log2(MIN_NORMAL).
      // No conditional per bin: the generated code stays small (see behaviourFeatures).
      h = h.minus(p.multiply(log2(greatest(p, lit(Double.MIN_NORMAL)))));
    }
    return h;
  }

  static final String TEXT_HASH = "_text_hash";
  static final String NEAR_HASH = "_near_hash";
  static final String N_URLS = "_n_urls";
  static final String N_HASHTAGS = "_n_hashtags";
  static final String N_MENTIONS = "_n_mentions";
  static final String SOURCE_HASH = "_source_hash";
  static final String KIND = "_kind";
  static final String VALUE = "_value";
  /** Kinds of value counted per account by {@link #distinctCounts}. */
  static final int SOURCE = 0, TEXT = 1, NEAR_TEXT = 2;

  /**
   * The per-account key of the behaviour features: two 64-bit hashes of (platform, account id), in
   * columns KEY_1 and KEY_2. Shuffling, sorting, grouping and joining by two longs instead of two
   * strings is what makes the per-account steps cheap: Spark sorts by an 8-byte prefix of the first
   * key and compares whole rows only on ties, and hashes and compares fixed-width keys without
   * reading strings. Two accounts share both hashes with probability about n^2 / 2^129 for n
   * accounts (1e-21 for a billion), which this class treats as never; the account's platform and id
   * come from the posts themselves, grouped by key and names together.
   */
  public static final String KEY_1 = "_account_key_1";
  public static final String KEY_2 = "_account_key_2";
  static final String[] KEY = {KEY_1, KEY_2};

  static Column[] accountKey() {
    return new Column[] {
      xxhash64(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID)).as(KEY_1),
      xxhash64(lit("chorus-account"), col(Posts.ACCOUNT_ID), col(Posts.PLATFORM)).as(KEY_2)
    };
  }

  /** {@code cols} after the account key, shuffled by that key (one exchange per branch, no partial aggregate). */
  static Dataset<Row> byAccount(Dataset<Row> posts, Column... cols) {
    Column[] all = new Column[cols.length + 2];
    Column[] key = accountKey();
    all[0] = key[0];
    all[1] = key[1];
    System.arraycopy(cols, 0, all, 2, cols.length);
    return posts.select(all).repartition(col(KEY_1), col(KEY_2));
  }

  /**
   * Inter-post gap features per account: from the gap between each post and the account's previous
   * one (a window over the account's posts in time order), interpost_cv (their standard deviation
   * over their mean) and interpost_entropy (of their floor(log2(seconds)) bins); and
   * max_posts_per_minute, the largest number of posts in one clock minute (UTC epoch minute),
   * counted by a window over each account's minute. The posts are sorted once, by
   * account, minute and time: that order is time order, and it holds each account's minutes
   * together, so both windows read it without another sort. Only the key, the time and the minute
   * go through the sort and the windows, which copy every row they pass: equal times give the same
   * gaps in either order.
   */
  static Dataset<Row> gapStats(Dataset<Row> posts) {
    Column ts = unix_seconds(col(Posts.CREATED_AT));
    Dataset<Row> gaps = byAccount(posts, col(Posts.CREATED_AT), floor(ts.divide(60)).as(MINUTE))
        .withColumn(GAP, ts.minus(lag(ts, 1).over(Window.partitionBy(KEY_1, KEY_2).orderBy(MINUTE, Posts.CREATED_AT))))
        .withColumn(MINUTE_POSTS, count(lit(1)).over(Window.partitionBy(KEY_1, KEY_2, MINUTE)));
    Column gapBin = when(col(GAP).isNotNull(), least(lit((double) GAP_BINS - 1), floor(log(2.0, greatest(col(GAP), lit(1))))));
    List<Column> aggs = new ArrayList<>();
    for (int b = 0; b < GAP_BINS; b++) {
      aggs.add(count(when(gapBin.equalTo(b), 1)).as(GAP_BIN + b));
    }
    aggs.add(avg(col(GAP)).as("_gap_mean"));
    aggs.add(stddev_pop(col(GAP)).as("_gap_sd"));
    aggs.add(count(col(GAP)).as("_gaps"));
    aggs.add(max(when(col(MINUTE).isNotNull(), col(MINUTE_POSTS))).cast("double").as(MAX_POSTS_PER_MINUTE));
    List<Column> gapBins = bins(GAP_BIN, GAP_BINS);
    return gaps.groupBy(KEY_1, KEY_2).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
        .select(
            col(KEY_1),
            col(KEY_2),
            when(col("_gaps").geq(2).and(col("_gap_mean").gt(0)), col("_gap_sd").divide(col("_gap_mean"))).as(INTERPOST_CV),
            when(col("_gaps").geq(2), entropy(gapBins, col("_gaps"))).as(INTERPOST_ENTROPY),
            col(MAX_POSTS_PER_MINUTE));
  }

  /** Per-hour post counts of {@link #postCounts} ("_h0" to "_h23") and gap-bin counts of {@link #gapStats} ("_g0" to "_g19"). */
  static final String HOUR_BIN = "_h", GAP_BIN = "_g";

  /** The histogram columns {@code prefix}0 to {@code prefix}(n-1). */
  static List<Column> bins(String prefix, int n) {
    List<Column> bins = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bins.add(col(prefix + i));
    }
    return bins;
  }

  /**
   * Per-account counts, shares and means that need neither order nor distinct values: one hash
   * aggregate, whose output adds posts_per_day and hour_entropy and keeps the 24 hour counts
   * ("_h0" to "_h23", non-null counts) for night_share and the own posts ("_own") for the
   * duplicate shares.
   */
  static Dataset<Row> postCounts(Dataset<Row> posts) {
    Column isRepost = col(Posts.KIND).equalTo(Posts.KIND_REPOST);
    Dataset<Row> p = byAccount(posts, col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), col(Posts.CREATED_AT), col(Posts.KIND),
        coalesce(size(col(Posts.URLS)), lit(0)).as(N_URLS), coalesce(size(col(Posts.HASHTAGS)), lit(0)).as(N_HASHTAGS),
        coalesce(size(col(Posts.MENTIONS)), lit(0)).as(N_MENTIONS), hour(col(Posts.CREATED_AT)).as(HOUR));
    List<Column> aggs = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      aggs.add(count(when(col(HOUR).equalTo(h), 1)).as(HOUR_BIN + h));
    }
    aggs.add(count(lit(1)).cast("double").as(POSTS));
    aggs.add(min(col(Posts.CREATED_AT)).as("_first"));
    aggs.add(max(col(Posts.CREATED_AT)).as("_last"));
    aggs.add(share(isRepost).as(REPOST_SHARE));
    aggs.add(share(col(Posts.KIND).equalTo(Posts.KIND_REPLY)).as(REPLY_SHARE));
    aggs.add(share(col(Posts.KIND).equalTo(Posts.KIND_QUOTE)).as(QUOTE_SHARE));
    aggs.add(avg(col(N_URLS).cast("double")).as(URLS_PER_POST));
    aggs.add(avg(col(N_HASHTAGS).cast("double")).as(HASHTAGS_PER_POST));
    aggs.add(avg(col(N_MENTIONS).cast("double")).as(MENTIONS_PER_POST));
    aggs.add(count(when(org.apache.spark.sql.functions.not(isRepost), 1)).as("_own"));
    List<Column> hourCounts = bins(HOUR_BIN, 24);
    Column spanDays = greatest(lit(1.0), unix_seconds(col("_last")).minus(unix_seconds(col("_first"))).divide(86_400.0));
    List<Column> out = new ArrayList<>(List.of(
        col(KEY_1),
        col(KEY_2),
        col(Posts.ACCOUNT_ID),
        col(Posts.PLATFORM),
        col(POSTS),
        col(POSTS).divide(spanDays).as(POSTS_PER_DAY),
        col(REPOST_SHARE),
        col(REPLY_SHARE),
        col(QUOTE_SHARE),
        col(URLS_PER_POST),
        col(HASHTAGS_PER_POST),
        col(MENTIONS_PER_POST),
        entropy(hourCounts, col(POSTS)).as(HOUR_ENTROPY),
        col("_own")));
    // The hour counts go on for night_share's quietest window, computed after the joins: its code
    // beside the entropy's would make the aggregate's output method too large for the JIT.
    out.addAll(hourCounts);
    return p.groupBy(KEY_1, KEY_2, Posts.PLATFORM, Posts.ACCOUNT_ID).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
        .select(out.toArray(new Column[0]));
  }

  /**
   * Per account, the number of distinct sources, own texts and own normalised texts. Each post
   * yields one row per kind of value (as 64-bit hashes, null for reposts' texts, whose text is the
   * original's); one hash aggregate keeps the distinct (account, kind, value) rows and a second one
   * counts them per kind. Hash aggregates keep the per-account aggregates code-generated, which a
   * distinct count or a set per account would not.
   */
  static Dataset<Row> distinctCounts(Dataset<Row> posts) {
    Column own = col(Posts.KIND).notEqual(Posts.KIND_REPOST);
    Dataset<Row> p = byAccount(posts,
        when(col(Posts.SOURCE).isNotNull(), xxhash64(col(Posts.SOURCE))).as(SOURCE_HASH),
        when(own, xxhash64(coalesce(col(Posts.TEXT), lit("")))).as(TEXT_HASH),
        when(own, xxhash64(normalisedText(col(Posts.TEXT)))).as(NEAR_HASH));
    Column values = array(
        struct(lit(SOURCE).as(KIND), col(SOURCE_HASH).as(VALUE)),
        struct(lit(TEXT).as(KIND), col(TEXT_HASH).as(VALUE)),
        struct(lit(NEAR_TEXT).as(KIND), col(NEAR_HASH).as(VALUE)));
    return p.select(col(KEY_1), col(KEY_2), explode(values).as("_v"))
        .select(col(KEY_1), col(KEY_2), col("_v." + KIND).as(KIND), col("_v." + VALUE).as(VALUE))
        .filter(col(VALUE).isNotNull())
        .distinct()
        .groupBy(KEY_1, KEY_2).agg(
            count(when(col(KIND).equalTo(SOURCE), 1)).cast("double").as(DISTINCT_SOURCES),
            count(when(col(KIND).equalTo(TEXT), 1)).as("_own_distinct"),
            count(when(col(KIND).equalTo(NEAR_TEXT), 1)).as("_own_near_distinct"));
  }

  /**
   * Per account, fast_repost_share: of its reposts whose parent is in the archive, the share that
   * came within FAST_REPOST_SECONDS of the parent. Only reposts look up a parent, and both sides of
   * the join carry ids and times only. Accounts without such reposts are absent.
   */
  static Dataset<Row> repostDelays(Dataset<Row> posts) {
    Column[] key = accountKey();
    Dataset<Row> reposts = posts.filter(col(Posts.KIND).equalTo(Posts.KIND_REPOST).and(col(Posts.PARENT_POST_ID).isNotNull()))
        .select(key[0], key[1], col(Posts.PLATFORM), col(Posts.CREATED_AT), col(Posts.PARENT_POST_ID));
    Dataset<Row> parents = posts.select(col(Posts.PLATFORM).as("_pp"), col(Posts.POST_ID).as("_pid"), col(Posts.CREATED_AT).as(PARENT_TS));
    Column delay = unix_seconds(col(Posts.CREATED_AT)).minus(unix_seconds(col(PARENT_TS)));
    // Hashed by parent id instead of sorted: each task holds its share of the reposts (reposts /
    // spark.sql.shuffle.partitions rows of keys, ids and times) and streams the posts past it.
    return Stages.shuffleHash(reposts)
        .join(parents, col(Posts.PLATFORM).equalTo(col("_pp")).and(col(Posts.PARENT_POST_ID).equalTo(col("_pid"))))
        .groupBy(KEY_1, KEY_2)
        .agg(count(lit(1)).cast("double").as("_timed_reposts"), sum(when(delay.leq(FAST_REPOST_SECONDS), 1.0).otherwise(0.0)).as("_fast_reposts"))
        .select(col(KEY_1), col(KEY_2), col("_fast_reposts").divide(col("_timed_reposts")).as(FAST_REPOST_SHARE));
  }

  /**
   * Behaviour features with the account key (KEY_1, KEY_2): four per-account tables, each from its
   * own narrow shuffle of the posts by that key (counts; distinct values; gaps, the only sort; repost
   * delays), hash-joined on it. Each table has one row per account with posts (the repost delays
   * only for accounts with timed reposts), so each task of the joins holds accounts /
   * spark.sql.shuffle.partitions rows per table.
   *
   * <p>Each table computes its own features in its aggregate's output, and the joins carry those
   * and a few counts. Whole-stage code generation puts one operator's expressions in one Java
   * method, and HotSpot never compiles a method over 8,000 bytes of bytecode (HugeMethodLimit):
   * with both entropies and the 24 night windows in one projection after the joins, that method
   * had 27,691 bytes and ran interpreted for every account. Split this way, the largest has 6,652
   * (FeatureCalcTest checks every method of the plan).
   */
  public static Dataset<Row> behaviourFeatures(Dataset<Row> posts) {
    Dataset<Row> joined = postCounts(posts)
        .join(Stages.shuffleHash(distinctCounts(posts)), KEY)
        .join(Stages.shuffleHash(gapStats(posts)), KEY)
        .join(Stages.shuffleHash(repostDelays(posts)), KEY, "left");
    // The tables' features pass through; their working columns ("_" and a name) end here.
    List<Column> out = new ArrayList<>();
    for (String c : joined.columns()) {
      if (!c.startsWith("_") || c.equals(KEY_1) || c.equals(KEY_2)) {
        out.add(col(c));
      }
    }
    out.add(lit(1.0).as(HAS_POSTS));
    out.add(when(col(POSTS).geq(NIGHT_MIN_POSTS), quietestWindow(bins(HOUR_BIN, 24)).divide(col(POSTS))).as(NIGHT_SHARE));
    out.add(when(col("_own").gt(0), lit(1.0).minus(col("_own_distinct").divide(col("_own")))).as(DUPLICATE_TEXT_SHARE));
    out.add(when(col("_own").gt(0), lit(1.0).minus(col("_own_near_distinct").divide(col("_own")))).as(NEAR_DUPLICATE_TEXT_SHARE));
    return joined.select(out.toArray(new Column[0]));
  }

  /**
   * All features: a full outer join of profile and behaviour features, so accounts with only a
   * profile or only posts are kept; the missing side is null with its indicator 0.
   */
  public static Dataset<Row> compute(Dataset<Row> posts, Dataset<Row> accountsOrNull) {
    return computeFromLatest(posts, accountsOrNull == null ? null : latestProfile(accountsOrNull));
  }

  /**
   * {@link #compute} from the accounts' {@link #latestProfile}, which the profile features read three
   * times (the profile itself, the bigram counts and each name's bigrams): a caller that persists it
   * computes it once. The profile side, about one row per account, is the hash join's build side.
   */
  public static Dataset<Row> computeFromLatest(Dataset<Row> posts, Dataset<Row> latestProfileOrNull) {
    Dataset<Row> behaviour = behaviourFeatures(posts);
    Dataset<Row> joined = behaviour;
    if (latestProfileOrNull != null) {
      joined = Stages.shuffleHash(profileFeatures(latestProfileOrNull))
          .join(behaviour.withColumnRenamed(Posts.PLATFORM, "_posts_platform").withColumnRenamed(Posts.ACCOUNT_ID, "_posts_account_id"), KEY, "full_outer")
          .withColumn(Posts.PLATFORM, coalesce(col(Posts.PLATFORM), col("_posts_platform")))
          .withColumn(Posts.ACCOUNT_ID, coalesce(col(Posts.ACCOUNT_ID), col("_posts_account_id")));
    }
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
