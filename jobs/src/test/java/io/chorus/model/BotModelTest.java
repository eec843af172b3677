package io.chorus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import io.chorus.SparkTestBase;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.AccountScores;
import io.chorus.schema.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import java.util.Random;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An obvious bot cluster against an obvious human cluster, with a fixed seed. */
class BotModelTest extends SparkTestBase {
  static Dataset<Row> features;
  static Dataset<Row> labels;
  static BotModel.Trained trained;

  /** Bots: young, default profile, high posting rate, many reposts; humans: the opposite. Some features missing. */
  static Row featureRow(String id, boolean bot, Random rnd) {
    Object[] v = new Object[AccountFeatures.SCHEMA.fields().length];
    v[0] = id;
    v[1] = "twitter";
    for (int i = 2; i < v.length; i++) {
      v[i] = rnd.nextDouble();
    }
    set(v, AccountFeatures.HAS_PROFILE, 1.0);
    set(v, AccountFeatures.HAS_POSTS, 1.0);
    set(v, AccountFeatures.DEFAULT_PROFILE, bot ? 1.0 : 0.0);
    set(v, AccountFeatures.ACCOUNT_AGE_DAYS, bot ? 20 + rnd.nextInt(100) : 1000 + rnd.nextInt(3000));
    set(v, AccountFeatures.POSTS_PER_DAY, bot ? 80 + rnd.nextInt(50) : 1 + rnd.nextInt(5));
    set(v, AccountFeatures.REPOST_SHARE, bot ? 0.9 : 0.3);
    if (rnd.nextDouble() < 0.2) {
      set(v, AccountFeatures.INTERPOST_CV, null);
    }
    return RowFactory.create(v);
  }

  static void set(Object[] v, String column, Object value) {
    v[AccountFeatures.SCHEMA.fieldIndex(column)] = value instanceof Integer i ? i.doubleValue() : value;
  }

