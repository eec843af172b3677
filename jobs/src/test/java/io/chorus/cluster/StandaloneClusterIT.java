package io.chorus.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.ChildProcesses;
import io.chorus.SparkTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1 (one master, two one-core workers) started from the
 * Maven jars, the pipeline submitted to it through scripts/submit.sh with the shaded jar, one worker
 * killed (SIGKILL, with its executor) while a stage runs, and the output compared row for row with
 * the same pipeline in local mode. Runs after package (failsafe).
 */
class StandaloneClusterIT extends SparkTestBase {
  static final String DAY = SharedReference.DAY;
  static final Duration TIMEOUT = Duration.ofMinutes(8);

  @TempDir static Path tmp;
  static final List<Process> daemons = new ArrayList<>();
  static int masterPort;
  static int masterUi;
  static String clusterLog;
  static int clusterExit;
  static double clusterSeconds;
  static double localSeconds;
  static ChildProcesses.Result localRun;
  static Path localOut;
  static final List<Process> workers = new ArrayList<>();
  static String killedDuring;

  /** The runtime jars, as a SPARK_HOME/jars folder for the workers (they start executors from it). */
  static Path sparkHome() throws Exception {
    Path jars = Files.createDirectories(tmp.resolve("spark-home/jars"));
    for (String f : List.of("classpath.txt", "classpath-runtime.txt")) {
      for (String jar : Files.readString(ChildProcesses.PROJECT.resolve("jobs/target").resolve(f)).trim().split(":")) {
        Path link = jars.resolve(Path.of(jar).getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, Path.of(jar));
        }
      }
    }
    return jars.getParent();
  }

  static Process daemon(String name, Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ChildProcesses.java(), "-Xmx256m"));
    cmd.addAll(ChildProcesses.jvmFlags());
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + "/*");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    daemons.add(p);
    return p;
  }

  static String masterJson() {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json/")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception notYet) {
      return "";
    }
  }

  static int aliveWorkers() {
    try {
      String json = masterJson();
      var m = java.util.regex.Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)").matcher(json);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (Exception notYet) {
      return 0;
    }
  }

  @BeforeAll
  static void startClusterAndRun() throws Exception {
    Path home = sparkHome();
    masterPort = ChildProcesses.freePort();
    masterUi = ChildProcesses.freePort();
    Process master = daemon("master", home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
        "--webui-port", String.valueOf(masterUi));
    ChildProcesses.awaitPort(masterPort, Duration.ofSeconds(60), master, tmp.resolve("master.log"));
    for (int i = 1; i <= 2; i++) {
      workers.add(daemon("worker" + i, home, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "1500m",
          "--webui-port", String.valueOf(ChildProcesses.freePort()), "--work-dir", tmp.resolve("work" + i).toString(),
          "spark://127.0.0.1:" + masterPort));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (aliveWorkers() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertThat(aliveWorkers()).as("workers registered with the master").isEqualTo(2);

    // The archive and its local[2] run: ProductionRunsTest's, when it ran earlier in this build.
    Path archive = SharedReference.find().map(d -> SharedReference.archive()).orElse(tmp.resolve("archive"));
    if (SharedReference.find().isEmpty()) {
      ChildProcesses.Result gen = ChildProcesses.chorus(Map.of(), Map.of("spark.master", "local[2]", "spark.ui.enabled", "false"), TIMEOUT,
          ProductionRunsTest.concat(SharedReference.GENERATE, "--output", archive.toString(), "--quiet"));
      assertThat(gen.exit()).as(gen.output()).isZero();
    }

    List<String> cmd = List.of("bash", ChildProcesses.PROJECT.resolve("scripts/submit.sh").toString(),
        "--master", "spark://127.0.0.1:" + masterPort, "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.sql.shuffle.partitions=4", "--executor-memory", "1g", "--total-executor-cores", "2",
        "--", "pipeline", "--input", archive.toString(), "--output", tmp.resolve("cluster-out").toString(), "--run-date", DAY, "--bootstrap", "20", "--cv-folds", "0");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("submit.log").toFile());
    pb.environment().put("CHORUS_SKIP_BUILD", "1");
    pb.environment().put("CHORUS_DRIVER_MEMORY", "2g");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_HOME");
    long t0 = System.nanoTime();
    Process submit = pb.start();
    killedDuring = killOneWorkerWhileAStageRuns(submit, tmp.resolve("cluster-out"));
    if (!submit.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      submit.destroyForcibly();
    }
    clusterSeconds = (System.nanoTime() - t0) / 1e9;
    clusterExit = submit.isAlive() ? -1 : submit.exitValue();
    clusterLog = Files.readString(tmp.resolve("submit.log"));

    if (SharedReference.find().isPresent()) {
      localOut = SharedReference.out();
      localRun = new ChildProcesses.Result(0, "reused " + localOut);
    } else {
      localOut = tmp.resolve("local-out");
      t0 = System.nanoTime();
      localRun = ChildProcesses.chorus(Map.of(), SharedReference.localRunProperties(),
          TIMEOUT, "pipeline", "--input", archive.toString(), "--output", localOut.toString(), "--run-date", DAY, "--bootstrap", "20", "--cv-folds", "0");
      localSeconds = (System.nanoTime() - t0) / 1e9;
    }
    System.out.printf("pipeline 800 accounts / 6000 posts: standalone cluster (2 workers x 1 core, one killed) %.1f s, local[2] %s%n",
        clusterSeconds, localSeconds > 0 ? String.format(java.util.Locale.ROOT, "%.1f s", localSeconds) : "reused from ProductionRunsTest");
  }

  /**
   * Waits until the run writes its account features (a stage running on the executors after ingest),
   * then kills worker 2 and its executor JVM with SIGKILL, as a lost machine. Returns what was running.
   */
  static String killOneWorkerWhileAStageRuns(Process submit, Path out) throws Exception {
    Path table = out.resolve("account_features");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (submit.isAlive() && System.nanoTime() < deadline) {
      if (Files.isDirectory(table)) {
        try (var s = Files.list(table)) {
          if (s.anyMatch(p -> p.getFileName().toString().startsWith("_staging-"))) {
            break;
          }
        }
      }
      Thread.sleep(20);
    }
    assertThat(submit.isAlive()).as("the run ended before the stage to interrupt").isTrue();
    Process worker = workers.get(1);
    List<ProcessHandle> executors = worker.descendants().toList();
    worker.destroyForcibly();
    executors.forEach(ProcessHandle::destroyForcibly);
    worker.waitFor();
    return "account_features write, worker 2 and " + executors.size() + " executor process(es) killed";
  }

  @AfterAll
  static void stopCluster() {
    for (Process p : daemons) {
      p.destroy();
    }
    for (Process p : daemons) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void pipelineSubmittedToTheClusterSurvivesALostWorkerAndEqualsLocalModeRowForRow() {
    System.out.println("killed during: " + killedDuring);
    assertThat(killedDuring).doesNotContain(" 0 executor");
    assertThat(clusterExit).as(clusterLog).isZero();
    assertThat(aliveWorkers()).as("the master saw the worker die").isEqualTo(1);
    assertThat(masterJson()).as("the master ran the application").contains("\"completedapps\"").contains("chorus pipeline");
    assertThat(localRun.exit()).as(localRun.output()).isZero();
    TableDiff.assertSame(spark, TableDiff.PIPELINE_TABLES, localOut.toString(), tmp.resolve("cluster-out").toString());
  }
}
