package io.chorus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The features target alone, at sizes where repeating the whole pipeline does not fit a session:
 * ingest once per archive (timed, one run), then in each round the features stage in its own JVM
 * and DuckDB computing the same columns on the same ingested Parquet, side by side. After the
 * warm-up round the two outputs are compared column by column. Writes
 * bench/results/features-&lt;date&gt;.json.
 */
final class FeaturesBench {
  private FeaturesBench() {}

  public static void main(String[] args) throws Exception {
    Bench.Options o = Bench.parse(args);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    report.put("method", Map.of("runs", o.runs(), "warmup", 1, "statistic", "median", "heap", o.heap(), "master", "local[2]",
        "shuffle_partitions", Bench.partitionsMethod(o), "duckdb_memory_limit", Bench.DuckDbBaseline.DUCKDB_MEMORY, "rounds", "features stage process, then DuckDB in-process, alternating"));
    List<Map<String, Object>> sizes = new ArrayList<>();
    report.put("sizes", sizes);
    for (long posts : o.sizes()) {
      sizes.add(size(o, posts));
      Bench.writeResult("features", report);
    }
    Bench.writeReadme(Path.of("bench"), null, null);  // where writeResult wrote the JSON
  }

  static Map<String, Object> size(Bench.Options o, long posts) throws Exception {
    Path archive = Bench.archive(o, posts);
    Path run = o.cache().resolve("run-" + Bench.label(posts)).toAbsolutePath();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("posts_target", posts);
    if (!Files.exists(run.resolve("posts/run_date=" + Bench.RUN_DATE + "/_SUCCESS"))) {
      Bench.ProcessRun ingest = Bench.chorus(o, "ingest", "--input", archive.toString(), "--output", run.toString(), "--run-date", Bench.RUN_DATE);
      double[] st = Bench.stages(ingest.output()).get("ingest");
      r.put("ingest_seconds_one_run", st[0]);
      r.put("ingest_process_seconds_one_run", ingest.seconds());
      r.put("ingest_peak_rss_mib", ingest.peakRssMib());
    }
    Path posts_ = run.resolve("posts/run_date=" + Bench.RUN_DATE);
    Path accounts = run.resolve("accounts/run_date=" + Bench.RUN_DATE);
    Path duckWork = o.cache().resolve("duckdb-" + Bench.label(posts)).toAbsolutePath();
    List<Double> features = new ArrayList<>();
    List<Double> duck = new ArrayList<>();
    long peak = 0;
    long kept = 0;
    for (int i = 0; i <= o.runs(); i++) {
      System.err.printf(Locale.ROOT, "bench | features %s | %s%n", Bench.label(posts), i == 0 ? "warm-up" : "run " + i + " of " + o.runs());
      Bench.ProcessRun f = Bench.chorus(o, "features", "--input", run.toString(), "--output", run.toString(), "--run-date", Bench.RUN_DATE);
      double[] st = Bench.stages(f.output()).get("features");
      double[] d = Bench.DuckDbBaseline.attempt(posts_, accounts, duckWork, Bench.label(posts), r);
      if (i == 0) {
        if (d != null) {
          r.put("duckdb_features_agreement", Bench.DuckDbBaseline.agreement(run.resolve("account_features/run_date=" + Bench.RUN_DATE), duckWork));
        }
        continue;
      }
      kept = (long) st[1];
      features.add(st[0]);
      if (d != null) {
        duck.add(d[0]);
      }
      peak = Math.max(peak, f.peakRssMib());
    }
    r.put("posts", kept);
    r.put("features_seconds", Bench.median(features));
    r.put("features_runs", features);
    r.put("features_posts_per_second", kept / Bench.median(features));
    r.put("features_peak_rss_mib", peak);
    r.put("duckdb_features_seconds", Bench.medianOrNull(duck));
    r.put("duckdb_features_runs", duck);
    r.put("duckdb_memory_limit", Bench.DuckDbBaseline.DUCKDB_MEMORY);
    r.put("duckdb_bench_process_peak_rss_mib", Machine.rssMib(ProcessHandle.current().pid()));
    r.put("ratio_features_to_duckdb", duck.isEmpty() ? null : Bench.median(features) / Bench.median(duck));
    System.err.printf(Locale.ROOT, "bench | features %s: %.1f s, DuckDB %.1f s, ratio %.2f%n", Bench.label(posts), Bench.median(features),
        Bench.median(duck), Bench.median(features) / Bench.median(duck));
    return r;
  }
}