  @BeforeAll
  static void data() {
    Random rnd = new Random(1);
    List<Row> f = new ArrayList<>();
    List<Row> l = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean bot = i % 2 == 0;
      f.add(featureRow("u" + i, bot, rnd));
      l.add(RowFactory.create("u" + i, "twitter", bot ? Labels.BOT : Labels.HUMAN, "test"));
    }
    features = spark.createDataFrame(f, AccountFeatures.SCHEMA);
    labels = spark.createDataFrame(l, Labels.SCHEMA);
    trained = BotModel.train(BotModel.labeled(features, labels), 11);
  }

  @Test
  void pipelineIsTheConfiguredClassWeightedForest() {
    RandomForestClassifier rf = (RandomForestClassifier) BotModel.pipeline(3).getStages()[2];
    assertThat(rf.getNumTrees()).isEqualTo(BotModel.TREES);
    assertThat(rf.getMaxDepth()).isEqualTo(BotModel.DEPTH);
    assertThat(rf.getWeightCol()).isEqualTo(BotModel.WEIGHT);
    assertThat(rf.getSeed()).isEqualTo(3L);
  }

  @Test
  void separatesTheBotClusterFromTheHumanCluster() {
    BotModel.Trained t = trained;
    ModelMetadata md = t.metadata();
    assertThat(md.holdoutRocAuc()).isGreaterThan(0.99);
    assertThat(md.tpr()).isGreaterThan(0.95);
    assertThat(md.fpr()).isLessThan(0.05);
    assertThat(md.meanScorePositive()).isGreaterThan(md.meanScoreNegative() + 0.5);
    // The error rates are measured on every labeled account, each scored by a model that did not train on it.
    assertThat(md.holdoutPositives() + md.holdoutNegatives()).isEqualTo(200L);
    assertThat(md.trainAccounts()).isBetween(140L, 180L);
    assertThat(md.errorRates()).containsKeys("sample", "accounts", "posts");
    assertThat(md.features()).isEqualTo(AccountFeatures.FEATURE_COLUMNS);
    List<Row> scored = BotModel.score(t.model(), md, features).join(labels, "account_id").collectAsList();
    for (Row r : scored) {
      boolean bot = Labels.BOT.equals(r.getAs(Labels.LABEL));
      assertThat(r.<Boolean>getAs(AccountScores.IS_LIKELY_BOT)).as(r.toString()).isEqualTo(bot);
    }
  }

  /**
   * Path attributions add up: for every account, the forest's base value plus its features'
   * contributions equals the forest's raw bot vote. Every bot's top features are among the four
   * planted signals (default_profile, account_age_days, posts_per_day, repost_share); every
   * other feature is uniform noise in both classes.
   */
  @Test
  void topFeaturesAreThePlantedSignalsAndContributionsAddUpToTheForestScore() {
    PipelineModel model = trained.model();
    Contributions c = BotModel.contributions(model);
    List<Row> raw = BotModel.rawScore(model, features).select(col(AccountFeatures.ACCOUNT_ID), col(BotModel.VECTOR), col("_raw")).collectAsList();
    assertThat(raw).hasSize(200);
    for (Row r : raw) {
      double sum = c.base();
      for (double x : c.contributions(r.getAs(BotModel.VECTOR))) {
        sum += x;
      }
      assertThat(sum).as(r.getString(0)).isCloseTo(r.<Double>getAs("_raw"), org.assertj.core.data.Offset.offset(1e-9));
    }
    java.util.Set<String> signals = java.util.Set.of(AccountFeatures.DEFAULT_PROFILE, AccountFeatures.ACCOUNT_AGE_DAYS, AccountFeatures.POSTS_PER_DAY,
        AccountFeatures.REPOST_SHARE);
    List<Row> scored = BotModel.score(model, trained.metadata(), features).join(labels, "account_id").collectAsList();
    for (Row r : scored) {
      List<Row> top = r.getList(r.fieldIndex(AccountScores.TOP_FEATURES));
      assertThat(top.size()).isLessThanOrEqualTo(Contributions.TOP);
      for (int k = 1; k < top.size(); k++) {
        assertThat(top.get(k).getDouble(1)).isLessThanOrEqualTo(top.get(k - 1).getDouble(1));
      }
      if (Labels.BOT.equals(r.getAs(Labels.LABEL))) {
        assertThat(top).as(r.toString()).isNotEmpty();
        assertThat(top).allSatisfy(e -> assertThat(signals).contains(e.getString(0)));
        assertThat(top.get(0).getDouble(1)).isGreaterThan(0.05);
      }
    }
  }

  /**
   * Scoring walks each tree once for both the probability and the attributions, instead of MLlib's
   * forest transform plus a second walk. Every account's row must equal MLlib's path exactly, with
   * the calibrator and without it, on the training accounts and on 300 fresh ones (random features,
   * some missing), and MLlib's forest must not be in the plan.
   */
  @Test
  void oneWalkOfTheTreesScoresExactlyAsMllibsForest() {
    Random rnd = new Random(7);
    List<Row> fresh = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Row r = featureRow("f" + i, rnd.nextBoolean(), rnd);
      Object[] v = new Object[r.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = k >= 2 && rnd.nextDouble() < 0.1 ? null : r.get(k);
      }
      fresh.add(RowFactory.create(v));
    }
    Dataset<Row> all = features.unionByName(spark.createDataFrame(fresh, AccountFeatures.SCHEMA));
    Transformer[] stages = trained.model().stages();
    assertThat(stages[stages.length - 1]).isInstanceOf(IsotonicRegressionModel.class);
    PipelineModel forestOnly = new org.apache.spark.ml.Pipeline()
        .setStages(java.util.Arrays.copyOf(stages, stages.length - 1, org.apache.spark.ml.PipelineStage[].class)).fit(features);
    for (PipelineModel m : List.of(trained.model(), forestOnly)) {
      assertThat(BotModel.contributions(m).walkable()).isTrue();
      Dataset<Row> fast = BotModel.score(m, trained.metadata(), all);
      assertThat(fast.queryExecution().analyzed().toString()).doesNotContain("rawPrediction");
      List<Row> expected = BotModel.scoreByMllib(m, trained.metadata(), all).orderBy("account_id").collectAsList();
      List<Row> actual = fast.orderBy("account_id").collectAsList();
      assertThat(actual).hasSize(500).isEqualTo(expected);
      assertThat(actual.stream().map(r -> r.<Double>getAs(AccountScores.BOT_PROBABILITY)).distinct().count()).as("not a constant").isGreaterThan(5);
    }
  }

  @Test
  void accountWithoutPostsOrProfileStillScores() {
    Object[] v = new Object[AccountFeatures.SCHEMA.fields().length];
    v[0] = "ghost";
    v[1] = "twitter";
    set(v, AccountFeatures.HAS_PROFILE, 0.0);
    set(v, AccountFeatures.HAS_POSTS, 0.0);
    BotModel.Trained t = trained;
    Row r = BotModel.score(t.model(), t.metadata(), spark.createDataFrame(List.of(RowFactory.create(v)), AccountFeatures.SCHEMA)).first();
    assertThat(r.<Double>getAs(AccountScores.BOT_PROBABILITY)).isBetween(0.0, 1.0);
  }

  @Test
  void gridSearchAndCalibrationAreRecordedAndSavedWithTheModel() throws Exception {
    BotModel.Trained t = trained;
    ModelMetadata md = t.metadata();
    assertThat(md.params()).containsEntry("calibration", "isotonic");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> grid = (List<Map<String, Object>>) md.crossValidation().get("grid");
    assertThat(grid).hasSize(BotModel.GRID.size());
    double best = grid.stream().mapToDouble(g -> (double) g.get("oof_roc_auc")).max().orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, String> chosen = (Map<String, String>) md.crossValidation().get("chosen");
    assertThat(grid.stream().filter(g -> (double) g.get("oof_roc_auc") >= best - 1e-9).findFirst().orElseThrow().get("max_depth"))
        .as("the first grid point with the best out-of-fold AUC is chosen").isEqualTo(chosen.get("max_depth"));
    assertThat(md.threshold()).isBetween(0.0, 1.0);
    Transformer[] stages = t.model().stages();
    assertThat(stages[stages.length - 1]).isInstanceOf(IsotonicRegressionModel.class);
    // saved and loaded, the model scores exactly as before
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("chorus-model");
    t.model().write().overwrite().save(dir.resolve("pipeline").toString());
    PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline").toString());
    List<Row> before = BotModel.score(t.model(), md, features).orderBy("account_id").collectAsList();
    List<Row> after = BotModel.score(loaded, md, features).orderBy("account_id").collectAsList();
    assertThat(after).isEqualTo(before);
  }

  /**
   * Overlapping classes, 20% bots, bot probability rising with one feature. The class-weighted
   * forest's raw scores behave as if half the accounts were bots; isotonic calibration on
   * out-of-fold scores brings the mean probability back to the real share.
   */
  @Test
  void calibrationUndoesTheClassWeighting() {
    Random rnd = new Random(5);
    List<Row> f = new ArrayList<>();
    List<Row> l = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      double x = rnd.nextDouble();
      boolean bot = rnd.nextDouble() < 0.4 * x * x * 1.5;
      Object[] v = new Object[AccountFeatures.SCHEMA.fields().length];
      v[0] = "c" + i;
      v[1] = "twitter";
      set(v, AccountFeatures.HAS_PROFILE, 1.0);
      set(v, AccountFeatures.HAS_POSTS, 1.0);
      set(v, AccountFeatures.POSTS_PER_DAY, x);
      set(v, AccountFeatures.REPOST_SHARE, rnd.nextDouble());
      f.add(RowFactory.create(v));
      l.add(RowFactory.create("c" + i, "twitter", bot ? Labels.BOT : Labels.HUMAN, "test"));
    }
    Dataset<Row> feats = spark.createDataFrame(f, AccountFeatures.SCHEMA);
    Dataset<Row> labeled = BotModel.labeled(feats, spark.createDataFrame(l, Labels.SCHEMA));
    double share = labeled.agg(org.apache.spark.sql.functions.avg(BotModel.LABEL)).first().getDouble(0);
    BotModel.Fitted calibrated = BotModel.fit(labeled, 3, 3);
    BotModel.Fitted raw = BotModel.fit(labeled, 3, 0);
    double meanCalibrated = meanScore(calibrated.model(), feats);
    double meanRaw = meanScore(raw.model(), feats);
    assertThat(share).isBetween(0.15, 0.25);
    assertThat(Math.abs(meanCalibrated - share)).as("calibrated mean %s vs share %s", meanCalibrated, share).isLessThan(0.03);
    assertThat(meanRaw - share).as("raw class-weighted mean %s vs share %s", meanRaw, share).isGreaterThan(0.1);
  }

  /**
   * Two labeled sets with different layouts: "thin" (both classes) lacks default_profile entirely,
   * "full" (bots only) has it. Its presence would say "full, so bot": it is left out, with the
   * reason; followers_count (in both) and posts_per_day (missing for some accounts of each set)
   * stay. With one set, nothing is left out.
   */
  @Test
  void aFeatureThatOneLabeledSetLacksEntirelyIsLeftOutSoItsLayoutCannotLeakTheLabel() {
    List<Row> f = new ArrayList<>();
    List<Row> l = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      boolean full = i < 10;
      boolean bot = full || i % 2 == 0;
      Object[] v = new Object[AccountFeatures.SCHEMA.fields().length];
      v[0] = "s" + i;
      v[1] = "twitter";
      set(v, AccountFeatures.HAS_PROFILE, 1.0);
      set(v, AccountFeatures.FOLLOWERS, bot ? 5.0 : 500.0);
      set(v, AccountFeatures.DEFAULT_PROFILE, full ? 1.0 : null);
      set(v, AccountFeatures.POSTS_PER_DAY, i % 3 == 0 ? null : 2.0);
      f.add(RowFactory.create(v));
      l.add(RowFactory.create("s" + i, "twitter", bot ? Labels.BOT : Labels.HUMAN, full ? "full" : "thin"));
    }
    Dataset<Row> labeled = BotModel.labeled(spark.createDataFrame(f, AccountFeatures.SCHEMA), spark.createDataFrame(l, Labels.SCHEMA));
    BotModel.FeatureSelection sel = BotModel.usableFeatures(labeled);
    assertThat(sel.dropped()).containsOnlyKeys(AccountFeatures.DEFAULT_PROFILE);
    assertThat(sel.dropped().get(AccountFeatures.DEFAULT_PROFILE)).contains("thin");
    assertThat(sel.kept()).contains(AccountFeatures.FOLLOWERS, AccountFeatures.POSTS_PER_DAY, AccountFeatures.STATUSES)
        .doesNotContain(AccountFeatures.DEFAULT_PROFILE)
        .hasSize(AccountFeatures.FEATURE_COLUMNS.size() - 1);
    BotModel.Fitted fitted = BotModel.fit(labeled, 3, 0);
    org.apache.spark.ml.feature.VectorAssembler assembler = (org.apache.spark.ml.feature.VectorAssembler) fitted.model().stages()[1];
    assertThat(assembler.getInputCols()).hasSize(sel.kept().size()).doesNotContain(AccountFeatures.DEFAULT_PROFILE + "__i");
    assertThat(BotModel.usableFeatures(labeled.filter(org.apache.spark.sql.functions.col(BotModel.SOURCE).equalTo("thin"))).dropped()).isEmpty();
  }

  static double meanScore(PipelineModel m, Dataset<Row> feats) {
    return BotModel.withProbability(m, feats).agg(org.apache.spark.sql.functions.avg(AccountScores.BOT_PROBABILITY)).first().getDouble(0);
  }
}
