package io.chorus.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.SparkTestBase;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.AccountScores;
import io.chorus.schema.Labels;
import java.util.ArrayList;
import java.util.List;
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
    BotModel.Trained t = BotModel.train(BotModel.labeled(features, labels), 11);
    ModelMetadata md = t.metadata();
    assertThat(md.holdoutRocAuc()).isGreaterThan(0.99);
    assertThat(md.tpr()).isGreaterThan(0.95);
    assertThat(md.fpr()).isLessThan(0.05);
    assertThat(md.meanScorePositive()).isGreaterThan(md.meanScoreNegative() + 0.5);
    assertThat(md.trainAccounts() + md.holdoutPositives() + md.holdoutNegatives()).isEqualTo(200L);
    assertThat(md.features()).isEqualTo(AccountFeatures.FEATURE_COLUMNS);
    List<Row> scored = BotModel.score(t.model(), md, features).join(labels, "account_id").collectAsList();
    for (Row r : scored) {
      boolean bot = Labels.BOT.equals(r.getAs(Labels.LABEL));
      assertThat(r.<Boolean>getAs(AccountScores.IS_LIKELY_BOT)).as(r.toString()).isEqualTo(bot);
    }
  }

  @Test
  void accountWithoutPostsOrProfileStillScores() {
    Object[] v = new Object[AccountFeatures.SCHEMA.fields().length];
    v[0] = "ghost";
    v[1] = "twitter";
    set(v, AccountFeatures.HAS_PROFILE, 0.0);
    set(v, AccountFeatures.HAS_POSTS, 0.0);
    BotModel.Trained t = BotModel.train(BotModel.labeled(features, labels), 11);
    Row r = BotModel.score(t.model(), t.metadata(), spark.createDataFrame(List.of(RowFactory.create(v)), AccountFeatures.SCHEMA)).first();
    assertThat(r.<Double>getAs(AccountScores.BOT_PROBABILITY)).isBetween(0.0, 1.0);
  }
}
