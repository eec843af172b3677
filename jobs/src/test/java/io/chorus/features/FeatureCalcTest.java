package io.chorus.features;

import static io.chorus.Fixtures.post;
import static io.chorus.schema.AccountFeatures.*;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chorus.Fixtures;
import io.chorus.SparkTestBase;
import io.chorus.schema.Accounts;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hand-computed features for three accounts: posts and profile (a), posts only (b), profile only (c). */
class FeatureCalcTest extends SparkTestBase {
  static Map<String, Row> byAccount;
  static Dataset<Row> posts;
  static Dataset<Row> accounts;

  @BeforeAll
  static void compute() {
    posts = Fixtures.posts(spark,
        post("p1", "a", "2024-03-01T10:00:00Z").text("hello").hashtags("x", "y").urls("https://u1").source("web"),
        post("p2", "a", "2024-03-01T10:00:30Z").text("hello").mentions("b").source("app"),
        post("p3", "a", "2024-03-01T10:02:00Z").repostOf("q1", "b").text("RT @b: first"),
        post("p4", "a", "2024-03-01T11:00:00Z").kind("reply", "q1", "b").text("reply"),
        post("q1", "b", "2024-03-01T10:01:30Z").text("first"),
        // e: no exact duplicates, but three texts that differ only in links, mentions, case, digits and punctuation
        post("e1", "e", "2024-03-01T09:00:00Z").text("Vote now! https://t.co/abc @x"),
        post("e2", "e", "2024-03-01T09:10:00Z").text("vote now https://t.co/def @y"),
        post("e3", "e", "2024-03-01T09:20:00Z").text("Vote NOW 2"),
        post("e4", "e", "2024-03-01T09:30:00Z").text("something else"));
    posts = posts.unionByName(Fixtures.posts(spark, nightAccount()));
    accounts = spark.createDataFrame(List.of(
        Fixtures.account("a", "abc123", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 120, 40, 600),
        with(Fixtures.account("c", "c", "2023-03-02T00:00:00Z", "2024-03-01T00:00:00Z", 0, 0, 0), Accounts.LOCATION, "  "),
        with(Fixtures.account("d", "ABC", "2023-03-02T00:00:00Z", "2024-03-01T00:00:00Z", 0, 0, 0),
            Accounts.LOCATION, "Kyiv", Accounts.HAS_URL, true, Accounts.GEO_ENABLED, false, Accounts.HAS_BANNER, true),
        // an older snapshot of a: the latest one must win
        Fixtures.account("a", "old_name", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", 1, 1, 1)), Accounts.SCHEMA);
    byAccount = FeatureCalc.compute(posts, accounts).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(ACCOUNT_ID), r -> r));
  }

  /**
   * n: one post at every full hour of 2024-03-02 plus two more at 12:00:10 and 12:00:20 (26 posts).
   * Every 6-hour window holds 6 posts except those containing 12:00, so night_share = 6/26.
   */
  static Fixtures.PostBuilder[] nightAccount() {
    List<Fixtures.PostBuilder> out = new java.util.ArrayList<>();
    for (int h = 0; h < 24; h++) {
      out.add(post("n" + h, "n", String.format("2024-03-02T%02d:00:00Z", h)).text("t" + h));
    }
    out.add(post("n24", "n", "2024-03-02T12:00:10Z").text("x"));
    out.add(post("n25", "n", "2024-03-02T12:00:20Z").text("y"));
    return out.toArray(new Fixtures.PostBuilder[0]);
  }

  /** The row with some columns of the accounts schema set (name, value, name, value, ...). */
  static Row with(Row r, Object... nameValues) {
    Object[] v = new Object[r.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    for (int i = 0; i < nameValues.length; i += 2) {
      v[Accounts.SCHEMA.fieldIndex((String) nameValues[i])] = nameValues[i + 1];
    }
    return org.apache.spark.sql.RowFactory.create(v);
  }

  static double f(String account, String feature) {
    return byAccount.get(account).<Double>getAs(feature);
  }

  @Test
  void everyAccountFromPostsOrProfilesHasARow() {
    assertThat(byAccount).containsOnlyKeys("a", "b", "c", "d", "e", "n");
    assertThat(f("a", HAS_PROFILE)).isEqualTo(1.0);
    assertThat(f("a", HAS_POSTS)).isEqualTo(1.0);
    assertThat(f("b", HAS_PROFILE)).isEqualTo(0.0);
    assertThat(f("c", HAS_POSTS)).isEqualTo(0.0);
    assertThat(byAccount.get("c").<Double>getAs(POSTS)).isNull();
    assertThat(byAccount.get("b").<Double>getAs(FOLLOWERS)).isNull();
  }

  @Test
  void profileCompletenessFlagsAreNullWhenTheSourceHasNoSuchField() {
    assertThat(f("d", HAS_URL)).isEqualTo(1.0);
    assertThat(f("d", GEO_ENABLED)).isEqualTo(0.0);
    assertThat(f("d", HAS_BANNER)).isEqualTo(1.0);
    assertThat(f("d", HAS_LOCATION)).isEqualTo(1.0);
    // a blank location is "no location"; a missing one (a's snapshot has none) is unknown
    assertThat(f("c", HAS_LOCATION)).isEqualTo(0.0);
    assertThat(byAccount.get("a").<Double>getAs(HAS_LOCATION)).isNull();
    assertThat(byAccount.get("c").<Double>getAs(HAS_URL)).isNull();
    assertThat(byAccount.get("c").<Double>getAs(GEO_ENABLED)).isNull();
    // no profile at all: every flag is null
    assertThat(byAccount.get("b").<Double>getAs(HAS_BANNER)).isNull();
  }

  @Test
  void profileFeaturesUseTheLatestSnapshot() {
    double age = 60.0; // 2024-01-01 to 2024-03-01
    assertThat(f("a", ACCOUNT_AGE_DAYS)).isCloseTo(age, within(1e-9));
    assertThat(f("a", FOLLOWERS)).isEqualTo(120.0);
    assertThat(f("a", FOLLOWERS_GROWTH)).isCloseTo(120 / age, within(1e-9));
    assertThat(f("a", FRIENDS_GROWTH)).isCloseTo(40 / age, within(1e-9));
    assertThat(f("a", STATUSES_GROWTH)).isCloseTo(600 / age, within(1e-9));
    assertThat(f("a", FOLLOWERS_FRIENDS_RATIO)).isCloseTo(3.0, within(1e-9));
    assertThat(f("a", SCREEN_NAME_LENGTH)).isEqualTo(6.0);
    assertThat(f("a", SCREEN_NAME_DIGITS)).isEqualTo(3.0);
    assertThat(f("c", FOLLOWERS_FRIENDS_RATIO)).isEqualTo(0.0);
  }

  @Test
  void behaviourFeaturesMatchHandComputedValues() {
    assertThat(f("a", POSTS)).isEqualTo(4.0);
    assertThat(f("a", POSTS_PER_DAY)).isEqualTo(4.0); // span under a day counts as one day
    assertThat(f("a", REPOST_SHARE)).isEqualTo(0.25);
    assertThat(f("a", REPLY_SHARE)).isEqualTo(0.25);
    assertThat(f("a", QUOTE_SHARE)).isEqualTo(0.0);
    assertThat(f("a", URLS_PER_POST)).isEqualTo(0.25);
    assertThat(f("a", HASHTAGS_PER_POST)).isEqualTo(0.5);
    assertThat(f("a", MENTIONS_PER_POST)).isEqualTo(0.25);
    assertThat(f("a", DISTINCT_SOURCES)).isEqualTo(2.0);
    double entropy = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(2);
    assertThat(f("a", HOUR_ENTROPY)).isCloseTo(entropy, within(1e-9));
    double[] gaps = {30, 90, 3480};
    double mean = (gaps[0] + gaps[1] + gaps[2]) / 3;
    double var = 0;
    for (double g : gaps) {
      var += (g - mean) * (g - mean) / 3;
    }
    assertThat(f("a", INTERPOST_CV)).isCloseTo(Math.sqrt(var) / mean, within(1e-9));
    assertThat(f("a", DUPLICATE_TEXT_SHARE)).isCloseTo(1 - 2.0 / 3, within(1e-9)); // hello, hello, reply
    assertThat(f("a", FAST_REPOST_SHARE)).isEqualTo(1.0); // reposted 30 s after q1
    assertThat(f("a", MAX_POSTS_PER_MINUTE)).isEqualTo(2.0); // p1 and p2 in 10:00
  }

  @Test
  void singlePostAccountHasNoGapStatistics() {
    assertThat(byAccount.get("b").<Double>getAs(INTERPOST_CV)).isNull();
    assertThat(byAccount.get("b").<Double>getAs(FAST_REPOST_SHARE)).isNull();
    assertThat(f("b", HOUR_ENTROPY)).isEqualTo(0.0);
  }

  @Test
  void nightShareIsTheQuietestSixHourWindow() {
    assertThat(f("n", NIGHT_SHARE)).isCloseTo(6.0 / 26, within(1e-9));
    assertThat(byAccount.get("a").<Double>getAs(NIGHT_SHARE)).as("4 posts are under the 24-post minimum").isNull();
  }

  @Test
  void interpostEntropyBinsGapsByLog2Seconds() {
    // gaps: 12 x 3,600 s (00:00..12:00), 10 s, 10 s, 3,580 s, 10 x 3,600 s: bins 11 (23 gaps) and 3 (2 gaps)
    double p11 = 23.0 / 25;
    double p3 = 2.0 / 25;
    double bits = -(p11 * Math.log(p11) + p3 * Math.log(p3)) / Math.log(2);
    assertThat(f("n", INTERPOST_ENTROPY)).isCloseTo(bits, within(1e-9));
    // a: gaps 30, 90, 3,480 s fall in bins 4, 6, 11: three equally likely bins
    assertThat(f("a", INTERPOST_ENTROPY)).isCloseTo(Math.log(3) / Math.log(2), within(1e-9));
    assertThat(byAccount.get("b").<Double>getAs(INTERPOST_ENTROPY)).isNull();
  }

  @Test
  void nearDuplicatesDifferOnlyInLinksMentionsCaseDigitsAndPunctuation() {
    assertThat(f("e", DUPLICATE_TEXT_SHARE)).isEqualTo(0.0);
    assertThat(f("e", NEAR_DUPLICATE_TEXT_SHARE)).isCloseTo(1 - 2.0 / 4, within(1e-9)); // "votenow" x3, "somethingelse"
    assertThat(f("a", NEAR_DUPLICATE_TEXT_SHARE)).isCloseTo(1 - 2.0 / 3, within(1e-9));
  }

  /** Geometric mean of add-one smoothed bigram probabilities, computed here from the three latest names. */
  @Test
  void screenNameLikelihoodUsesABigramModelOfTheInputsNames() {
    List<String> names = List.of("abc123", "c", "abc"); // latest snapshots of a, c, d (old_name is not used)
    Map<String, Integer> counts = new java.util.HashMap<>();
    int total = 0;
    for (String n : names) {
      for (String g : bigrams(n)) {
        counts.merge(g, 1, Integer::sum);
        total++;
      }
    }
    for (String[] acct : new String[][] {{"a", "abc123"}, {"c", "c"}, {"d", "abc"}}) {
      double logSum = 0;
      List<String> grams = bigrams(acct[1]);
      for (String g : grams) {
        logSum += Math.log((counts.get(g) + 1.0) / (total + 38.0 * 38.0));
      }
      assertThat(f(acct[0], SCREEN_NAME_LIKELIHOOD)).as(acct[1]).isCloseTo(Math.exp(logSum / grams.size()), within(1e-12));
    }
    assertThat(f("d", SCREEN_NAME_LIKELIHOOD)).as("abc shares all its bigrams, abc123 has four unique ones").isGreaterThan(f("a", SCREEN_NAME_LIKELIHOOD));
    assertThat(byAccount.get("b").<Double>getAs(SCREEN_NAME_LIKELIHOOD)).isNull();
  }

  /**
   * The behaviour features sort once (for the gaps' and the clock minutes' windows, over keys,
   * minutes and times only) and aggregate by code-generated hash aggregates: no sort-based or
   * object-hash aggregate, no sort-merge join, one exchange of the posts per per-account table plus
   * two for the repost lookup.
   */
  @Test
  void behaviourFeaturesSortOnlyTheGapWindowAndAggregateByHash() {
    String plan = FeatureCalc.behaviourFeatures(posts).queryExecution().executedPlan().toString();
    assertThat(plan.split("\\bWindow \\[", -1)).as("the gaps' window and the clock minutes' window: " + plan).hasSize(3);
    assertThat(plan.split("\\bSort \\[", -1)).as(plan).hasSize(2);
    assertThat(plan).as(plan).doesNotContain("SortAggregate").doesNotContain("ObjectHashAggregate").doesNotContain("SortMergeJoin");
    String window = plan.substring(plan.indexOf("Sort ["), plan.indexOf("Exchange", plan.indexOf("Sort [")));
    assertThat(window).as("the sorted rows carry the key, the minute and the time only").doesNotContain(Accounts.ACCOUNT_ID).doesNotContain("text");
  }

  /**
   * HotSpot does not compile a method of more than 8,000 bytes of bytecode (HugeMethodLimit): such a
   * method runs in the interpreter for the whole job. Whole-stage code generation puts an
   * operator's expressions into one method, so the features' 24-bin and 20-bin entropies and the 24
   * night windows, all in one projection after the joins, made a 27,691-byte method that ran every
   * account's features interpreted. Every generated method of the features plan must fit. This
   * class's session plans without whole-stage code generation (SparkTestBase) and without adaptive
   * execution, so the plan here is generated as a job's would be, then non-adaptive: its
   * code-generated stages are the operators the adaptive plan runs.
   */
  @Test
  void everyGeneratedMethodOfTheFeaturesFitsTheJitsLimit() {
    Map<String, String> before = new java.util.HashMap<>();
    for (String k : SparkTestBase.INTERPRETED.keySet()) {
      before.put(k, spark.conf().get(k));
    }
    spark.conf().set("spark.sql.codegen.wholeStage", "true");
    spark.conf().set("spark.sql.codegen.factoryMode", "CODEGEN_ONLY");
    try {
      org.apache.spark.sql.execution.SparkPlan plan = FeatureCalc.compute(posts, accounts).queryExecution().executedPlan();
      var stages = org.apache.spark.sql.execution.debug.package$.MODULE$.codegenStringSeq(plan);
      assertThat(stages.size()).as("code-generated stages").isGreaterThan(10);
      var it = stages.iterator();
      while (it.hasNext()) {
        var stage = it.next();
        assertThat(stage._3().maxMethodCodeSize()).as(stage._1()).isPositive().isLessThanOrEqualTo(8000);
      }
    } finally {
      before.forEach((k, v) -> spark.conf().set(k, v));
    }
  }

  /**
   * The profile side moves narrow rows and joins without sorting: the latest snapshot is chosen
   * from rows that no longer carry descriptions or display names, after one shuffle by the account
   * key; the likelihood's aggregate and the joins of profile, likelihood and behaviour features on
   * that key add no exchange beyond those the behaviour features plan on their own.
   */
  @Test
  void profileSideShufflesNarrowRowsOnceByKeyAndNeverSortMergeJoins() {
    String plan = FeatureCalc.compute(posts, accounts).queryExecution().executedPlan().toString();
    String behaviour = FeatureCalc.behaviourFeatures(posts).queryExecution().executedPlan().toString();
    assertThat(plan).as(plan).doesNotContain("SortMergeJoin").doesNotContain("SortAggregate");
    java.util.regex.Pattern added = java.util.regex.Pattern.compile(
        "Exchange hashpartitioning\\(" + FeatureCalc.KEY_1 + "#\\d+L, " + FeatureCalc.KEY_2 + "#\\d+L, \\d+\\), ENSURE_REQUIREMENTS");
    assertThat(added.matcher(plan).results().count()).as(plan).isEqualTo(added.matcher(behaviour).results().count());
    String latest = FeatureCalc.latestProfile(accounts).queryExecution().executedPlan().toString();
    assertThat(latest.split("Exchange", -1)).as(latest).hasSize(2);
    String shuffled = latest.substring(latest.indexOf("Exchange"));
    assertThat(shuffled).as(latest).doesNotContain(Accounts.DESCRIPTION + "#").doesNotContain(Accounts.DISPLAY_NAME + "#").contains(Accounts.SCREEN_NAME + "#");
  }

  /**
   * The latest snapshot with some columns is the full latest snapshot's projection, chosen from rows
   * carrying only those, sorted once after the shuffle.
   */
  @Test
  void latestSnapshotOfSomeColumnsMovesOnlyThose() {
    Dataset<Row> some = FeatureCalc.latestSnapshot(accounts, Accounts.SCREEN_NAME, Accounts.FOLLOWERS_COUNT);
    assertThat(some.columns()).containsExactly(Accounts.PLATFORM, Accounts.ACCOUNT_ID, Accounts.OBSERVED_AT, Accounts.SCREEN_NAME, Accounts.FOLLOWERS_COUNT);
    assertThat(some.collectAsList()).containsExactlyInAnyOrderElementsOf(
        FeatureCalc.latestSnapshot(accounts).select(some.columns()[0], java.util.Arrays.copyOfRange(some.columns(), 1, 5)).collectAsList());
    assertThat(some.filter(col(Accounts.ACCOUNT_ID).equalTo("a")).first().<String>getAs(Accounts.SCREEN_NAME)).isEqualTo("abc123");
    String plan = some.queryExecution().executedPlan().toString();
    assertThat(plan.substring(plan.indexOf("Exchange"))).as(plan).doesNotContain(Accounts.DESCRIPTION + "#").doesNotContain(Accounts.FRIENDS_COUNT + "#");
    assertThat(plan).as("one sort, after the shuffle: " + plan).doesNotContain("SortAggregate").containsOnlyOnce("Sort [");
  }

  /** Digits are counted without a regular expression; the count equals what removing [^0-9] leaves, for any text. */
  @Test
  void digitCountsEqualTheRegularExpressionsForAnyText() {
    List<Row> texts = new java.util.ArrayList<>();
    for (String t : new String[] {"abc123", "", "no digits", "\u0663\u0664 arabic-indic", "\uD835\uDFCE math digit 7", "x9\uD83D\uDE00 8",
        "\uD800 unpaired 5", "0000000000", "\uff11 fullwidth 1"}) {
      texts.add(org.apache.spark.sql.RowFactory.create(t));
    }
    texts.add(org.apache.spark.sql.RowFactory.create((Object) null));
    Dataset<Row> d = spark.createDataFrame(texts, new org.apache.spark.sql.types.StructType().add("t", "string"));
    List<Row> got = d.select(
        FeatureCalc.digits(col("t")), length(regexp_replace(coalesce(col("t"), lit("")), "[^0-9]", "")).cast("double")).collectAsList();
    assertThat(got).hasSize(texts.size()).allSatisfy(r -> assertThat(r.getDouble(0)).as(r.toString()).isEqualTo(r.getDouble(1)));
    assertThat(got.get(0).getDouble(0)).isEqualTo(3.0);
    assertThat(got.get(5).getDouble(0)).isEqualTo(2.0);
  }

  /**
   * Account keys are two 64-bit hashes: two accounts that differ only in platform, or whose ids are
   * each other's platform, get different keys, and the output keeps each account's own names.
   */
  @Test
  void accountsThatShareAnIdOnTwoPlatformsStaySeparate() {
    Dataset<Row> two = Fixtures.posts(spark,
            post("x1", "same", "2024-03-01T10:00:00Z").text("one"),
            post("x2", "same", "2024-03-01T10:00:10Z").text("two"))
        .unionByName(Fixtures.posts(spark,
            post("y1", "same", "2024-03-01T10:00:00Z").text("one"),
            post("y2", "same", "2024-03-01T10:05:00Z").text("one"),
            post("y3", "same", "2024-03-01T10:05:30Z").text("one"))
            .withColumn(io.chorus.schema.Posts.PLATFORM, org.apache.spark.sql.functions.lit("mastodon")));
    Map<String, Row> byPlatform = FeatureCalc.compute(two, null).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(PLATFORM), r -> r));
    assertThat(byPlatform).hasSize(2);
    Row twitter = byPlatform.get("twitter");
    assertThat((double) twitter.getAs(POSTS)).isEqualTo(2.0);
    assertThat((double) twitter.getAs(DUPLICATE_TEXT_SHARE)).isEqualTo(0.0);
    assertThat((double) twitter.getAs(MAX_POSTS_PER_MINUTE)).isEqualTo(2.0);
    Row mastodon = byPlatform.get("mastodon");
    assertThat((double) mastodon.getAs(POSTS)).isEqualTo(3.0);
    assertThat((double) mastodon.getAs(DUPLICATE_TEXT_SHARE)).isEqualTo(1.0 - 1.0 / 3.0, within(1e-12));
    assertThat((double) mastodon.getAs(MAX_POSTS_PER_MINUTE)).isEqualTo(2.0);
    // gaps 300 s and 30 s: mean 165, population sd 135
    assertThat((double) mastodon.getAs(INTERPOST_CV)).isEqualTo(135.0 / 165.0, within(1e-12));
    assertThat((Object) twitter.getAs(INTERPOST_CV)).isNull();
  }

  /** The benchmark's DuckDB baseline must compute every column of this class's features, or the ratio compares different work. */
  @Test
  void benchmarksDuckDbBaselineComputesTheSameFeatures(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    posts.write().parquet(dir.resolve("posts").toString());
    accounts.write().parquet(dir.resolve("accounts").toString());
    FeatureCalc.compute(posts, accounts).write().parquet(dir.resolve("features").toString());
    io.chorus.bench.Bench.DuckDbBaseline.run(dir.resolve("posts"), dir.resolve("accounts"), dir.resolve("duck"));
    Map<String, Object> a = io.chorus.bench.Bench.DuckDbBaseline.agreement(dir.resolve("features"), dir.resolve("duck"));
    assertThat(a).containsEntry("accounts", 6L).containsEntry("unmatched_accounts", 0L).containsEntry("null_mismatches", 0L);
    assertThat((Double) a.get("max_abs_difference")).isLessThan(1e-9);
  }

  static List<String> bigrams(String name) {
    String framed = "^" + name.toLowerCase(java.util.Locale.ROOT) + "$";
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i + 2 <= framed.length(); i++) {
      out.add(framed.substring(i, i + 2));
    }
    return out;
  }
}
