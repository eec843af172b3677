package io.chorus.cluster;

import io.chorus.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * s3proxy (org.gaul:s3proxy, copied to jobs/target/s3proxy by the build) as its own process on a
 * free 127.0.0.1 port, storing buckets as folders under a temporary directory.
 */
public final class S3Proxy implements AutoCloseable {
  public static final Path JAR = ChildProcesses.PROJECT.resolve("jobs/target/s3proxy/s3proxy.jar");
  public final int port;
  public final String identity;
  public final String credential;
  private final Process process;
  private final Path base;

  public S3Proxy(Path dir, String identity, String credential, String... buckets) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException("s3proxy jar missing at " + JAR + ": run 'mvn test' (the build copies it in generate-test-resources)");
    }
    this.identity = identity;
    this.credential = credential;
    this.port = ChildProcesses.freePort();
    this.base = Files.createDirectories(dir.resolve("buckets"));
    for (String b : buckets) {
      Files.createDirectories(base.resolve(b));
    }
    Path conf = dir.resolve("s3proxy.conf");
    Files.writeString(conf, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + identity,
        "s3proxy.credential=" + credential,
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + base) + "\n");
    Path log = dir.resolve("s3proxy.log");
    process = new ProcessBuilder(ChildProcesses.java(), "-Xmx512m", "-jar", JAR.toString(), "--properties", conf.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ChildProcesses.awaitPort(port, Duration.ofSeconds(60), process, log);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The S3A settings (without credentials) that reach this server. */
  public Map<String, String> s3aSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fs.s3a.endpoint", endpoint());
    m.put("fs.s3a.endpoint.region", "us-east-1");
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", "false");
    m.put("fs.s3a.attempts.maximum", "2");
    m.put("fs.s3a.retry.limit", "2");
    return m;
  }

  /** The same as Spark system properties (spark.hadoop.*). */
  public Map<String, String> sparkProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    s3aSettings().forEach((k, v) -> m.put("spark.hadoop." + k, v));
    return m;
  }

  /** Configures a Hadoop configuration (the test's own reads) with this server and its keys. */
  public void configure(Configuration conf) {
    s3aSettings().forEach(conf::set);
    conf.set("fs.s3a.access.key", identity);
    conf.set("fs.s3a.secret.key", credential);
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
  }

  /** The environment a child process takes its credentials from (the default S3A provider chain). */
  public Map<String, String> credentialEnv() {
    return Map.of("AWS_ACCESS_KEY_ID", identity, "AWS_SECRET_ACCESS_KEY", credential, "AWS_REGION", "us-east-1");
  }

  /** Every object key under a bucket (files on the server's disk). */
  public List<String> keys(String bucket) throws Exception {
    Path b = base.resolve(bucket);
    try (var s = Files.walk(b)) {
      return s.filter(Files::isRegularFile).map(p -> b.relativize(p).toString()).sorted().toList();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
