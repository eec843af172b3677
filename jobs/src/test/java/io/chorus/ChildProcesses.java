package io.chorus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real separate processes for tests: the Chorus CLI in its own JVM (from the test classpath, which
 * holds Spark as the scripts' classpath does), and servers bound to 127.0.0.1 only.
 */
public final class ChildProcesses {
  public static final Path PROJECT = Path.of(System.getProperty("chorus.project.dir", "..")).toAbsolutePath().normalize();

  private ChildProcesses() {}

  /** Exit code and combined output of a finished process. */
  public record Result(int exit, String output) {}

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Spark's module flags, as the scripts pass them. */
  public static List<String> jvmFlags() {
    try (var in = ChildProcesses.class.getResourceAsStream("/chorus-jvm-flags.txt")) {
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")).filter(s -> !s.isBlank()).toList();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("chorus-jvm-flags.txt missing from the classpath: run mvn process-resources", e);
    }
  }

  /** A free TCP port on 127.0.0.1. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void awaitPort(int port, Duration timeout, Process owner, Path log) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!owner.isAlive()) {
        throw new IllegalStateException("process exited with " + owner.exitValue() + " before listening on " + port + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("nothing listened on 127.0.0.1:" + port + " within " + timeout + ": " + Files.readString(log));
  }

  /** A Chorus JVM started in the background; its combined output goes to {@code log}. */
  public record Running(Process process, Path log, String command) {
    /** Waits at most {@code timeout} and returns the exit code and output; kills the process on timeout. */
    public Result await(Duration timeout) throws Exception {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(command + " did not finish within " + timeout + ": " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
      } finally {
        Files.deleteIfExists(log);
      }
    }
  }

  /**
   * Starts {@code io.chorus.Chorus args} in a new JVM with {@code sysProps} (Spark reads spark.* system
   * properties like --conf) and extra environment.
   */
  public static Running start(Map<String, String> env, Map<String, String> sysProps, String... args) throws IOException {
    return start(env, sysProps, "2g", "io.chorus.Chorus", args);
  }

  /** Starts {@code mainClass args} in a new JVM with heap {@code heap} and the test classpath. */
  public static Running start(Map<String, String> env, Map<String, String> sysProps, String heap, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xmx" + heap);
    cmd.addAll(jvmFlags());
    cmd.add("-Dlog4j2.configurationFile=" + PROJECT.resolve("scripts/conf/log4j2.properties"));
    sysProps.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    Path log = Files.createTempFile("chorus-child", ".log");
    pb.redirectOutput(log.toFile());
    return new Running(pb.start(), log, mainClass + " " + String.join(" ", args));
  }

  /** Runs {@code io.chorus.Chorus args} in a new JVM (see {@link #start}) and waits at most {@code timeout}. */
  public static Result chorus(Map<String, String> env, Map<String, String> sysProps, Duration timeout, String... args) throws Exception {
    return start(env, sysProps, args).await(timeout);
  }
}
