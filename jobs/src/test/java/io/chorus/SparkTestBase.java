package io.chorus;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One local[2] session per test class: UI off, two shuffle partitions, UTC, loopback driver, and
 * Spark's interpreted evaluation ({@link #INTERPRETED}).
 */
public abstract class SparkTestBase {
  protected static SparkSession spark;

  /**
   * Evaluates expressions and operators without generated code. On test fixtures of a few thousand
   * rows, compiling the generated Java with Janino was the largest single cost: a 6,000-post pipeline
   * took 119.6 s with code generation and 86.8 s without (profile and runs in docs/performance.md).
   * The code paths that production runs take are still tested: {@code scripts/test.sh} runs
   * {@code run-local.sh} with Spark's defaults, and StandaloneClusterIT runs the pipeline with
   * them on a cluster and compares every table row for row with the interpreted local reference.
   */
  public static final Map<String, String> INTERPRETED = Map.of("spark.sql.codegen.wholeStage", "false", "spark.sql.codegen.factoryMode", "NO_CODEGEN");

  @BeforeAll
  static void startSpark() {
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local[2]")
            .appName("chorus-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
    INTERPRETED.forEach(b::config);
    spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }
}
