package io.chorus.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The real IRA archive: ingest alone, then the whole pipeline scoring with the model trained on the first generated size. */
final class Ira {
  private Ira() {}

  static Map<String, Object> run(Bench.Options o, String model) throws Exception {
    List<Double> ingest = new ArrayList<>();
    List<Double> pipeline = new ArrayList<>();
    Map<String, Object> r = new LinkedHashMap<>();
    String out = o.cache().resolve("out-ira").toAbsolutePath().toString();
    for (int i = 0; i < o.iraRuns(); i++) {
      Bench.ProcessRun in = Bench.chorus(o, "ingest", "--format", "ira-csv", "--input", o.ira().toString(), "--output", out, "--run-date", Bench.RUN_DATE);
      ingest.add(in.seconds());
      r.put("ingest_stages", stageSeconds(in.output()));
      if (model != null) {
        Bench.ProcessRun p = Bench.chorus(o, "pipeline", "--format", "ira-csv", "--input", o.ira().toString(), "--output", out, "--run-date",
            Bench.RUN_DATE, "--model", model);
        pipeline.add(p.seconds());
        r.put("pipeline_stages", stageSeconds(p.output()));
        r.put("pipeline_peak_rss_mib", p.peakRssMib());
      }
    }
    r.put("ingest_seconds", Bench.median(ingest));
    r.put("ingest_runs", ingest);
    r.put("pipeline_seconds", Bench.median(pipeline));
    r.put("pipeline_runs", pipeline);
    r.put("model", model);
    return r;
  }

  static Map<String, Object> stageSeconds(String output) {
    Map<String, Object> m = new LinkedHashMap<>();
    Bench.stages(output).forEach((k, v) -> m.put(k, Map.of("seconds", v[0], "rows_in", (long) v[1], "rows_out", (long) v[2])));
    return m;
  }
}
