package io.chorus.cluster;

import io.chorus.ChildProcesses;
import io.chorus.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;

/**
 * The generated archive and its local[2] pipeline run that ProductionRunsTest and
 * StandaloneClusterIT both compare against, kept under target/ so the build computes it once.
 */
final class SharedReference {
  static final String DAY = "2024-03-08";
  static final String[] GENERATE = {"generate", "--accounts", "800", "--posts", "6000", "--days", "7", "--seed", "11"};
  static final Path DIR = ChildProcesses.PROJECT.resolve("jobs/target/test-fixtures/pipeline-800x6000-seed11-" + DAY);
  static final String COMPLETE = "_COMPLETE";

  private SharedReference() {}

  /**
   * Spark properties of the reference's local run, in whichever class makes it: local[2], four
   * shuffle partitions, interpreted evaluation (StandaloneClusterIT's cluster run keeps code
   * generation and is compared with it).
   */
  static Map<String, String> localRunProperties() {
    Map<String, String> m = new HashMap<>(Map.of("spark.master", "local[2]", "spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4",
        "spark.driver.host", "127.0.0.1"));
    m.putAll(SparkTestBase.INTERPRETED);
    return m;
  }

  static Path archive() {
    return DIR.resolve("archive");
  }

  static Path out() {
    return DIR.resolve("out");
  }

  /** The reference when an earlier test class published it after the last compile of the main code. */
  static Optional<Path> find() {
    Path marker = DIR.resolve(COMPLETE);
    try {
      if (!Files.exists(marker)) {
        return Optional.empty();
      }
      long made = Files.getLastModifiedTime(marker).toMillis();
      try (var classes = Files.walk(ChildProcesses.PROJECT.resolve("jobs/target/classes"))) {
        boolean stale = classes.anyMatch(p -> {
          try {
            return Files.getLastModifiedTime(p).toMillis() > made;
          } catch (java.io.IOException e) {
            return true;
          }
        });
        return stale ? Optional.empty() : Optional.of(DIR);
      }
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** Copies a finished archive and local run; the marker is written last. */
  static void publish(Path archive, Path out) throws Exception {
    FileSystem local = FileSystem.getLocal(new Configuration());
    local.delete(new org.apache.hadoop.fs.Path(DIR.toString()), true);
    FileUtil.copy(local, new org.apache.hadoop.fs.Path(archive.toString()), local, new org.apache.hadoop.fs.Path(archive().toString()), false, local.getConf());
    FileUtil.copy(local, new org.apache.hadoop.fs.Path(out.toString()), local, new org.apache.hadoop.fs.Path(out().toString()), false, local.getConf());
    Files.writeString(DIR.resolve(COMPLETE), "ok");
  }
}
