package io.chorus.pipeline;

import io.chorus.config.JobConfig;
import io.chorus.coordination.CoordinationJob;
import io.chorus.estimate.EstimateJob;
import io.chorus.features.FeaturesJob;
import io.chorus.influence.InfluenceJob;
import io.chorus.ingest.IngestJob;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.model.ModelMetadata;
import io.chorus.model.ScoreJob;
import io.chorus.model.TrainJob;
import io.chorus.privacy.PublishJob;
import io.chorus.privacy.Pseudonyms;
import io.chorus.schema.Labels;
import io.chorus.schema.Schemas;
import io.chorus.schema.Watchlist;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * ingest -> features -> train (when labels exist and --reuse-model is not given; otherwise the model at --model is reused) -> score ->
 * coordination -> estimate -> influence. Later stages read the tables the earlier ones wrote under --output for --run-date.
 * With --pseudonymize the stages write under a private working root and {@link PublishJob} then
 * publishes every table with pseudonyms.
 */
public final class PipelineJob {
  private PipelineJob() {}

  /** Private working root of a pseudonymized run, under --output; removed once the run is published. */
  public static final String WORK = "_work";

  public static void run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    run(spark, cfg, manifest, System.getenv());
  }

  /** {@code env} holds the pseudonym key ({@link Pseudonyms#KEY_ENV}) when pseudonymizing. */
  public static void run(SparkSession spark, JobConfig cfg, RunManifest manifest, java.util.Map<String, String> env) {
    if (!cfg.pseudonymize()) {
      stages(spark, cfg, manifest);
      return;
    }
    // Checked before any work: a missing key must not cost a whole run.
    Pseudonyms pseudonyms = PublishJob.pseudonyms(spark, cfg, env);
    String work = cfg.output() + "/" + WORK + "/" + Schemas.RUN_DATE + "=" + cfg.runDate();
    stages(spark, cfg.withOutput(work), manifest);
    PublishJob.run(spark, pseudonyms, work, cfg, manifest);
  }

  static void stages(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    IngestJob.run(spark, cfg, manifest);
    // Labels an adapter produced during ingest (e.g. cresci-csv) win over <input>/labels.
    String ingestedLabels = cfg.output() + "/" + Labels.TABLE;
    List<String> labels = cfg.labels().isEmpty() && Tables.runDates(spark, ingestedLabels).contains(cfg.runDate())
        ? List.of(ingestedLabels) : cfg.tablePaths(cfg.labels(), Labels.TABLE);
    List<String> watchlist = cfg.tablePaths(cfg.watchlist(), Watchlist.TABLE);
    JobConfig staged = cfg.withInputs(List.of(cfg.output()), labels, watchlist);
    FeaturesJob.run(spark, staged, manifest);
    boolean haveLabels = labels.stream().anyMatch(p -> Tables.exists(spark, p));
    if (haveLabels && !cfg.reuseModel()) {
      TrainJob.run(spark, staged, manifest);
    } else {
      // No labels, or --reuse-model: score with the model already at --model (ModelMetadata.read explains a missing one).
      manifest.put("model_reused", ModelMetadata.read(spark, cfg.model()).modelId());
    }
    ScoreJob.run(spark, staged, manifest);
    CoordinationJob.run(spark, staged, manifest);
    EstimateJob.run(spark, staged, manifest);
    InfluenceJob.run(spark, staged, manifest);
  }
}
