package io.chorus.influence;

import static io.chorus.Fixtures.post;
import static io.chorus.schema.Influence.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chorus.Fixtures;
import io.chorus.SparkTestBase;
import io.chorus.estimate.BotShareEstimator;
import io.chorus.features.FeatureCalc;
import io.chorus.schema.AccountScores;
import io.chorus.schema.Accounts;
import io.chorus.schema.Watchlist;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hand-made archive: author A posts p1 and p2; bot B reposts both; human C reposts p1 and replies to
 * it; human D mentions @a_name; A reposts its own p2 (excluded as self-amplification).
 */
class InfluenceMetricsTest extends SparkTestBase {
  static Dataset<Row> posts;
  static Dataset<Row> scores;
  static Dataset<Row> latest;
  static Dataset<Row> events;
  static Map<String, Row> accountRows;
  /** Classifier rates for the topic tables: bot_share_posts = (mean score - 0.2) / (0.8 - 0.2), clipped. */
  static final BotShareEstimator.Rates RATES = new BotShareEstimator.Rates(0.9, 0.1, 0.8, 0.2, 100, 100, 0.1, 0.1);

  @BeforeAll
  static void build() {
    posts = Fixtures.posts(spark,
        post("p1", "A", "2024-03-01T10:00:00Z").screenName("a_name").hashtags("t"),
        post("p2", "A", "2024-03-01T12:00:00Z").screenName("a_name"),
        post("r1", "B", "2024-03-01T10:00:05Z").screenName("b_name").repostOf("p1", "A").hashtags("t"),
        post("r2", "B", "2024-03-01T12:00:05Z").screenName("b_name").repostOf("p2", "A"),
        post("r3", "C", "2024-03-01T10:30:00Z").screenName("c_name").repostOf("p1", "A").hashtags("t"),
        post("r4", "C", "2024-03-01T10:40:00Z").screenName("c_name").kind("reply", "p1", "A").mentions("a_name"),
        post("m1", "D", "2024-03-01T11:00:00Z").screenName("d_name").mentions("a_name", "nobody"),
        post("s1", "A", "2024-03-01T12:10:00Z").screenName("a_name").repostOf("p2", "A"));
    scores = spark.createDataFrame(List.of(
        RowFactory.create("A", "twitter", 0.1, false, "m", java.util.List.of()), RowFactory.create("B", "twitter", 0.9, true, "m", java.util.List.of()),
        RowFactory.create("C", "twitter", 0.2, false, "m", java.util.List.of()), RowFactory.create("D", "twitter", 0.3, false, "m", java.util.List.of())), AccountScores.SCHEMA);
    latest = FeatureCalc.latestSnapshot(spark.createDataFrame(List.of(
        Fixtures.account("A", "a_name", "2020-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 1000, 10, 10),
        Fixtures.account("B", "b_name", "2020-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 5, 10, 10),
        Fixtures.account("C", "c_name", "2020-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 70, 10, 10),
        Fixtures.account("D", "d_name", "2020-01-01T00:00:00Z", "2024-03-01T00:00:00Z", 300, 10, 10)), Accounts.SCHEMA));
    events = InfluenceMetrics.withAmplifierFlags(InfluenceMetrics.events(posts, InfluenceMetrics.screenNames(posts, latest)), scores, null).cache();
    accountRows = InfluenceMetrics.accountInfluence(posts, events, scores, latest, false, 50).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(ACCOUNT_ID), r -> r));
  }

  static Map<String, Row> accountRows() {
    return accountRows;
  }

  @Test
  void everyAccountInfluenceColumnForTheAmplifiedAuthor() {
    Row a = accountRows().get("A");
    assertThat(a.<String>getAs(SCREEN_NAME)).isEqualTo("a_name");
    assertThat(a.<Long>getAs(POSTS)).isEqualTo(3L);
    assertThat(a.<Long>getAs(REPOSTS_RECEIVED)).isEqualTo(3L); // r1, r2, r3 (s1 is self)
    assertThat(a.<Long>getAs(REPLIES_RECEIVED)).isEqualTo(1L);
    assertThat(a.<Long>getAs(QUOTES_RECEIVED)).isEqualTo(0L);
    assertThat(a.<Long>getAs(MENTIONS_RECEIVED)).isEqualTo(1L); // D; C's mention is its reply target
    assertThat(a.<Long>getAs(AMPLIFICATIONS_RECEIVED)).isEqualTo(5L);
    assertThat(a.<Long>getAs(UNIQUE_AMPLIFIERS)).isEqualTo(3L);
    assertThat(a.<Long>getAs(POTENTIAL_REACH)).isEqualTo(5L + 70L + 300L);
    assertThat(a.<Long>getAs(T_FACTOR)).isEqualTo(1L); // p1 reposted twice, p2 once: t = 1
    assertThat(a.<Double>getAs(BOT_AMPLIFICATION_SHARE)).isCloseTo(2.0 / 5, within(1e-12));
    assertThat(a.<Double>getAs(BOT_AMPLIFICATION_SHARE_WEIGHTED)).isCloseTo((0.9 * 2 + 0.2 * 2 + 0.3) / 5, within(1e-12));
    assertThat(a.<Double>getAs(COORDINATED_AMPLIFICATION_SHARE)).isNull();
    assertThat(a.<Long>getAs(AUTHENTIC_AMPLIFICATION)).isEqualTo(3L);
    assertThat(a.<Double>getAs(BOT_PROBABILITY)).isEqualTo(0.1);
    assertThat(a.<Long>getAs(RANK)).isEqualTo(1L);
    assertThat(a.<Double>getAs(PAGERANK)).isGreaterThan(accountRows().get("B").<Double>getAs(PAGERANK));
  }

  @Test
  void amplifiersWithoutAmplificationStillHaveRows() {
    Row b = accountRows().get("B");
    assertThat(b.<Long>getAs(POSTS)).isEqualTo(2L);
    assertThat(b.<Long>getAs(AMPLIFICATIONS_RECEIVED)).isZero();
    assertThat(b.<Double>getAs(BOT_AMPLIFICATION_SHARE)).isNull();
    assertThat(b.<Long>getAs(RANK)).isGreaterThan(1L);
  }

  @Test
  void tFactorCountsPostsRepostedAtLeastTTimes() {
    Map<String, Long> t = InfluenceMetrics.tFactor(events).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(InfluenceMetrics.AUTHOR), r -> r.<Long>getAs(T_FACTOR)));
    assertThat(t).containsExactlyEntriesOf(Map.of("A", 1L));
  }

  @Test
  void topicInfluenceListsTopAmplifiedAndAmplifiers() {
    Row t = InfluenceMetrics.topicInfluence(posts, events, scores, RATES, null).filter("topic = 't'").first();
    assertThat(t.<Long>getAs(POSTS)).isEqualTo(3L);
    assertThat(t.<Long>getAs(UNIQUE_ACCOUNTS)).isEqualTo(3L);
    double pcc = (0.1 + 0.9 + 0.2) / 3;
    assertThat(t.<Double>getAs(BOT_SHARE_POSTS)).isCloseTo((pcc - 0.2) / (0.8 - 0.2), within(1e-12));
    List<Row> amplified = t.getList(t.fieldIndex(TOP_AMPLIFIED));
    assertThat(amplified).hasSize(1);
    assertThat(amplified.get(0).<String>getAs(ACCOUNT_ID)).isEqualTo("A");
    assertThat(amplified.get(0).<Long>getAs(AMPLIFICATIONS)).isEqualTo(2L);
    List<Row> amplifiers = t.getList(t.fieldIndex(TOP_AMPLIFIERS));
    assertThat(amplifiers).extracting(r -> r.<String>getAs(ACCOUNT_ID)).containsExactly("B", "C"); // one event each: ties break by account id
  }

  @Test
  void topicCountsWeighEachAccountByItsPostsOnTheTopicThatDay() {
    // Day 1, topic x: A posts it twice (score 0.1), coordinated B once (0.9, also with y), E once
    // (no score). Day 2, topic x: A once. A repeated tag counts once per post.
    Dataset<Row> p = Fixtures.posts(spark,
        post("a1", "A", "2024-03-01T10:00:00Z").hashtags("x"),
        post("a2", "A", "2024-03-01T11:00:00Z").hashtags("x", "x"),
        post("b1", "B", "2024-03-01T12:00:00Z").hashtags("x", "y"),
        post("e1", "E", "2024-03-01T13:00:00Z").hashtags("x"),
        post("a3", "A", "2024-03-02T09:00:00Z").hashtags("x"),
        post("n1", "E", "2024-03-02T10:00:00Z"));
    Dataset<Row> clusters = spark.sql("select * from values ('cl-B', 'B', 'twitter'), ('cl-B', 'Z', 'twitter') as t(cluster_id, account_id, platform)");
    Dataset<Row> ev = InfluenceMetrics.withAmplifierFlags(InfluenceMetrics.events(p, InfluenceMetrics.screenNames(p, null)), scores, clusters);
    Map<String, Row> got = InfluenceMetrics.topicInfluence(p, ev, scores, RATES, clusters).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(DAY).toString() + "/" + r.getAs(TOPIC), r -> r));
    assertThat(got).containsOnlyKeys("2024-03-01/x", "2024-03-01/y", "2024-03-02/x");
    // {day/topic: posts, accounts, mean score over the posts with one, coordinated share of posts}
    Map<String, double[]> expected = Map.of(
        "2024-03-01/x", new double[] {4, 3, (0.1 * 2 + 0.9) / 3, 1.0 / 4},
        "2024-03-01/y", new double[] {1, 1, 0.9, 1.0},
        "2024-03-02/x", new double[] {1, 1, 0.1, 0.0});
    expected.forEach((k, e) -> {
      Row r = got.get(k);
      assertThat(r.<Long>getAs(POSTS)).as(k).isEqualTo((long) e[0]);
      assertThat(r.<Long>getAs(UNIQUE_ACCOUNTS)).as(k).isEqualTo((long) e[1]);
      assertThat(r.<Double>getAs(BOT_SHARE_POSTS)).as(k).isCloseTo(Math.min(1, Math.max(0, (e[2] - 0.2) / (0.8 - 0.2))), within(1e-12));
      assertThat(r.<Double>getAs(COORDINATED_SHARE_POSTS)).as(k).isCloseTo(e[3], within(1e-12));
    });
    assertThat(InfluenceMetrics.topicInfluence(p, ev, scores, RATES, null).filter("topic = 'x'").collectAsList())
        .allSatisfy(r -> assertThat(r.<Double>getAs(COORDINATED_SHARE_POSTS)).isNull());
  }

  @Test
  void aScreenNameTakenByTwoAccountsResolvesToTheSmallestIdAfterOneHashAggregateOfThePosts() {
    Dataset<Row> p = Fixtures.posts(spark,
        post("q1", "K9", "2024-03-01T10:00:00Z").screenName("Same"),
        post("q2", "K9", "2024-03-01T11:00:00Z").screenName("same"),
        post("q3", "K1", "2024-03-01T12:00:00Z").screenName("SAME"),
        post("q4", "K5", "2024-03-01T13:00:00Z").screenName("other"));
    Dataset<Row> names = InfluenceMetrics.screenNames(p, null);
    Map<String, String> got = names.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("_sn"), r -> r.getAs("_sn_account")));
    assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of("same", "K1", "other", "K5"));
    // The distinct (name, account) pairs are kept beneath the min(): two aggregates, not one, and
    // only the min() (over distinct pairs) sorts.
    String plan = names.queryExecution().optimizedPlan().toString();
    assertThat(plan.split("Aggregate \\[", -1)).as(plan).hasSize(3);
    String physical = names.queryExecution().executedPlan().toString();
    assertThat(physical.split("SortAggregate", -1)).as(physical).hasSizeLessThanOrEqualTo(3);
    assertThat(physical).as(physical).contains("HashAggregate(keys=[platform");
  }

  @Test
  void watchlistActorResolvedByScreenNameGetsDailyAmplificationSplit() {
    Dataset<Row> wl = spark.createDataFrame(List.of(RowFactory.create(null, "A_NAME", "twitter", "embassy", "FR", "Embassy")), Watchlist.SCHEMA);
    Dataset<Row> resolved = InfluenceMetrics.resolveWatchlist(wl, InfluenceMetrics.screenNames(posts, latest));
    Row a = InfluenceMetrics.watchlistInfluence(posts, events, resolved, false).first();
    assertThat(a.<String>getAs(ACCOUNT_ID)).isEqualTo("A");
    assertThat(a.<Long>getAs(OWN_POSTS)).isEqualTo(3L);
    assertThat(a.<Long>getAs(AMPLIFICATIONS_RECEIVED)).isEqualTo(5L);
    assertThat(a.<Double>getAs(BOT_SHARE)).isCloseTo(0.4, within(1e-12));
    assertThat(a.<Double>getAs(AUTHENTIC_SHARE)).isCloseTo(0.6, within(1e-12));
    assertThat(a.<Long>getAs(RANK_IN_TYPE_COUNTRY)).isEqualTo(1L);
    List<Row> top = a.getList(a.fieldIndex(TOP_AMPLIFIERS));
    assertThat(top).extracting(r -> r.<String>getAs(ACCOUNT_ID)).containsExactly("B", "C", "D"); // B and C two each (tie by id), D one
  }

  @Test
  void watchlistActorListsTheClustersAmplifyingIt() {
    // B and D form one coordination cluster, C another: A receives 3 events from cl-B (r1, r2, m1)
    // and 2 from cl-C (r3, r4); every amplifier is coordinated.
    Dataset<Row> clusters = spark.sql("select * from values ('cl-B', 'B', 'twitter'), ('cl-B', 'D', 'twitter'), ('cl-C', 'C', 'twitter')"
        + " as t(cluster_id, account_id, platform)");
    Dataset<Row> flagged = InfluenceMetrics.withAmplifierFlags(InfluenceMetrics.events(posts, InfluenceMetrics.screenNames(posts, latest)), scores, clusters);
    Dataset<Row> wl = spark.createDataFrame(List.of(RowFactory.create("A", "a_name", "twitter", "embassy", "FR", "Embassy")), Watchlist.SCHEMA);
    Row a = InfluenceMetrics.watchlistInfluence(posts, flagged, InfluenceMetrics.resolveWatchlist(wl, InfluenceMetrics.screenNames(posts, latest)), true).first();
    assertThat(a.<Double>getAs(COORDINATED_SHARE)).isCloseTo(1.0, within(1e-12));
    assertThat(a.<Double>getAs(AUTHENTIC_SHARE)).isCloseTo(0.0, within(1e-12));
    List<Row> top = a.getList(a.fieldIndex(TOP_AMPLIFYING_CLUSTERS));
    assertThat(top).extracting(r -> r.<String>getAs(CLUSTER_ID)).containsExactly("cl-B", "cl-C");
    assertThat(top).extracting(r -> r.<Long>getAs(AMPLIFICATIONS)).containsExactly(3L, 2L);
    Row noCoordination = InfluenceMetrics.watchlistInfluence(posts, events, InfluenceMetrics.resolveWatchlist(wl, InfluenceMetrics.screenNames(posts, latest)), false).first();
    assertThat(noCoordination.getList(noCoordination.fieldIndex(TOP_AMPLIFYING_CLUSTERS))).isEmpty();
  }

  @Test
  void globalRankFollowsTheOrderAcrossPartitionsWithoutGatheringThemIntoOne() {
    // 2,000 accounts on two platforms with many ties in amplifications and in PageRank: the ranks
    // must be 1..n in the order (amplifications desc, pagerank desc, account, platform).
    java.util.Random rnd = new java.util.Random(7);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(RowFactory.create(String.format("acct%04d", i / 2), i % 2 == 0 ? "twitter" : "mastodon", (long) rnd.nextInt(20),
          rnd.nextInt(4) == 0 ? null : rnd.nextInt(5) / 10.0));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType().add(ACCOUNT_ID, "string").add(PLATFORM, "string")
        .add(AMPLIFICATIONS_RECEIVED, "long").add(PAGERANK, "double");
    Dataset<Row> in = spark.createDataFrame(rows, schema).repartition(5);
    Dataset<Row> ranked = InfluenceMetrics.withGlobalRank(in, RANK, org.apache.spark.sql.functions.col(AMPLIFICATIONS_RECEIVED).desc(),
        org.apache.spark.sql.functions.coalesce(org.apache.spark.sql.functions.col(PAGERANK), org.apache.spark.sql.functions.lit(0.0)).desc(),
        org.apache.spark.sql.functions.col(ACCOUNT_ID), org.apache.spark.sql.functions.col(PLATFORM));
    assertThat(ranked.rdd().getNumPartitions()).as("ranks computed on more than one partition").isGreaterThan(1);
    assertThat(ranked.columns()).endsWith(RANK);
    List<Row> expected = new java.util.ArrayList<>(rows);
    expected.sort(java.util.Comparator.<Row>comparingLong(r -> -r.getLong(2))
        .thenComparing(r -> r.isNullAt(3) ? 0.0 : r.getDouble(3), java.util.Comparator.reverseOrder())
        .thenComparing(r -> r.getString(0)).thenComparing(r -> r.getString(1)));
    Map<String, Long> got = ranked.collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r.getLong(4)));
    assertThat(got).hasSize(2000);
    for (int k = 0; k < expected.size(); k++) {
      Row r = expected.get(k);
      assertThat(got.get(r.getString(0) + "/" + r.getString(1))).as("rank of %s/%s", r.getString(0), r.getString(1)).isEqualTo(k + 1L);
    }
  }
}
