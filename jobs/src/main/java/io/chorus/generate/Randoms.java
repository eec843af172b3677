package io.chorus.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.shiftRightUnsigned;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;

/**
 * Counter-based randomness as Spark columns: every draw is a hash of (seed, salt, keys), so the
 * archive does not depend on partitioning, task order or retries, and needs no UDF.
 */
final class Randoms {
  private static final double TWO_POW_53 = 9007199254740992.0;

  private final long seed;

  Randoms(long seed) {
    this.seed = seed;
  }

  /** Uniform in [0, 1). */
  Column u(String salt, Column... keys) {
    Column[] all = Stream.concat(Stream.of(lit(seed), lit(salt)), Arrays.stream(keys)).toArray(Column[]::new);
    return shiftRightUnsigned(xxhash64(all), 11).cast("double").divide(TWO_POW_53);
  }

  /** Standard normal (Box-Muller). */
  Column normal(String salt, Column... keys) {
    Column u1 = u(salt + ".1", keys).plus(1e-12);
    Column u2 = u(salt + ".2", keys);
    return sqrt(log(u1).multiply(-2.0)).multiply(cos(u2.multiply(2 * Math.PI)));
  }

  /** exp(mu + sigma * z): heavy-tailed positive values. */
  Column logNormal(double median, double sigma, String salt, Column... keys) {
    return org.apache.spark.sql.functions.exp(normal(salt, keys).multiply(sigma).plus(Math.log(median)));
  }

  /** Integer in [0, n). */
  Column index(long n, String salt, Column... keys) {
    return floor(u(salt, keys).multiply(n)).cast("long");
  }

  /** Uniform pick from literal values. */
  static Column pick(String[] values, Column u) {
    Column arr = array(Arrays.stream(values).map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
    return element_at(arr, least(floor(u.multiply(values.length)).cast("int"), lit(values.length - 1)).plus(1));
  }

  /** Categorical draw: value i with probability probs[i] (probs sum to 1). */
  static Column categorical(String[] values, double[] probs, Column u) {
    Column out = lit(values[values.length - 1]);
    double cum = 0;
    Column chain = null;
    for (int i = 0; i < values.length - 1; i++) {
      cum += probs[i];
      chain = chain == null ? when(u.lt(cum), values[i]) : chain.when(u.lt(cum), values[i]);
    }
    return chain == null ? out : chain.otherwise(out);
  }

  /** Index in [0, weights.length) drawn with the given (unnormalised) weights. */
  static Column weightedIndex(double[] weights, Column u) {
    double total = Arrays.stream(weights).sum();
    double cum = 0;
    Column chain = null;
    for (int i = 0; i < weights.length - 1; i++) {
      cum += weights[i] / total;
      chain = chain == null ? when(u.lt(cum), i) : chain.when(u.lt(cum), i);
    }
    return chain == null ? lit(0) : chain.otherwise(weights.length - 1);
  }
}
