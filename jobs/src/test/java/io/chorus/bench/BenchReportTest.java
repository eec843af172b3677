package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a results file of the same day is merged and described (no Spark: pure report handling). */
class BenchReportTest {
  // An earlier file of the same day: 1M as the median of 3 after a warm-up (method-level fields only,
  // as files written before sizes carried their own), and 10M as one run.
  static final Map<String, Object> EARLIER = Map.of(
      "method", Map.of("runs", 3, "warmup", 1, "duckdb_memory_limit", "3GB"),
      "sizes", List.of(
          Map.of("posts_target", 1_000_000, "posts", 997_490, "pipeline_seconds", 397.1),
          Map.of("posts_target", 10_000_000L, "posts", 9_980_947, "pipeline_seconds", 3600.0, "runs", 1, "warmups", 0,
              "duckdb_memory_limit", "8GB")));

  @Test
  void keepsTheSizesNotRunAgainWithTheirOwnRounds() {
    List<Map<String, Object>> kept = Bench.keptSizes(EARLIER, List.of(10_000_000L));

    assertThat(kept).hasSize(1);
    assertThat(kept.get(0)).containsEntry("posts_target", 1_000_000).containsEntry("runs", 3).containsEntry("warmups", 1)
        .containsEntry("duckdb_memory_limit", "3GB").containsEntry("pipeline_seconds", 397.1);
    assertThat(BenchReadme.rounds(kept.get(0), Map.of())).isEqualTo("Median of 3 runs after a warm-up; DuckDB memory limit 3GB.");
  }

  @Test
  void aSizeMeasuredOnceSaysSo() {
    List<Map<String, Object>> kept = Bench.keptSizes(EARLIER, List.of(1_000_000L));

    assertThat(kept).extracting(s -> s.get("posts_target")).containsExactly(10_000_000L);
    assertThat(BenchReadme.rounds(kept.get(0), Map.of("runs", 3, "warmup", 1)))
        .isEqualTo("One run, no warm-up; DuckDB memory limit 8GB.");
  }

  @Test
  void noEarlierFileKeepsNothing() {
    assertThat(Bench.keptSizes(Map.of(), List.of(1_000_000L))).isEmpty();
  }
}
