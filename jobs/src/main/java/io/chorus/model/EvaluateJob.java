package io.chorus.model;

import io.chorus.ChorusException;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.Labels;
import io.chorus.spark.Stages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Evaluates the model at --model on labeled accounts, or cross-validates with --cv K; writes --report. */
public final class EvaluateJob {
  public static final String CV = "cv";

  private EvaluateJob() {}

  public static Map<String, Object> run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    Stages.Timer timer = Stages.start("evaluate");
    int folds = Integer.parseInt(cfg.flags().getOrDefault(CV, "0"));
    Dataset<Row> features = Tables.read(spark, AccountFeatures.TABLE_SCHEMA, cfg.tablePaths(List.of(), AccountFeatures.TABLE), cfg.runDate());
    Dataset<Row> labels = Tables.read(spark, Labels.TABLE_SCHEMA, cfg.tablePaths(cfg.labels(), Labels.TABLE), cfg.runDate());
    Dataset<Row> labeled = BotModel.labeled(features, labels).cache();
    Map<String, Object> m;
    if (folds >= 2) {
      m = Stages.step(spark, "evaluate", folds + "-fold cross-validation", () -> Evaluation.crossValidate(labeled, folds, cfg.seed(), cfg.cvFolds()));
    } else {
      ModelMetadata md = ModelMetadata.read(spark, cfg.model());
      var model = ScoreJob.load(spark, cfg.model());
      m = Stages.step(spark, "evaluate", "score labeled accounts", () -> Evaluation.metrics(BotModel.withProbability(model, labeled), md.threshold()));
      m.put("model_id", md.modelId());
    }
    labeled.unpersist();
    manifest.put("evaluation", m);
    System.out.println("chorus | evaluate | " + m);
    if (cfg.report() != null) {
      try {
        Tables.writeJson(spark, cfg.report(), m);
      } catch (IOException e) {
        throw new ChorusException("Cannot write the report " + cfg.report() + ": " + e.getMessage(), e);
      }
    }
    timer.done((long) m.get("accounts"), 1);
    return m;
  }
}
