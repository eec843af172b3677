package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /** The progress lines of one pipeline process, as Stages prints them. */
  static Bench.ProcessRun pipelineRun(double seconds, double ingest, double features) {
    String out = String.format(java.util.Locale.ROOT, "chorus | ingest      | done in %.1f s | rows in 1,010 | rows out 1,000 | peak RSS 900 MiB%n"
        + "chorus | features    | done in %.1f s | rows in 1,000 | rows out 80 | peak RSS 950 MiB%n", ingest, features);
    return new Bench.ProcessRun(seconds, 0, out, 1_200);
  }

  @Test
  void aDuckDbFailureIsRecordedAndNotTriedAgainAtThatSize(@TempDir Path tmp) throws Exception {
    Path noPosts = Files.createDirectories(tmp.resolve("posts"));  // no Parquet files: DuckDB's read_parquet fails
    Map<String, Object> state = new LinkedHashMap<>();

    assertThat(Bench.DuckDbBaseline.attempt(noPosts, null, tmp.resolve("work"), "1M", state)).isNull();
    assertThat((String) state.get("duckdb_error")).contains(noPosts.toString());

    Path second = tmp.resolve("second-work");
    assertThat(Bench.DuckDbBaseline.attempt(noPosts, null, second, "1M", state)).isNull();
    assertThat(second).doesNotExist();  // run() creates its work folder first: it was not called
  }

  @Test
  void roundsWithoutDuckDbKeepChorusFiguresAndLeaveDuckDbsEmpty() throws Exception {
    Bench.Rounds rounds = new Bench.Rounds();
    rounds.add(pipelineRun(100, 40, 20), 10, null);
    rounds.add(pipelineRun(120, 50, 30), 12, null);
    rounds.add(pipelineRun(90, 30, 25), 11, null);

    Map<String, Object> r = rounds.summary();
    assertThat(r).containsEntry("posts", 1_000L).containsEntry("pipeline_seconds", 100.0).containsEntry("bare_scan_seconds", 11.0)
        .containsEntry("ratio_pipeline_to_bare_scan", 100.0 / 11.0).containsEntry("driver_peak_rss_mib", 1_200L)
        .containsEntry("duckdb_features_seconds", null).containsEntry("ratio_features_to_duckdb", null);
    @SuppressWarnings("unchecked")
    Map<String, Object> features = (Map<String, Object>) ((Map<String, Object>) r.get("stages")).get("features");
    assertThat(features).containsEntry("seconds", 25.0).containsEntry("posts_per_second", 40.0).containsEntry("peak_rss_mib", 950.0);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(r)).contains("\"duckdb_features_seconds\":null").doesNotContain("NaN");

    Map<String, Object> size = new LinkedHashMap<>(r);
    size.put("posts_target", 1_000_000L);
    size.put("duckdb_error", "Out of Memory Error: failed to pin block");
    String md = BenchReadme.render(Map.of("date", "2026-12-05", "machine", Map.of(), "method", Map.of("runs", 3, "warmup", 1), "sizes", List.of(size)),
        "2026-12-05.json");
    assertThat(md).contains("| DuckDB features | n/a |", "features stage / DuckDB features = n/a", "pipeline / bare scan = 9.09",
        "DuckDB failed at this size", "Out of Memory Error: failed to pin block", "| **pipeline (process)** | 100.0 | 10 | 1,200 |");
  }

  @Test
  void roundsWithDuckDbGiveTheRatioOfMedians() {
    Bench.Rounds rounds = new Bench.Rounds();
    rounds.add(pipelineRun(100, 40, 20), 10, new double[] {8, 2});
    rounds.add(pipelineRun(120, 50, 30), 12, new double[] {12, 3});
    rounds.add(pipelineRun(90, 30, 25), 11, new double[] {10, 4});

    assertThat(rounds.summary()).containsEntry("duckdb_features_seconds", 10.0).containsEntry("duckdb_topics_seconds", 3.0)
        .containsEntry("ratio_features_to_duckdb", 2.5);
  }
}
