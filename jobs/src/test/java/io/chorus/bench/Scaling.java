package io.chorus.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Time ratios between consecutive archive sizes (linear cost gives the posts ratio). */
final class Scaling {
  private Scaling() {}

  static List<Map<String, Object>> of(List<Map<String, Object>> sizes) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 1; i < sizes.size(); i++) {
      Map<String, Object> a = sizes.get(i - 1);
      Map<String, Object> b = sizes.get(i);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("from", Bench.label(((Number) a.get("posts_target")).longValue()));
      r.put("to", Bench.label(((Number) b.get("posts_target")).longValue()));
      r.put("posts_ratio", ((Number) b.get("posts")).doubleValue() / ((Number) a.get("posts")).doubleValue());
      r.put("pipeline_time_ratio", (Double) b.get("pipeline_seconds") / (Double) a.get("pipeline_seconds"));
      r.put("pipeline_without_train_time_ratio", (Double) b.get("pipeline_without_train_seconds") / (Double) a.get("pipeline_without_train_seconds"));
      out.add(r);
    }
    return out;
  }
}
