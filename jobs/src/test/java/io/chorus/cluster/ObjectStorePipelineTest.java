package io.chorus.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.ChildProcesses;
import io.chorus.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 * The whole pipeline against a real S3-compatible server (s3proxy on 127.0.0.1): input read from a
 * bucket, every table and the manifest written to a bucket through the S3A magic committer, each
 * table equal row for row to the same run on local paths. Credentials reach the child JVMs only
 * through the standard environment variables, and the planted secret must appear in no output.
 */
class ObjectStorePipelineTest extends SparkTestBase {
  static final String DAY = "2024-03-08";
  static final String BUCKET = "chorus-test";
  /** A secret that must never be printed, logged or written. */
  static final String SECRET = "S3cr3t-Planted-7f3a9c1e";
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

  @TempDir static Path tmp;
  static S3Proxy s3;
  static ChildProcesses.Result generated;
  static ChildProcesses.Result s3Run;
  static ChildProcesses.Result localRun;
  static double s3Seconds;
  static double localSeconds;

  static Map<String, String> sparkProps() {
    Map<String, String> m = new HashMap<>(Map.of("spark.master", "local[2]", "spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4",
        "spark.driver.host", "127.0.0.1"));
    m.putAll(s3.sparkProperties());
    return m;
  }

  @BeforeAll
  static void runBoth() throws Exception {
    s3 = new S3Proxy(tmp.resolve("s3"), "chorus-test-key", SECRET, BUCKET);
    s3.configure(spark.sparkContext().hadoopConfiguration());
    String in = "s3a://" + BUCKET + "/archive";
    generated = ChildProcesses.chorus(s3.credentialEnv(), sparkProps(), RUN_TIMEOUT,
        "generate", "--accounts", "1500", "--posts", "15000", "--days", "7", "--seed", "11", "--output", in, "--quiet");
    assertThat(generated.exit()).as(generated.output()).isZero();
    // The same archive on local disk for the local run.
    FileSystem s3fs = FileSystem.get(java.net.URI.create(in), spark.sparkContext().hadoopConfiguration());
    FileUtil.copy(s3fs, new org.apache.hadoop.fs.Path(in), FileSystem.getLocal(spark.sparkContext().hadoopConfiguration()),
        new org.apache.hadoop.fs.Path(tmp.resolve("archive").toString()), false, spark.sparkContext().hadoopConfiguration());

    long t0 = System.nanoTime();
    s3Run = ChildProcesses.chorus(s3.credentialEnv(), sparkProps(), RUN_TIMEOUT,
        "pipeline", "--input", in, "--output", "s3a://" + BUCKET + "/out", "--run-date", DAY, "--bootstrap", "20");
    s3Seconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    localRun = ChildProcesses.chorus(Map.of(), sparkProps(), RUN_TIMEOUT,
        "pipeline", "--input", tmp.resolve("archive").toString(), "--output", tmp.resolve("out").toString(), "--run-date", DAY, "--bootstrap", "20");
    localSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("pipeline 1500 accounts / 15000 posts: s3a (s3proxy) %.1f s, local %.1f s%n", s3Seconds, localSeconds);
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
    TableDiff.assertSame(spark, tables, tmp.resolve("out").toString(), "s3a://" + BUCKET + "/out");
  }

  @Test
  void outputsAreCommittedByTheMagicCommitterWithNothingPendingAndTheManifestLast() throws Exception {
    List<String> keys = s3.keys(BUCKET);
    assertThat(keys).noneMatch(k -> k.contains("__magic") || k.contains("_temporary"));
    String success = Files.readString(tmp.resolve("s3/buckets").resolve(BUCKET).resolve("out/posts/run_date=" + DAY + "/_SUCCESS"));
    assertThat(success).contains("\"committer\"").contains("magic");
    assertThat(keys).anyMatch(k -> k.startsWith("out/_runs/") && k.endsWith(".json"));
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
