package io.chorus.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.ChorusException;
import io.chorus.estimate.BotShareEstimator;
import io.chorus.io.Tables;
import io.chorus.schema.BotShare;
import io.chorus.schema.Coordination;
import io.chorus.schema.Influence;
import io.chorus.spark.Stages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code report}: reads a run's published tables (bounded: per-day slices, top-N rows) and its
 * manifest, and writes one self-contained HTML page (see {@link ReportHtml}).
 */
public final class ReportJob {
  static final String STAGE = "report";
  /** Rows shown in the top-N sections. */
  public static final int TOP_ACCOUNTS = 15;
  public static final int TOP_ACTORS = 40;
  public static final int TOP_CLUSTERS = 12;

  private ReportJob() {}

  /** Everything the page shows, already bounded and on the driver. */
  public record Data(
      String output,
      String runDate,
      List<Row> overall,
      List<Row> daily,
      List<Row> topAccounts,
      List<Row> watchlist,
      List<Row> clusters,
      Map<String, Object> manifest) {}

  public static String run(SparkSession spark, ReportConfig cfg) {
    Stages.Timer timer = Stages.start(STAGE);
    String runDate = cfg.runDate() != null ? cfg.runDate() : latestRunDate(spark, cfg.output());
    Data data = Stages.step(spark, STAGE, "read the run's tables (bounded)", () -> read(spark, cfg.output(), runDate));
    String html = ReportHtml.render(data);
    String target = cfg.html() != null ? cfg.html() : cfg.output() + "/report-" + runDate + ".html";
    try (OutputStream out = Tables.fs(spark, target).create(new Path(target), true)) {
      out.write(html.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ChorusException("Cannot write the report " + target + ": " + e.getMessage() + ". Fix: check write permission, or pass --html elsewhere.", e);
    }
    timer.done(data.daily().size() + data.topAccounts().size() + data.watchlist().size() + data.clusters().size(), 1);
    return target;
  }

  static String latestRunDate(SparkSession spark, String output) {
    List<String> dates = Tables.runDates(spark, Tables.tablePath(output, BotShare.TABLE_SCHEMA));
    if (dates.isEmpty()) {
      throw new ChorusException("No run found under " + output + " (no " + BotShare.TABLE + "/run_date=... partition). Fix: point --output at the"
          + " --output of a 'chorus pipeline' run, or run the pipeline first.");
    }
    return dates.get(dates.size() - 1);
  }

  static Data read(SparkSession spark, String output, String runDate) {
    Dataset<Row> share = Tables.readWritten(spark, BotShare.TABLE_SCHEMA, output, runDate);
    List<Row> overall = share.filter(col(BotShare.SLICE_TYPE).equalTo("overall")).orderBy(BotShare.UNIT, BotShare.METHOD).collectAsList();
    // one row per day and unit for the recommended method: bounded by the archive's days
    List<Row> daily = share.filter(col(BotShare.SLICE_TYPE).equalTo("day").and(col(BotShare.METHOD).equalTo(BotShareEstimator.PACC)))
        .orderBy(BotShare.SLICE_VALUE, BotShare.UNIT).limit(2 * 3660).collectAsList();
    List<Row> top = Tables.readWritten(spark, Influence.ACCOUNT_TABLE_SCHEMA, output, runDate)
        .orderBy(col(Influence.RANK)).limit(TOP_ACCOUNTS).collectAsList();
    List<Row> actors = readOptional(spark, Influence.WATCHLIST_TABLE_SCHEMA, output, runDate).map(ReportJob::actorTotals)
        .map(df -> df.limit(TOP_ACTORS).collectAsList()).orElse(List.of());
    List<Row> clusters = readOptional(spark, Coordination.CLUSTERS_TABLE_SCHEMA, output, runDate).map(ReportJob::largestClusters)
        .map(df -> df.limit(TOP_CLUSTERS).collectAsList()).orElse(List.of());
    return new Data(output, runDate, overall, daily, top, actors, clusters, manifest(spark, output, runDate));
  }

  static Optional<Dataset<Row>> readOptional(SparkSession spark, io.chorus.schema.TableSchema t, String output, String runDate) {
    return Tables.readOptional(spark, t, List.of(Tables.tablePath(output, t)), runDate);
  }

  static Column weighted(String share) {
    return sum(col(share).multiply(col(Influence.AMPLIFICATIONS_RECEIVED))).divide(sum(Influence.AMPLIFICATIONS_RECEIVED));
  }

  /** watchlist_influence summed over the run's days per actor, shares weighted by amplification. */
  public static Dataset<Row> actorTotals(Dataset<Row> watchlist) {
    return watchlist.groupBy(Influence.ACCOUNT_ID, Influence.SCREEN_NAME, Influence.ACTOR_TYPE, Influence.COUNTRY)
        .agg(sum(Influence.OWN_POSTS).as(Influence.OWN_POSTS), sum(Influence.AMPLIFICATIONS_RECEIVED).as(Influence.AMPLIFICATIONS_RECEIVED),
            weighted(Influence.BOT_SHARE).as(Influence.BOT_SHARE), weighted(Influence.COORDINATED_SHARE).as(Influence.COORDINATED_SHARE),
            weighted(Influence.AUTHENTIC_SHARE).as(Influence.AUTHENTIC_SHARE))
        .orderBy(col(Influence.AMPLIFICATIONS_RECEIVED).desc(), col(Influence.ACCOUNT_ID));
  }

  /** One row per coordination cluster, largest first. */
  public static Dataset<Row> largestClusters(Dataset<Row> clusters) {
    return clusters.groupBy(Coordination.CLUSTER_ID)
        .agg(count(lit(1)).as(Coordination.CLUSTER_SIZE), first(Coordination.TRACES).as(Coordination.TRACES),
            first(Coordination.MEAN_BOT_PROBABILITY).as(Coordination.MEAN_BOT_PROBABILITY),
            min(Coordination.FIRST_ACTIVITY).as(Coordination.FIRST_ACTIVITY), max(Coordination.LAST_ACTIVITY).as(Coordination.LAST_ACTIVITY),
            min(Coordination.ACCOUNT_ID).as("example_account"))
        .orderBy(col(Coordination.CLUSTER_SIZE).desc(), col(Coordination.CLUSTER_ID));
  }

  /** The newest manifest in {@code <output>/_runs/} for the run date; empty when there is none. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> manifest(SparkSession spark, String output, String runDate) {
    Path runs = new Path(output + "/_runs");
    try {
      FileSystem fs = Tables.fs(spark, runs.toString());
      if (!fs.exists(runs)) {
        return Map.of();
      }
      List<FileStatus> mine = new ArrayList<>();
      for (FileStatus s : fs.listStatus(runs)) {
        String n = s.getPath().getName();
        if (n.startsWith(runDate + "T") && n.endsWith(".json")) {
          mine.add(s);
        }
      }
      Optional<FileStatus> newest = mine.stream().max(Comparator.comparing(s -> s.getPath().getName()));
      if (newest.isEmpty()) {
        return Map.of();
      }
      try (InputStream in = fs.open(newest.get().getPath())) {
        Map<String, Object> m = new ObjectMapper().readValue(in, LinkedHashMap.class);
        m.put("manifest_path", newest.get().getPath().toString());
        return m;
      }
    } catch (IOException e) {
      throw new ChorusException("Cannot read the run manifests under " + runs + ": " + e.getMessage(), e);
    }
  }
}
