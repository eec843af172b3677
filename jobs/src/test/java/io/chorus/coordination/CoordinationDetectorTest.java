package io.chorus.coordination;

import static io.chorus.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.Fixtures;
import io.chorus.SparkTestBase;
import io.chorus.schema.Coordination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CoordinationDetectorTest extends SparkTestBase {
  static final CoordinationDetector.Params CO_REPOST_ONLY =
      new CoordinationDetector.Params(60, 3, 0.5, 5, 50, List.of(Coordination.CO_REPOST));

  static String at(int minute, int second) {
    return String.format("2024-03-01T10:%02d:%02dZ", minute, second);
  }

  /** Originals o1..o3 by author; x1, x2, x3 repost each within seconds; late reposts it an hour later. */
  static List<Fixtures.PostBuilder> campaign() {
    List<Fixtures.PostBuilder> p = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      p.add(post("o" + i, "author", at(i * 10, 0)));
      p.add(post("x1-" + i, "x1", at(i * 10, 5)).repostOf("o" + i, "author"));
      p.add(post("x2-" + i, "x2", at(i * 10, 20)).repostOf("o" + i, "author"));
      p.add(post("x3-" + i, "x3", at(i * 10, 50)).repostOf("o" + i, "author"));
      p.add(post("late-" + i, "late", "2024-03-01T12:0" + i + ":00Z").repostOf("o" + i, "author"));
      p.add(post("org-" + i, "organic", at(i * 10, 30)).repostOf("o" + i, "author"));
    }
    return p;
  }

  static Map<String, Row> edgesByPair(Dataset<Row> edges) {
    return edges.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs(Coordination.ACCOUNT_A) + "-" + r.getAs(Coordination.ACCOUNT_B), r -> r));
  }

  @Test
  void accountsRepostingTheSameItemsWithinTheWindowArePairedAndLateOnesAreNot() {
    List<Fixtures.PostBuilder> p = campaign();
    p.removeIf(b -> b.row().getString(0).startsWith("org-"));
    Dataset<Row> posts = Fixtures.posts(spark, p.toArray(Fixtures.PostBuilder[]::new));
    Map<String, Row> edges = edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, CO_REPOST_ONLY), CO_REPOST_ONLY));
    assertThat(edges).containsOnlyKeys("x1-x2", "x1-x3", "x2-x3");
    assertThat(edges.get("x1-x2").<Long>getAs(Coordination.N_SHARED)).isEqualTo(3L);
    assertThat(edges.get("x1-x2").<Double>getAs(Coordination.WEIGHT)).isEqualTo(1.0);
    assertThat(edges.get("x1-x3").<java.sql.Timestamp>getAs(Coordination.FIRST_SEEN)).isEqualTo(Fixtures.ts(at(10, 5)));
    assertThat(edges.get("x1-x3").<java.sql.Timestamp>getAs(Coordination.LAST_SEEN)).isEqualTo(Fixtures.ts(at(30, 50)));
  }

  @Test
  void aTraceSharedByMoreAccountsThanTheCapIsDropped() {
    // Four accounts share each item's first window (x1, x2, organic, x3): above a cap of three the
    // item counts as popularity, not coordination; at a cap of five it is kept.
    Dataset<Row> posts = Fixtures.posts(spark, campaign().toArray(Fixtures.PostBuilder[]::new));
    CoordinationDetector.Params cap3 = new CoordinationDetector.Params(60, 3, 0.5, 3, 50, List.of(Coordination.CO_REPOST));
    assertThat(CoordinationDetector.edges(CoordinationDetector.traces(posts, cap3), cap3).count()).isZero();
    CoordinationDetector.Params cap5 = CO_REPOST_ONLY;
    assertThat(edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, cap5), cap5)))
        .containsOnlyKeys("organic-x1", "organic-x2", "organic-x3", "x1-x2", "x1-x3", "x2-x3");
  }

  @Test
  void fewerSharedTracesThanTheMinimumGiveNoEdge() {
    List<Fixtures.PostBuilder> p = campaign();
    p.removeIf(b -> b.row().getString(0).endsWith("-3") || b.row().getString(0).startsWith("org-"));
    Dataset<Row> posts = Fixtures.posts(spark, p.toArray(Fixtures.PostBuilder[]::new));
    assertThat(CoordinationDetector.edges(CoordinationDetector.traces(posts, CO_REPOST_ONLY), CO_REPOST_ONLY).count()).isZero();
  }

  @Test
  void identicalNormalisedTextsWithinTheWindowAreCoText() {
    CoordinationDetector.Params text = new CoordinationDetector.Params(60, 2, 0.5, 100, 50, List.of(Coordination.CO_TEXT));
    String a = "The minister lied about the new border plan today";
    String b = "Another long message that every troll pasted verbatim";
    Dataset<Row> posts = Fixtures.posts(spark,
        post("t1", "u1", at(1, 0)).text(a + " https://t.co/xyz"),
        post("t2", "u2", at(1, 30)).text("RT @someone: " + a.toUpperCase()),
        post("t3", "u1", at(5, 0)).text(b),
        post("t4", "u2", at(5, 10)).text("  " + b + "  "),
        post("t5", "u3", at(5, 20)).text(b + " and more words"),
        post("t6", "u3", at(1, 10)).text("too short"),
        post("t7", "u4", at(1, 10)).text("too short"));
    Map<String, Row> edges = edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, text), text));
    assertThat(edges).containsOnlyKeys("u1-u2");
    assertThat(edges.get("u1-u2").<Long>getAs(Coordination.N_SHARED)).isEqualTo(2L);
  }

  @Test
  void coTextNormalisesEachPostOnce() {
    // The length filter on the normalised text must not be pushed below the projection that computes
    // it, which would run the normaliser twice per post (docs/performance.md).
    CoordinationDetector.Params text = new CoordinationDetector.Params(60, 2, 0.5, 100, 50, List.of(Coordination.CO_TEXT));
    Dataset<Row> local = Fixtures.posts(spark,
        post("t1", "u1", at(1, 0)).text("The minister lied about the new border plan today"),
        post("t2", "u2", at(1, 30)).text("The minister lied about the new border plan today!"));
    // From an RDD, not a local table, which the optimizer would evaluate before planning.
    Dataset<Row> posts = spark.createDataFrame(local.javaRDD(), local.schema());
    String plan = CoordinationDetector.traces(posts, text).queryExecution().executedPlan().toString();
    assertThat(plan.split("UDF\\(", -1).length - 1).as(plan).isEqualTo(1);
  }

  @Test
  void componentsJoinChainsAndKeepSeparateGroupsApart() {
    Dataset<Row> posts = Fixtures.posts(spark, campaign().stream().filter(b -> !b.row().getString(0).startsWith("org-")).toArray(Fixtures.PostBuilder[]::new));
    Dataset<Row> edges = CoordinationDetector.edges(CoordinationDetector.traces(posts, CO_REPOST_ONLY), CO_REPOST_ONLY)
        .filter("not (account_a = 'x1' and account_b = 'x3')")
        .unionByName(spark.sql("select 'y1' as account_a, 'y2' as account_b, 'twitter' as platform, 'co_repost' as trace, 1.0D as weight, 3L as n_shared,"
            + " timestamp'2024-03-01 00:00:00' as first_seen, timestamp'2024-03-01 01:00:00' as last_seen"));
    Map<String, String> clusters = CoordinationDetector.components(edges).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(Coordination.ACCOUNT_ID), r -> r.getAs(Coordination.CLUSTER_ID)));
    assertThat(clusters).containsOnlyKeys("x1", "x2", "x3", "y1", "y2");
    assertThat(clusters.get("x1")).isEqualTo(clusters.get("x3")).isEqualTo("cl-x1");
    assertThat(clusters.get("y2")).isEqualTo("cl-y1");
    Dataset<Row> members = CoordinationDetector.clusters(edges, CoordinationDetector.components(edges), null);
    Row x3 = members.filter("account_id = 'x3'").first();
    assertThat(x3.<Long>getAs(Coordination.CLUSTER_SIZE)).isEqualTo(3L);
    assertThat(x3.getList(x3.fieldIndex(Coordination.TRACES))).containsExactly("co_repost");
  }

  static final String BASE = "citizens across the region say the new water tariff hurts small farms and families every single month";

  /** Word-bigram Jaccard similarity computed in plain Java, to fix the fixtures' premises independently of Spark. */
  static double bigramJaccard(String x, String y) {
    java.util.function.Function<String, java.util.Set<String>> bigrams = t -> {
      String[] w = t.split(" ");
      java.util.Set<String> out = new java.util.HashSet<>();
      for (int i = 1; i < w.length; i++) {
        out.add(w[i - 1] + " " + w[i]);
      }
      return out;
    };
    java.util.Set<String> a = bigrams.apply(x);
    java.util.Set<String> b = bigrams.apply(y);
    java.util.Set<String> inter = new java.util.HashSet<>(a);
    inter.retainAll(b);
    java.util.Set<String> union = new java.util.HashSet<>(a);
    union.addAll(b);
    return inter.size() / (double) union.size();
  }

  static String replaceWord(String text, int index, String with) {
    String[] w = text.split(" ");
    w[index] = with;
    return String.join(" ", w);
  }

  static Row bucketRow(long bucket, long textId, Long... hashes) {
    return bucketRow("x", bucket, textId, hashes);
  }

  static Row bucketRow(String platform, long bucket, long textId, Long... hashes) {
    // A generic row holds arrays as Scala sequences, as Spark hands them to mapPartitions.
    return org.apache.spark.sql.RowFactory.create(platform, bucket, textId, scala.jdk.javaapi.CollectionConverters.asScala(List.of(hashes)).toSeq());
  }

  @Test
  void bucketWalkPairsSimilarTextsOncePerBucketAndSkipsOversizeBuckets() {
    List<Row> sorted = new ArrayList<>();
    // Bucket 7: texts 30 and 10 share 3 of 4 hashes (Jaccard 0.75); text 20 shares one hash: 1 of 5 with 30 (0.2), 1 of 6 with 10 (0.17).
    sorted.add(bucketRow(7, 30, 1L, 2L, 3L));
    sorted.add(bucketRow(7, 10, 3L, 2L, 1L, 4L));
    sorted.add(bucketRow(7, 20, 1L, 8L, 9L));
    // Bucket 17 (another band): the same pair again (one row per shared band), plus a text alone in 18.
    sorted.add(bucketRow(17, 10, 1L, 2L, 3L, 4L));
    sorted.add(bucketRow(17, 30, 1L, 2L, 3L));
    sorted.add(bucketRow(18, 40, 1L, 2L, 3L));
    // Bucket 19: identical texts on two platforms, as a collision of the bucket key would put them: never a pair.
    sorted.add(bucketRow("x", 19, 50, 1L, 2L, 3L));
    sorted.add(bucketRow("y", 19, 60, 1L, 2L, 3L));
    // Bucket 27: one text more than the cap, all identical: boilerplate, never compared.
    for (long t = 0; t <= CoordinationDetector.MAX_BUCKET_TEXTS; t++) {
      sorted.add(bucketRow(27, 1000 + t, 5L, 6L));
    }
    List<String> pairs = new ArrayList<>();
    new CoordinationDetector.BucketPairs(sorted.iterator(), 0.7).forEachRemaining(r -> pairs.add(r.getString(1) + "-" + r.getString(2)));
    assertThat(pairs).containsExactly("10-30", "10-30");
    List<String> loose = new ArrayList<>();
    new CoordinationDetector.BucketPairs(sorted.subList(0, 3).iterator(), 0.15).forEachRemaining(r -> loose.add(r.getString(1) + "-" + r.getString(2)));
    assertThat(loose).containsExactlyInAnyOrder("10-30", "20-30", "10-20");
    assertThat(CoordinationDetector.jaccard(new long[] {1, 2, 3}, new long[] {1, 2, 3, 4})).isEqualTo(0.75);
    assertThat(CoordinationDetector.jaccard(new long[0], new long[0])).isZero();
  }

  @Test
  void nearDuplicateTextsJustAboveTheThresholdAreGroupedAndJustBelowAreNot() {
    String one = replaceWord(BASE, 5, "proposed");
    String two = replaceWord(one, 12, "large");
    String other = "a completely different message about football scores and the weekend weather forecast";
    double j12 = bigramJaccard(BASE, one);
    assertThat(j12).isEqualTo(bigramJaccard(one, two)).isCloseTo(14.0 / 18, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(bigramJaccard(BASE, two)).isCloseTo(0.6, org.assertj.core.api.Assertions.within(1e-12));
    Dataset<Row> texts = spark.createDataFrame(List.of(
            org.apache.spark.sql.RowFactory.create("twitter", 1L, BASE), org.apache.spark.sql.RowFactory.create("twitter", 2L, one),
            org.apache.spark.sql.RowFactory.create("twitter", 3L, two), org.apache.spark.sql.RowFactory.create("twitter", 4L, other),
            org.apache.spark.sql.RowFactory.create("twitter", 5L, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"),
            org.apache.spark.sql.RowFactory.create("twitter", 6L, "?????????????????????????????!")),
        new org.apache.spark.sql.types.StructType().add("platform", "string").add(CoordinationDetector.TEXT_ID, "long").add("_norm", "string"));
    // At a threshold just under 14/18 the chain base~one~two is one item although base and two are
    // only 0.6 alike; just over it every text is its own item.
    Map<Long, String> below = groups(CoordinationDetector.nearDuplicateGroups(texts, j12 - 0.01));
    assertThat(below.get(1L)).isEqualTo(below.get(2L)).isEqualTo(below.get(3L));
    // Only grouped texts are returned: the unrelated text and those without words (no shingles)
    // stay their own items.
    assertThat(below).containsOnlyKeys(1L, 2L, 3L);
    assertThat(CoordinationDetector.nearDuplicateGroups(texts, j12 + 0.01).count()).isZero();
  }

  static Map<Long, String> groups(Dataset<Row> g) {
    return g.collectAsList().stream().collect(Collectors.toMap(r -> r.<Long>getAs(CoordinationDetector.TEXT_ID), r -> r.getAs("_item")));
  }

  @Test
  void copyPasteVariantsPostedWithinTheWindowAreCoTextOnlyWithNearDuplicateMatching() {
    List<Fixtures.PostBuilder> p = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String tpl = replaceWord(BASE, 2, "topic" + "abc".charAt(i));
      p.add(post("a" + i, "u1", at(i * 10, 0)).text(tpl));
      p.add(post("b" + i, "u2", at(i * 10, 20)).text(tpl + " shameful"));
      p.add(post("c" + i, "u3", at(i * 10, 40)).text(replaceWord(tpl, 9, "damages")));
    }
    p.add(post("d", "u4", at(0, 30)).text("an unrelated long post about the football scores this weekend"));
    Dataset<Row> posts = Fixtures.posts(spark, p.toArray(Fixtures.PostBuilder[]::new));
    CoordinationDetector.Params near = new CoordinationDetector.Params(60, 3, 0.5, 100, 50, List.of(Coordination.CO_TEXT), 0.7);
    assertThat(edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, near), near))).containsOnlyKeys("u1-u2", "u1-u3", "u2-u3");
    CoordinationDetector.Params exact = new CoordinationDetector.Params(60, 3, 0.5, 100, 50, List.of(Coordination.CO_TEXT), 1.0);
    assertThat(CoordinationDetector.edges(CoordinationDetector.traces(posts, exact), exact).count()).isZero();
  }

  @Test
  void accountsActiveInTheSameTimeBinsAreSynchronous() {
    // s1 and s2 post in the same three one-minute bins; s3 posts three times in other bins and once
    // in a shared one, which is not enough to pair.
    Dataset<Row> posts = Fixtures.posts(spark,
        post("p1", "s1", at(1, 5)), post("p2", "s2", at(1, 55)),
        post("p3", "s1", at(7, 10)), post("p4", "s2", at(7, 11)),
        post("p5", "s1", at(20, 30)), post("p6", "s2", at(20, 0)),
        post("p7", "s3", at(20, 40)), post("p8", "s3", at(30, 0)), post("p9", "s3", at(40, 0)), post("p10", "s3", at(50, 0)));
    CoordinationDetector.Params sync = new CoordinationDetector.Params(60, 3, 0.3, 100, 50, List.of(Coordination.SYNCHRONY));
    Map<String, Row> edges = edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, sync), sync));
    assertThat(edges).containsOnlyKeys("s1-s2");
    assertThat(edges.get("s1-s2").<Long>getAs(Coordination.N_SHARED)).isEqualTo(3L);
    assertThat(edges.get("s1-s2").<String>getAs(Coordination.TRACE)).isEqualTo(Coordination.SYNCHRONY);
  }

  @Test
  void theSameHashtagSequenceOnTheSameDayIsATraceAndItsKeyIsALong() {
    // h1 and h2 post the same three sequences on 1 March; h3 posts the first one's tags in another
    // order, the second on another day and the third as h1 did, which is one shared trace: too few.
    Dataset<Row> posts = Fixtures.posts(spark,
        post("a1", "h1", at(1, 0)).hashtags("Vote", "Border", "Lies"), post("a2", "h2", at(50, 0)).hashtags("Vote", "Border", "Lies"),
        post("b1", "h1", at(2, 0)).hashtags("Tax", "Fraud"), post("b2", "h2", at(3, 0)).hashtags("Tax", "Fraud"),
        post("c1", "h1", at(4, 0)).hashtags("Ukraine", "NATO"), post("c2", "h2", at(5, 0)).hashtags("Ukraine", "NATO"),
        post("d1", "h3", at(6, 0)).hashtags("Border", "Vote", "Lies"), post("d2", "h3", "2024-03-02T10:02:00Z").hashtags("Tax", "Fraud"),
        post("d3", "h3", at(7, 0)).hashtags("Ukraine", "NATO"));
    CoordinationDetector.Params tags = new CoordinationDetector.Params(60, 3, 0.3, 100, 50, List.of(Coordination.HASHTAG_SEQUENCE));
    Dataset<Row> traces = CoordinationDetector.traces(posts, tags);
    assertThat(traces.schema().apply(CoordinationDetector.TRACE_KEY).dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.LongType);
    assertThat(traces.select(CoordinationDetector.TRACE_KEY).distinct().count()).as("3 shared sequences, h3's reordered and next-day ones").isEqualTo(5L);
    Map<String, Row> edges = edgesByPair(CoordinationDetector.edges(traces, tags));
    assertThat(edges).containsOnlyKeys("h1-h2");
    assertThat(edges.get("h1-h2").<Long>getAs(Coordination.N_SHARED)).isEqualTo(3L);
  }
}
