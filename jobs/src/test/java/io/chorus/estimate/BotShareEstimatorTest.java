package io.chorus.estimate;

import static io.chorus.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.apache.spark.sql.functions.lit;

import io.chorus.Fixtures;
import io.chorus.SparkTestBase;
import io.chorus.schema.AccountScores;
import io.chorus.schema.BotShare;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class BotShareEstimatorTest extends SparkTestBase {
  /** n accounts, the first `flagged` with is_likely_bot and probability pHigh, the rest pLow. */
  static Dataset<Row> scores(int n, int flagged, double pHigh, double pLow) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean bot = i < flagged;
      rows.add(RowFactory.create("acc" + i, "twitter", bot ? pHigh : pLow, bot, "m", java.util.List.of()));
    }
    return spark.createDataFrame(rows, AccountScores.SCHEMA);
  }

  static Row overall(Dataset<Row> share, String unit, String method) {
    return share.filter(BotShare.SLICE_TYPE + " = 'overall' and " + BotShare.UNIT + " = '" + unit + "' and " + BotShare.METHOD + " = '" + method + "'").first();
  }

  static final Dataset<Row> NO_POSTS() {
    return Fixtures.posts(spark).limit(0);
  }

  /**
   * Member rows (slice_type, slice_value, _k, _key, _n, _y, _p): two strata of the overall slice, a
   * lang slice with two strata and one with a null value: five groups. Account 11 is in two slices.
   */
  static final Object[][] MEMBERS = {
    {"overall", "all", 0, 11L, 3L, 1.0, 0.9}, {"overall", "all", 0, 12L, 1L, 0.0, 0.2}, {"overall", "all", 0, 13L, 7L, 0.0, 0.4},
    {"overall", "all", 1, 14L, 25L, 1.0, 0.8}, {"overall", "all", 1, 15L, 40L, 0.0, 0.1},
    {"lang", "en", 0, 11L, 2L, 1.0, 0.9}, {"lang", "en", 1, 15L, 9L, 0.0, 0.1}, {"lang", null, 0, 12L, 1L, 0.0, 0.2}};
  static final org.apache.spark.sql.types.StructType MEMBER_SCHEMA = new org.apache.spark.sql.types.StructType()
      .add(BotShare.SLICE_TYPE, "string").add(BotShare.SLICE_VALUE, "string").add("_k", "int").add("_key", "long")
      .add("_n", "long").add("_y", "double").add("_p", "double");

  @Test
  void replicateSumsEqualAPlainLoopOverTheMembers() {
    Object[][] members = MEMBERS;
    int replicates = 30;
    long seed = 7;
    org.apache.spark.sql.types.StructType schema = MEMBER_SCHEMA;
    List<Row> in = new ArrayList<>();
    java.util.Map<String, double[]> expected = new java.util.HashMap<>();
    for (Object[] m : members) {
      in.add(RowFactory.create(m));
      long h = BotShareEstimator.stream(seed, (Long) m[3]);
      for (int b = -1; b < replicates; b++) {
        double w = b < 0 ? 1 : BotShareEstimator.poissonWeight(h, b);
        double n = (Long) m[4];
        double y = (Double) m[5];
        double p = (Double) m[6];
        double[] e = expected.computeIfAbsent(m[0] + "|" + m[1] + "|" + m[2] + "|" + b, x -> new double[8]);
        double[] add = {w, w * y, w * p, w * n, w * n * y, w * n * p, n, 1};
        for (int i = 0; i < add.length; i++) {
          e[i] += add[i];
        }
      }
    }
    List<Row> got = BotShareEstimator.replicateSums(spark.createDataFrame(in, schema), replicates, seed).collectAsList();
    assertThat(got).hasSize(5 * (replicates + 1));
    assertThat(expected).hasSize(got.size());
    for (Row r : got) {
      double[] e = expected.get(r.getString(0) + "|" + r.getString(1) + "|" + r.getInt(3) + "|" + r.getInt(2));
      assertThat(e).as("group of %s", r).isNotNull();
      for (int i = 0; i < 6; i++) {
        assertThat(r.getDouble(4 + i)).as("column %d of %s", 4 + i, r).isCloseTo(e[i], within(1e-9));
      }
      if (r.getInt(2) == -1) {
        assertThat(r.getLong(10)).isEqualTo((long) e[6]);
        assertThat(r.getLong(11)).isEqualTo((long) e[7]);
      } else {
        assertThat(r.isNullAt(10) && r.isNullAt(11)).isTrue();
      }
    }
  }

  /**
   * The walk sums runs of equal (slice, stratum) in sort order. Under one sort key for every row, as
   * if all five groups' hashes collided, and with the groups interleaved, it emits a run per
   * stretch, and the final aggregate must still give exactly the sums of the hashed order.
   */
  @Test
  void replicateSumsDoNotDependOnTheOrderOfTheRows() {
    // Members 0, 3, 6, 1, 4, 7, 2, 5: no two neighbours in the same group, so eight runs.
    List<Row> interleaved = new ArrayList<>();
    for (int i = 0; i < MEMBERS.length; i++) {
      interleaved.add(RowFactory.create(MEMBERS[(i * 3) % MEMBERS.length]));
    }
    List<Row> collided = BotShareEstimator.replicateSums(spark.createDataFrame(interleaved, MEMBER_SCHEMA).coalesce(1), 20, 3, lit(0L)).collectAsList();
    java.util.Map<String, Row> hashed = new java.util.HashMap<>();
    for (Row r : BotShareEstimator.replicateSums(spark.createDataFrame(java.util.Arrays.stream(MEMBERS).map(RowFactory::create).toList(), MEMBER_SCHEMA), 20, 3)
        .collectAsList()) {
      hashed.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getInt(2) + "|" + r.getInt(3), r);
    }
    assertThat(collided).hasSize(5 * 21).hasSize(hashed.size());
    for (Row r : collided) {
      Row h = hashed.get(r.getString(0) + "|" + r.getString(1) + "|" + r.getInt(2) + "|" + r.getInt(3));
      assertThat(h).as("group of %s", r).isNotNull();
      for (int i = 4; i < 10; i++) {
        assertThat(r.getDouble(i)).as("column %d of %s", i, r).isCloseTo(h.getDouble(i), within(1e-9));
      }
      assertThat(r.get(10)).isEqualTo(h.get(10));
      assertThat(r.get(11)).isEqualTo(h.get(11));
    }
  }

  @Test
  void bootstrapWeightsArePoissonOneAndIndependentAcrossReplicates() {
    int n = 200_000;
    double sum = 0;
    double sumSq = 0;
    double zeros = 0;
    double cross = 0;
    for (int i = 0; i < n; i++) {
      long h = BotShareEstimator.stream(42, i * 2_654_435_761L);
      int w = BotShareEstimator.poissonWeight(h, i % 100);
      int next = BotShareEstimator.poissonWeight(h, i % 100 + 1);
      sum += w;
      sumSq += (double) w * w;
      zeros += w == 0 ? 1 : 0;
      cross += (w - 1.0) * (next - 1.0);
    }
    double mean = sum / n;
    // Poisson(1): mean 1, variance 1, P(0) = 1/e; a replicate's weight says nothing of the next one's.
    // Standard errors at n = 200,000: 0.0022 for the mean, 0.0011 for P(0), about 0.0022 for the covariance.
    assertThat(mean).isCloseTo(1.0, within(0.01));
    assertThat(sumSq / n - mean * mean).isCloseTo(1.0, within(0.02));
    assertThat(zeros / n).isCloseTo(Math.exp(-1), within(0.005));
    assertThat(cross / n).isCloseTo(0.0, within(0.01));
  }

  @Test
  void bootstrapIntervalOfTheRawShareHasTheBinomialWidth() {
    // 400 accounts, 120 flagged: CC = 0.3 with standard error sqrt(0.3 * 0.7 / 400) = 0.0229, so the
    // 95% interval is about 2 * 1.96 * 0.0229 = 0.090 wide (percentiles of 400 replicates).
    BotShareEstimator.Rates rates = new BotShareEstimator.Rates(0.8, 0.1, 0.9, 0.2, 500, 500, 0.1, 0.1);
    Row cc = overall(BotShareEstimator.estimate(scores(400, 120, 0.7, 0.25), NO_POSTS(), BotShareEstimator.UnitRates.same(rates), 400, 11, 10),
        "accounts", "CC");
    double width = cc.<Double>getAs(BotShare.CI_HIGH) - cc.<Double>getAs(BotShare.CI_LOW);
    assertThat(width).isBetween(0.075, 0.105);
    assertThat(cc.<Double>getAs(BotShare.CI_LOW)).isLessThan(0.3);
    assertThat(cc.<Double>getAs(BotShare.CI_HIGH)).isGreaterThan(0.3);
  }

  @Test
  void correctedEstimatesEqualTheClosedForms() {
    // 100 accounts, 30 flagged; classifier TPR 0.8, FPR 0.1; mean scores 0.9 (bots) and 0.2 (humans).
    BotShareEstimator.Rates rates = new BotShareEstimator.Rates(0.8, 0.1, 0.9, 0.2, 500, 500, 0.1, 0.1);
    Dataset<Row> share = BotShareEstimator.estimate(scores(100, 30, 0.7, 0.25), NO_POSTS(), BotShareEstimator.UnitRates.same(rates), 50, 7, 10).cache();
    double cc = 0.30;
    double pcc = (30 * 0.7 + 70 * 0.25) / 100;
    assertThat(overall(share, "accounts", "CC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo(cc, within(1e-12));
    assertThat(overall(share, "accounts", "ACC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo((cc - 0.1) / (0.8 - 0.1), within(1e-12));
    assertThat(overall(share, "accounts", "PCC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo(pcc, within(1e-12));
    assertThat(overall(share, "accounts", "PACC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo((pcc - 0.2) / (0.9 - 0.2), within(1e-12));
    Row acc = overall(share, "accounts", "ACC");
    assertThat(acc.<Double>getAs(BotShare.CI_LOW)).isLessThan(acc.getAs(BotShare.ESTIMATE));
    assertThat(acc.<Double>getAs(BotShare.CI_HIGH)).isGreaterThan(acc.getAs(BotShare.ESTIMATE));
    assertThat(acc.<Long>getAs(BotShare.N_ACCOUNTS)).isEqualTo(100L);
    assertThat(acc.<Boolean>getAs(BotShare.LOW_SUPPORT)).isFalse();
    assertThat(acc.<Boolean>getAs(BotShare.CLIPPED)).isFalse();
  }

  @Test
  void estimatesBelowZeroAreClippedAndFlagged() {
    // 5% flagged but FPR is 10%: ACC = (0.05 - 0.1) / 0.7 < 0.
    BotShareEstimator.Rates rates = new BotShareEstimator.Rates(0.8, 0.1, 0.9, 0.2, 500, 500, 0.1, 0.1);
    Dataset<Row> share = BotShareEstimator.estimate(scores(40, 2, 0.9, 0.1), NO_POSTS(), BotShareEstimator.UnitRates.same(rates), 20, 7, 100);
    Row acc = overall(share, "accounts", "ACC");
    assertThat(acc.<Double>getAs(BotShare.ESTIMATE)).isEqualTo(0.0);
    assertThat(acc.<Boolean>getAs(BotShare.CLIPPED)).isTrue();
    assertThat(acc.<Boolean>getAs(BotShare.LOW_SUPPORT)).isTrue();
    assertThat(overall(share, "accounts", "CC").<Boolean>getAs(BotShare.CLIPPED)).isFalse();
  }

  @Test
  void postUnitWeighsAccountsByTheirPostsPerSlice() {
    BotShareEstimator.Rates rates = new BotShareEstimator.Rates(1.0, 0.0, 1.0, 0.0, 500, 500, 0.0, 0.0);
    Dataset<Row> posts = Fixtures.posts(spark,
        post("1", "acc0", "2024-03-01T10:00:00Z").hashtags("t"), post("2", "acc0", "2024-03-01T11:00:00Z").hashtags("t"),
        post("3", "acc0", "2024-03-02T11:00:00Z"), post("4", "acc1", "2024-03-01T12:00:00Z").hashtags("t"));
    // The posts unit corrects with the post-weighted rates, the accounts unit with the account rates.
    BotShareEstimator.Rates postRates = new BotShareEstimator.Rates(0.9, 0.05, 0.8, 0.1, 500, 500, 0.1, 0.1);
    Dataset<Row> share = BotShareEstimator.estimate(scores(2, 1, 1.0, 0.0), posts, new BotShareEstimator.UnitRates(rates, postRates), 20, 7, 1).cache();
    assertThat(overall(share, "posts", "CC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo(0.75, within(1e-12));
    assertThat(overall(share, "accounts", "ACC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo(0.5, within(1e-12));
    Row topic = share.filter("slice_type = 'topic' and slice_value = 't' and unit = 'posts' and method = 'ACC'").first();
    assertThat(topic.<Double>getAs(BotShare.ESTIMATE)).isCloseTo((2.0 / 3 - 0.05) / (0.9 - 0.05), within(1e-12));
    Row topicPacc = share.filter("slice_type = 'topic' and slice_value = 't' and unit = 'posts' and method = 'PACC'").first();
    assertThat(topicPacc.<Double>getAs(BotShare.ESTIMATE)).isCloseTo((2.0 / 3 - 0.1) / (0.8 - 0.1), within(1e-12));
    assertThat(topic.<Long>getAs(BotShare.N_POSTS)).isEqualTo(3L);
    Row day = share.filter("slice_type = 'day' and slice_value = '2024-03-02' and unit = 'accounts' and method = 'CC'").first();
    assertThat(day.<Double>getAs(BotShare.ESTIMATE)).isEqualTo(1.0);
    assertThat(day.<Long>getAs(BotShare.N_ACCOUNTS)).isEqualTo(1L);
  }

  /**
   * acc0 and acc1 repost the embassy e1, acc2 replies to the ministry m1 twice, acc3 reposts a
   * non-watchlisted account; e1 reposting itself is not amplification. Cluster 7 holds acc0 and acc3.
   */
  @Test
  void actorGroupAndClusterSlicesCountTheirMembers() {
    Dataset<Row> posts = Fixtures.posts(spark,
        post("o1", "e1", "2024-03-01T10:00:00Z").text("statement"),
        post("o2", "m1", "2024-03-01T10:00:00Z").text("statement"),
        post("r1", "acc0", "2024-03-01T10:01:00Z").repostOf("o1", "e1"),
        post("r2", "acc1", "2024-03-01T10:02:00Z").repostOf("o1", "e1"),
        post("r3", "acc2", "2024-03-01T10:03:00Z").kind("reply", "o2", "m1").text("a"),
        post("r4", "acc2", "2024-03-01T10:04:00Z").kind("reply", "o2", "m1").text("b"),
        post("r5", "acc3", "2024-03-01T10:05:00Z").repostOf("x", "other"),
        post("r6", "e1", "2024-03-01T10:06:00Z").repostOf("o1", "e1"));
    Dataset<Row> watch = spark.createDataFrame(List.of(RowFactory.create("e1", "twitter", "embassy"), RowFactory.create("m1", "twitter", "ministry")),
        new org.apache.spark.sql.types.StructType().add("account_id", "string").add("platform", "string").add("actor_type", "string"));
    Dataset<Row> clusters = spark.createDataFrame(List.of(RowFactory.create(7L, "acc0", "twitter"), RowFactory.create(7L, "acc3", "twitter")),
        new org.apache.spark.sql.types.StructType().add("cluster_id", "long").add("account_id", "string").add("platform", "string"));
    Dataset<Row> extra = BotShareEstimator.actorGroupMemberships(posts, watch).unionByName(BotShareEstimator.clusterMemberships(posts, clusters));
    // acc0 and acc3 are flagged bots (the first two of scores(...) are acc0, acc1; make acc0 and acc3 bots explicitly)
    List<Row> rows = new ArrayList<>();
    for (String[] a : new String[][] {{"acc0", "1"}, {"acc1", "0"}, {"acc2", "0"}, {"acc3", "1"}, {"e1", "0"}, {"m1", "0"}}) {
      boolean bot = a[1].equals("1");
      rows.add(RowFactory.create(a[0], "twitter", bot ? 0.9 : 0.1, bot, "m", java.util.List.of()));
    }
    BotShareEstimator.Rates rates = new BotShareEstimator.Rates(0.8, 0.1, 0.9, 0.2, 500, 500, 0.1, 0.1);
    Dataset<Row> share = BotShareEstimator.estimate(spark.createDataFrame(rows, AccountScores.SCHEMA), posts, extra, BotShareEstimator.UnitRates.same(rates), 10, 7, 1, 100)
        .filter("method = 'CC'").cache();
    java.util.function.BiFunction<String, String, Row> slice = (type, unit) ->
        share.filter("slice_type = '" + type.split("=")[0] + "' and slice_value = '" + type.split("=")[1] + "' and unit = '" + unit + "'").first();
    Row embassy = slice.apply("actor_group=embassy", "accounts");
    assertThat(embassy.<Long>getAs(BotShare.N_ACCOUNTS)).isEqualTo(2L); // acc0, acc1 (not e1 itself)
    assertThat(embassy.<Double>getAs(BotShare.ESTIMATE)).isCloseTo(0.5, within(1e-12));
    Row ministry = slice.apply("actor_group=ministry", "posts");
    assertThat(ministry.<Long>getAs(BotShare.N_POSTS)).isEqualTo(2L);
    assertThat(ministry.<Double>getAs(BotShare.ESTIMATE)).isEqualTo(0.0);
    Row cluster = slice.apply("cluster=7", "accounts");
    assertThat(cluster.<Long>getAs(BotShare.N_ACCOUNTS)).isEqualTo(2L);
    assertThat(cluster.<Double>getAs(BotShare.ESTIMATE)).isCloseTo(1.0, within(1e-12));
    assertThat(share.filter("slice_type = 'actor_group'").select("slice_value").distinct().count()).isEqualTo(2L);
    // The member rows join the per-account tables by hash, never by sorting them on their text ids:
    // scores and post totals to the slices; post totals to the overall and cluster slices.
    String plan = share.queryExecution().executedPlan().toString();
    assertThat(plan).as(plan).doesNotContain("SortMergeJoin");
    assertThat(plan.split("ShuffledHashJoin", -1)).as(plan).hasSize(5);
  }

  /** Three hashtags used by 3, 2 and 1 accounts: with a cap of 2 only the two most used become slices. */
  @Test
  void topicSlicesAreCappedToTheMostUsedHashtags() {
    Dataset<Row> posts = Fixtures.posts(spark,
        post("p1", "acc0", "2024-03-01T10:00:00Z").hashtags("big", "mid", "small"),
        post("p2", "acc1", "2024-03-01T10:00:00Z").hashtags("big", "mid"),
        post("p3", "acc2", "2024-03-01T10:00:00Z").hashtags("big"));
    List<String> topics = BotShareEstimator.memberships(scores(3, 1, 0.9, 0.1), posts, 2).filter("slice_type = 'topic'")
        .select("slice_value").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(topics).containsExactlyInAnyOrder("big", "mid");
  }

  @Test
  void eachActivityStratumIsCorrectedWithItsOwnRates() {
    // 50 silent accounts (stratum 0), 10 flagged; 50 accounts with one post each (stratum 1), 30
    // flagged. Stratum 0: TPR 0.9, FPR 0.1, m1 0.8, m0 0.1; stratum 1: TPR 0.8, FPR 0.2, m1 0.7,
    // m0 0.3; the other strata keep the pooled rates and have no members.
    List<Row> rows = new ArrayList<>();
    List<Fixtures.PostBuilder> posts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      boolean active = i >= 50;
      boolean flagged = active ? i < 80 : i < 10;
      rows.add(RowFactory.create("acc" + i, "twitter", flagged ? 0.9 : 0.2, flagged, "m", java.util.List.of()));
      if (active) {
        posts.add(post("p" + i, "acc" + i, "2024-03-01T10:00:00Z"));
      }
    }
    BotShareEstimator.Rates pooled = new BotShareEstimator.Rates(0.85, 0.15, 0.75, 0.2, 500, 500, 0.1, 0.1);
    BotShareEstimator.Rates s0 = new BotShareEstimator.Rates(0.9, 0.1, 0.8, 0.1, 500, 500, 0.1, 0.1);
    BotShareEstimator.Rates s1 = new BotShareEstimator.Rates(0.8, 0.2, 0.7, 0.3, 500, 500, 0.1, 0.1);
    List<BotShareEstimator.UnitRates> strata = new ArrayList<>();
    for (int k = 0; k < io.chorus.model.BotModel.ACTIVITY_STRATA.length; k++) {
      strata.add(BotShareEstimator.UnitRates.same(k == 0 ? s0 : k == 1 ? s1 : pooled));
    }
    BotShareEstimator.UnitRates rates = new BotShareEstimator.UnitRates(pooled, pooled, strata);
    Dataset<Row> share = BotShareEstimator.estimate(spark.createDataFrame(rows, AccountScores.SCHEMA),
        Fixtures.posts(spark, posts.toArray(Fixtures.PostBuilder[]::new)), rates, 20, 7, 1).cache();
    double acc0 = (10 / 50.0 - 0.1) / (0.9 - 0.1);
    double acc1 = (30 / 50.0 - 0.2) / (0.8 - 0.2);
    assertThat(overall(share, "accounts", "CC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo(0.4, within(1e-12));
    assertThat(overall(share, "accounts", "ACC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo((acc0 + acc1) / 2, within(1e-12));
    double pcc0 = (10 * 0.9 + 40 * 0.2) / 50;
    double pcc1 = (30 * 0.9 + 20 * 0.2) / 50;
    assertThat(overall(share, "accounts", "PACC").<Double>getAs(BotShare.ESTIMATE))
        .isCloseTo(((pcc0 - 0.1) / 0.7 + (pcc1 - 0.3) / 0.4) / 2, within(1e-12));
    // The day slice holds only the active accounts: stratum 1 alone. Its posts unit weighs by posts
    // and only stratum 1 has any.
    Row day = share.filter("slice_type = 'day' and unit = 'accounts' and method = 'ACC'").first();
    assertThat(day.<Double>getAs(BotShare.ESTIMATE)).isCloseTo(acc1, within(1e-12));
    assertThat(overall(share, "posts", "ACC").<Double>getAs(BotShare.ESTIMATE)).isCloseTo(acc1, within(1e-12));
  }

  @Test
  void labeledSetsWithoutPostsCorrectThePostsUnitWithTheAccountRates() {
    // A model trained on profile-only labeled sets: no posts, so every post-weighted rate has zero
    // weight. The posts unit must fall back to the account rates, not to zeros.
    java.util.Map<String, Object> zero = new java.util.LinkedHashMap<>();
    for (String k : new String[] {"tpr", "fpr", "mean_score_positive", "mean_score_negative", "sd_score_positive", "sd_score_negative",
        "effective_positives", "effective_negatives"}) {
      zero.put(k, 0.0);
    }
    java.util.Map<String, Object> acc = new java.util.LinkedHashMap<>(java.util.Map.of("tpr", 0.9, "fpr", 0.1, "mean_score_positive", 0.8,
        "mean_score_negative", 0.2, "sd_score_positive", 0.1, "sd_score_negative", 0.1, "effective_positives", 500.0, "effective_negatives", 500.0));
    List<Object> strata = new ArrayList<>();
    for (int k = 0; k < io.chorus.model.BotModel.ACTIVITY_STRATA.length; k++) {
      strata.add(java.util.Map.of("stratum", k, "accounts", k == 0 ? acc : zero, "posts", zero));
    }
    io.chorus.model.ModelMetadata md = new io.chorus.model.ModelMetadata("m", "t", List.of(), 1000, 500, 500, 500, 0.5, 0.9, 0.1, 0.8, 0.2, 0.1, 0.1,
        0.95, java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), java.util.Map.of("accounts", acc, "posts", zero, "strata", strata));
    BotShareEstimator.UnitRates r = BotShareEstimator.UnitRates.of(md);
    assertThat(r.posts()).isEqualTo(r.accounts());
    for (int k = 0; k < io.chorus.model.BotModel.ACTIVITY_STRATA.length; k++) {
      assertThat(r.stratum(k).posts().tpr()).as("stratum " + k).isEqualTo(0.9);
      assertThat(r.stratum(k).posts().fpr()).as("stratum " + k).isEqualTo(0.1);
    }
  }
}
