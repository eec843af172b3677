package io.chorus.io;

import io.chorus.ChorusException;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The record of one run, written last as {@code <output>/_runs/<run_id>.json}: inputs, row counts
 * per table, model identity, config, start and end time. It is written to a temporary name and
 * renamed (atomic on local and HDFS file systems); on s3a a single PUT is atomic, so it is written
 * in place.
 */
public final class RunManifest {
  private final String runId;
  private final String command;
  private final String runDate;
  private final Instant started = Instant.now();
  private final Map<String, Object> inputs = new LinkedHashMap<>();
  private final Map<String, Long> rowCounts = new LinkedHashMap<>();
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private final Map<String, String> config;

  public RunManifest(String command, String runDate, Map<String, String> config) {
    this.command = command;
    this.runDate = runDate;
    this.config = new LinkedHashMap<>(config);
    this.runId = runDate + "T" + started.toString().replaceAll("[^0-9]", "").substring(8, 14) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String runId() {
    return runId;
  }

  public void input(String table, List<String> paths) {
    inputs.put(table, paths);
  }

  public void count(String table, long rows) {
    rowCounts.put(table, rows);
  }

  public Map<String, Long> counts() {
    return rowCounts;
  }

  public void put(String key, Object value) {
    extra.put(key, value);
  }

  /** The manifest's content so far (for the printed summary). */
  public Map<String, Object> toMapForSummary() {
    return toMap(Instant.now());
  }

  Map<String, Object> toMap(Instant ended) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("command", command);
    m.put("run_date", runDate);
    m.put("started_at", started.toString());
    m.put("ended_at", ended.toString());
    m.put("inputs", inputs);
    m.put("row_counts", rowCounts);
    m.putAll(extra);
    m.put("config", config);
    return m;
  }

  /** Writes the manifest and returns its path. */
  public String write(SparkSession spark, String outputRoot) {
    String target = outputRoot + "/_runs/" + runId + ".json";
    try {
      FileSystem fs = Tables.fs(spark, target);
      Path dest = new Path(target);
      boolean objectStore = "s3a".equals(dest.toUri().getScheme());
      Path tmp = objectStore ? dest : new Path(outputRoot + "/_runs/." + runId + ".json.tmp");
      Tables.writeJson(spark, tmp.toString(), toMap(Instant.now()));
      if (!objectStore && !fs.rename(tmp, dest)) {
        throw new IOException("rename of " + tmp + " to " + dest + " failed");
      }
      return target;
    } catch (IOException e) {
      throw new ChorusException("Cannot write the run manifest " + target + ": " + e.getMessage()
          + ". Fix: check write permission on --output.", e);
    }
  }
}
