package io.chorus.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.ChildProcesses;
import io.chorus.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs as a scheduled production job makes them, each in its own JVM:
 * <ul>
 *   <li>the whole pipeline against a real S3-compatible server (s3proxy on 127.0.0.1): input read
 *       from a bucket, every table and the manifest written to a bucket through the S3A magic
 *       committer, each table equal row for row to the same run on local paths. Credentials reach
 *       the child JVMs only through the standard environment variables, and the planted secret must
 *       appear in no output;
 *   <li>a driver killed (SIGKILL) while writing: no partial partition is visible, no manifest is
 *       written, and the rerun of the same --run-date equals a clean run;
 *   <li>runs of different dates at the same time into the same output (the rerun's pipeline and another
 *       date's ingest): neither touches the other.
 * </ul>
 */
class ProductionRunsTest extends SparkTestBase {
  static final String DAY = SharedReference.DAY;
  static final String DAY2 = "2024-03-09";
  static final String BUCKET = "chorus-test";
  /** A secret that must never be printed, logged or written. */
  static final String SECRET = "S3cr3t-Planted-7f3a9c1e";
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

  @TempDir static Path tmp;
  static S3Proxy s3;
  static ChildProcesses.Result generated;
  static ChildProcesses.Result s3Run;
  static ChildProcesses.Result localRun;

  static Map<String, String> sparkProps() {
    Map<String, String> m = SharedReference.localRunProperties();
    m.putAll(s3.sparkProperties());
    return m;
  }

  @BeforeAll
  static void runBoth() throws Exception {
    s3 = new S3Proxy(tmp.resolve("s3"), "chorus-test-key", SECRET, BUCKET);
    s3.configure(spark.sparkContext().hadoopConfiguration());
    String in = "s3a://" + BUCKET + "/archive";
    generated = ChildProcesses.chorus(s3.credentialEnv(), sparkProps(), RUN_TIMEOUT,
        concat(SharedReference.GENERATE, "--output", in, "--quiet"));
    assertThat(generated.exit()).as(generated.output()).isZero();
    // The same archive on local disk for the local run.
    FileSystem s3fs = FileSystem.get(java.net.URI.create(in), spark.sparkContext().hadoopConfiguration());
    FileUtil.copy(s3fs, new org.apache.hadoop.fs.Path(in), FileSystem.getLocal(spark.sparkContext().hadoopConfiguration()),
        new org.apache.hadoop.fs.Path(tmp.resolve("archive").toString()), false, spark.sparkContext().hadoopConfiguration());

    // Both runs at once: the bucket run waits on the S3 server much of the time. (Side-by-side timings of the
    // two, one after the other, are in the stop notes; this test checks equality, not speed.)
    long t0 = System.nanoTime();
    ChildProcesses.Running s3Running = ChildProcesses.start(s3.credentialEnv(), sparkProps(),
        new String[] {"pipeline", "--input", in, "--output", "s3a://" + BUCKET + "/out", "--run-date", DAY, "--bootstrap", "20", "--cv-folds", "0"});
    ChildProcesses.Running localRunning = ChildProcesses.start(Map.of(), sparkProps(), new String[] {"pipeline", "--input",
        tmp.resolve("archive").toString(), "--output", tmp.resolve("out").toString(), "--run-date", DAY, "--bootstrap", "20", "--cv-folds", "0"});
    s3Run = s3Running.await(RUN_TIMEOUT);
    localRun = localRunning.await(RUN_TIMEOUT);
    if (localRun.exit() == 0) {
      SharedReference.publish(tmp.resolve("archive"), tmp.resolve("out"));
    }
    System.out.printf("pipeline on the bucket and on local disk, concurrently: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  @AfterAll
  static void stopServer() {
    if (s3 != null) {
      s3.close();
    }
  }

  static List<String> localTables() throws Exception {
    try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")).sorted().toList();
    }
  }

  @Test
  void bothRunsSucceed() {
    assertThat(s3Run.exit()).as(s3Run.output()).isZero();
    assertThat(localRun.exit()).as(localRun.output()).isZero();
  }

  @Test
  void everyTableOnTheBucketEqualsTheLocalRunRowForRow() throws Exception {
    List<String> tables = localTables();
    assertThat(tables).containsAll(TableDiff.PIPELINE_TABLES);
    String partition = "/run_date=" + DAY;
    TableDiff.assertSame(spark, tables, tmp.resolve("out").toString(), partition, "s3a://" + BUCKET + "/out", partition);
  }

  @Test
  void outputsAreCommittedByTheMagicCommitterWithNothingPendingAndTheManifestLast() throws Exception {
    List<String> keys = s3.keys(BUCKET);
    assertThat(keys).noneMatch(k -> k.contains("__magic") || k.contains("_temporary"));
    String success = Files.readString(tmp.resolve("s3/buckets").resolve(BUCKET).resolve("out/posts/run_date=" + DAY + "/_SUCCESS"));
    assertThat(success).contains("\"committer\"").contains("magic");
    assertThat(keys).anyMatch(k -> k.startsWith("out/_runs/") && k.endsWith(".json"));
  }

  static String[] localPipeline(String runDate) {
    return new String[] {"pipeline", "--input", tmp.resolve("archive").toString(), "--output", tmp.resolve("out").toString(), "--run-date", runDate,
        "--bootstrap", "20", "--cv-folds", "0", "--quiet"};
  }

  static List<Path> manifests() throws Exception {
    try (Stream<Path> s = Files.list(tmp.resolve("out/_runs"))) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Every run_date partition of every table is complete (has _SUCCESS); no staging folder is left. */
  static void assertOnlyCompletePartitions(boolean stagingAllowed) throws Exception {
    for (String table : TableDiff.PIPELINE_TABLES) {
      try (Stream<Path> s = Files.list(tmp.resolve("out").resolve(table))) {
        for (Path p : s.toList()) {
          String name = p.getFileName().toString();
          if (name.startsWith("run_date=")) {
            assertThat(p.resolve("_SUCCESS")).as("%s/%s is complete", table, name).exists();
          } else {
            assertThat(stagingAllowed && name.startsWith("_staging-")).as("unexpected %s/%s", table, name).isTrue();
          }
        }
      }
    }
  }

  @Test
  void aDriverKilledWhileWritingLeavesNoPartialPartitionAndTheRerunAndAnotherDateRunningBesideItMatchACleanRun() throws Exception {
    assertThat(localRun.exit()).as(localRun.output()).isZero();
    Path out = tmp.resolve("out");
    Path reference = tmp.resolve("reference");
    FileSystem local = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    FileUtil.copy(local, new org.apache.hadoop.fs.Path(out.toString()), local, new org.apache.hadoop.fs.Path(reference.toString()), false,
        spark.sparkContext().hadoopConfiguration());
    List<Path> manifestsBefore = manifests();

    ChildProcesses.Running doomed = ChildProcesses.start(Map.of(), sparkProps(), localPipeline(DAY));
    Path staging = null;
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (staging == null) {
      assertThat(doomed.process().isAlive()).as("the run ended before it started writing posts").isTrue();
      assertThat(System.nanoTime()).as("no write seen").isLessThan(deadline);
      try (Stream<Path> s = Files.list(out.resolve("posts"))) {
        staging = s.filter(p -> p.getFileName().toString().startsWith("_staging-" + DAY) && Files.exists(p.resolve("_temporary"))).findFirst().orElse(null);
      }
      Thread.sleep(5);
    }
    doomed.process().destroyForcibly().waitFor();  // SIGKILL: the driver dies in the middle of the posts write
    doomed.await(Duration.ofSeconds(10));

    // Readers see the previous complete partitions, never a partial one, and no manifest of the dead run.
    assertOnlyCompletePartitions(true);
    assertThat(manifests()).isEqualTo(manifestsBefore);
    TableDiff.assertSame(spark, TableDiff.PIPELINE_TABLES, reference.toString(), "/run_date=" + DAY, out.toString(), "/run_date=" + DAY);

    // The rerun of the same date and, at the same time into the same output, an ingest of another date (it writes
    // posts, accounts and quarantine while the rerun writes the same tables for its date; a whole second pipeline
    // would double this test's time on 2 cores for no more overlap).
    ChildProcesses.Running rerun = ChildProcesses.start(Map.of(), sparkProps(), localPipeline(DAY));
    ChildProcesses.Running other = ChildProcesses.start(Map.of(), sparkProps(), new String[] {"ingest", "--input",
        tmp.resolve("archive").toString(), "--output", tmp.resolve("out").toString(), "--run-date", DAY2, "--quiet"});
    ChildProcesses.Result rerunResult = rerun.await(RUN_TIMEOUT);
    ChildProcesses.Result otherResult = other.await(RUN_TIMEOUT);
    assertThat(rerunResult.exit()).as(rerunResult.output()).isZero();
    assertThat(otherResult.exit()).as(otherResult.output()).isZero();

    assertOnlyCompletePartitions(false);
    TableDiff.assertSame(spark, TableDiff.PIPELINE_TABLES, reference.toString(), "/run_date=" + DAY, out.toString(), "/run_date=" + DAY);
    TableDiff.assertSame(spark, List.of("posts", "accounts", "quarantine"), reference.toString(), "/run_date=" + DAY, out.toString(), "/run_date=" + DAY2);
    List<Path> after = manifests();
    assertThat(after).hasSize(manifestsBefore.size() + 2);
    assertThat(after.stream().map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(DAY2 + "T"));
    assertThat(out.resolve("_model/run_date=" + DAY + "/metadata.json")).exists();
  }

  @Test
  void thePlantedSecretAppearsInNoOutputLogOrManifest() throws Exception {
    assertThat(generated.output() + s3Run.output() + localRun.output()).doesNotContain(SECRET);
    for (String key : s3.keys(BUCKET)) {
      Path f = tmp.resolve("s3/buckets").resolve(BUCKET).resolve(key);
      if (key.endsWith(".json") || key.endsWith("_SUCCESS")) {
        assertThat(Files.readString(f)).as(key).doesNotContain(SECRET);
      }
    }
    // An error on the bucket (a missing input), with the stack trace, and --help: still no secret.
    ChildProcesses.Result failed = ChildProcesses.chorus(s3.credentialEnv(), sparkProps(), RUN_TIMEOUT,
        "ingest", "--input", "s3a://" + BUCKET + "/nothing-here", "--output", "s3a://" + BUCKET + "/x", "--verbose");
    assertThat(failed.exit()).isEqualTo(2);
    assertThat(failed.output()).contains("nothing-here").doesNotContain(SECRET);
    ChildProcesses.Result help = ChildProcesses.chorus(s3.credentialEnv(), sparkProps(), RUN_TIMEOUT, "pipeline", "--help");
    assertThat(help.output()).doesNotContain(SECRET);
  }
}
