package io.chorus.pipeline;

import static org.apache.spark.sql.functions.col;

import io.chorus.config.JobConfig;
import io.chorus.estimate.BotShareEstimator;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountScores;
import io.chorus.schema.BotShare;
import io.chorus.schema.Coordination;
import io.chorus.schema.Influence;
import io.chorus.schema.Schemas;
import io.chorus.schema.TableSchema;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The short report printed after a pipeline run: bounded reads of the tables just written. */
public final class Summary {
  private Summary() {}

  static String percent(Object share) {
    return share == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * (double) share);
  }

  @SuppressWarnings("unchecked")
  public static String render(SparkSession spark, JobConfig cfg, RunManifest manifest, String manifestPath) {
    StringBuilder b = new StringBuilder();
    Map<String, Long> counts = manifest.counts();
    Object cons = manifest.toMapForSummary().get("ingest_conservation");
    Map<String, Long> c = cons instanceof Map ? (Map<String, Long>) cons : Map.of();
    b.append(String.format(Locale.ROOT, "%nChorus run %s (run_date %s)%n", manifest.runId(), cfg.runDate()));
    b.append(String.format(Locale.ROOT, "  rows in           %,d%n", c.getOrDefault("read", 0L)));
    b.append(String.format(Locale.ROOT, "  rows quarantined  %,d   duplicates dropped %,d   posts kept %,d%n",
        c.getOrDefault("quarantined", 0L), c.getOrDefault("duplicates_dropped", 0L), c.getOrDefault("kept", 0L)));
    b.append(String.format(Locale.ROOT, "  accounts scored   %,d%n", counts.getOrDefault(AccountScores.TABLE, 0L)));
    b.append(String.format(Locale.ROOT, "  coordinated       %,d accounts in clusters, %,d edges%n",
        counts.getOrDefault(Coordination.CLUSTERS_TABLE, 0L), counts.getOrDefault(Coordination.EDGES_TABLE, 0L)));
    String d = cfg.runDate();
    List<Row> overall = Tables.readWritten(spark, BotShare.TABLE_SCHEMA, cfg.output(), d)
        .filter(col(BotShare.SLICE_TYPE).equalTo("overall")).orderBy(BotShare.UNIT, BotShare.METHOD).collectAsList();
    b.append("  overall bot share (95% CI):\n");
    for (Row r : overall) {
      String method = r.getAs(BotShare.METHOD);
      b.append(String.format(Locale.ROOT, "    %-8s %-5s %s%n", r.getAs(BotShare.UNIT), method,
          r.isNullAt(r.fieldIndex(BotShare.ESTIMATE)) ? "n/a"
              : String.format(Locale.ROOT, "%5.1f%%  [%5.1f%%, %5.1f%%]%s", 100 * (double) r.getAs(BotShare.ESTIMATE),
                  100 * (double) r.getAs(BotShare.CI_LOW), 100 * (double) r.getAs(BotShare.CI_HIGH),
                  BotShareEstimator.PACC.equals(method) ? "  <- recommended" : "")));
    }
    List<Row> top = Tables.readWritten(spark, Influence.ACCOUNT_TABLE_SCHEMA, cfg.output(), d)
        .orderBy(col(Influence.RANK)).limit(5).collectAsList();
    b.append("  top 5 amplified accounts:\n");
    for (Row r : top) {
      Object share = r.getAs(Influence.BOT_AMPLIFICATION_SHARE);
      Object coord = r.getAs(Influence.COORDINATED_AMPLIFICATION_SHARE);
      b.append(String.format(Locale.ROOT, "    %d. %-32s %,8d amplifications  %s from likely bots, %s coordinated%n", (long) r.getAs(Influence.RANK),
          r.getAs(Influence.SCREEN_NAME) == null ? r.getAs(Influence.ACCOUNT_ID) : "@" + r.getAs(Influence.SCREEN_NAME),
          (long) r.getAs(Influence.AMPLIFICATIONS_RECEIVED), percent(share), percent(coord)));
    }
    b.append("  tables:\n");
    for (TableSchema t : Schemas.PUBLISHED) {
      b.append(String.format(Locale.ROOT, "    %-20s %s/run_date=%s%n", t.name(), Tables.tablePath(cfg.output(), t), d));
    }
    b.append(String.format(Locale.ROOT, "    %-20s %s%n", "model", cfg.model()));
    b.append(String.format(Locale.ROOT, "    %-20s %s%n", "manifest", manifestPath));
    return b.toString();
  }
}
