package io.chorus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.SparkTestBase;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShufflePartitionsTest extends SparkTestBase {
  static final long MIB = 1L << 20;
  static final String RUN_DATE = "2024-03-15";

  @Test
  void oneShufflePartitionPer64MiBOfPostsAndNeverFewerThanTheCores() {
    // bytes, cores -> partitions
    long[][] cases = {
        {0, 2, 2},
        {12 * MIB, 2, 2},                  // the default sample: the cores
        {64 * MIB, 1, 1},
        {64 * MIB + 1, 1, 2},
        {505 * MIB + 100 * 1024, 2, 8},    // the generator's 10M archive (505.1 MiB)
        {1538 * MIB + 600 * 1024, 2, 25},  // its 30M archive (1,538.6 MiB)
        {1779 * MIB + 300 * 1024, 2, 28},  // its 30M posts after ingest
        {1538 * MIB, 64, 64},              // a cluster with more cores than the bytes ask for
        {1L << 50, 2, ShufflePartitions.MAX},
        {-1, 0, 1},
    };
    for (long[] c : cases) {
      assertThat(ShufflePartitions.forBytes(c[0], (int) c[1])).as("%d bytes on %d cores", c[0], c[1]).isEqualTo((int) c[2]);
    }
  }

  @Test
  void unsetPartitionsAreSizedToTheRunDatesPostsForTheStageAndRestoredAfterIt(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("out");
    sparse(root.resolve("posts/run_date=" + RUN_DATE + "/part-0.parquet"), 3 * 64 * MIB + 1);  // 4 partitions
    sparse(root.resolve("posts/run_date=2024-03-14/part-0.parquet"), 40 * 64 * MIB);          // another run's: not counted
    sparse(root.resolve("account_features/run_date=" + RUN_DATE + "/part-0.parquet"), 40 * 64 * MIB);
    RunManifest manifest = new RunManifest("features", RUN_DATE, Map.of());

    String inside = unsetDuring(() -> sizedPartitions(root, manifest));

    assertThat(inside).isEqualTo("4");
    assertThat(manifest.toMapForSummary()).containsEntry("shuffle_partitions", 4);
    assertThat((String) manifest.toMapForSummary().get("shuffle_partitions_from")).startsWith("192.0 MiB of posts input, one partition per 64 MiB");
  }

  @Test
  void aCanonicalArchiveCountsItsPostsFolderAndARawLayoutItsWholeFolder(@TempDir Path tmp) throws IOException {
    Path archive = tmp.resolve("archive");
    sparse(archive.resolve("posts/part-0.parquet"), 5 * 64 * MIB);
    sparse(archive.resolve("accounts/part-0.parquet"), 40 * 64 * MIB);  // not posts: not counted
    Path raw = tmp.resolve("ira");
    sparse(raw.resolve("IRAhandle_tweets_1.csv"), 6 * 64 * MIB);
    sparse(raw.resolve("IRAhandle_tweets_2.csv"), 2 * 64 * MIB);
    RunManifest m1 = new RunManifest("pipeline", RUN_DATE, Map.of());
    RunManifest m2 = new RunManifest("ingest", RUN_DATE, Map.of());

    assertThat(unsetDuring(() -> sizedPartitions(archive, m1))).isEqualTo("5");
    assertThat(unsetDuring(() -> sizedPartitions(raw, m2))).isEqualTo("8");
  }

  @Test
  void aCountTheUserSetIsKeptAndRecordedAsSet(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("out");
    sparse(root.resolve("posts/run_date=" + RUN_DATE + "/part-0.parquet"), 10 * 64 * MIB);
    RunManifest manifest = new RunManifest("features", RUN_DATE, Map.of());

    assertThat(sizedPartitions(root, manifest)).isEqualTo("2");  // SparkTestBase sets 2
    assertThat(spark.conf().get(ShufflePartitions.KEY)).isEqualTo("2");
    assertThat(manifest.toMapForSummary()).containsEntry("shuffle_partitions", 2)
        .containsEntry("shuffle_partitions_from", "spark.sql.shuffle.partitions as set");
  }

  /** The count the stage's body sees when sized for {@code root}. */
  static String sizedPartitions(Path root, RunManifest manifest) {
    JobConfig cfg = new JobConfig(List.of(root.toString()), root.toString(), RUN_DATE, "", List.of(), List.of(), List.of(), "canonical-parquet", "",
        100, 100, 42, null, Map.of());
    AtomicReference<String> seen = new AtomicReference<>();
    ShufflePartitions.sized(spark, manifest.toMapForSummary().get("command").toString(), cfg, manifest,
        () -> seen.set(spark.conf().get(ShufflePartitions.KEY)));
    return seen.get();
  }

  /** Runs {@code body} with the session's count unset (as under spark-submit without --conf), checks Chorus unset it again, and restores 2. */
  static String unsetDuring(java.util.function.Supplier<String> body) {
    spark.conf().unset(ShufflePartitions.KEY);
    try {
      String seen = body.get();
      assertThat(spark.conf().contains(ShufflePartitions.KEY)).as("the stage's count is unset after the stage").isFalse();
      return seen;
    } finally {
      spark.conf().set(ShufflePartitions.KEY, "2");
    }
  }

  /** A file of {@code length} bytes that takes no disk space. */
  static void sparse(Path file, long length) throws IOException {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
  }
}
