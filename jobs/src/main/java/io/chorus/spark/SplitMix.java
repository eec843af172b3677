package io.chorus.spark;

/**
 * SplitMix64's finalizer (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014): a fast bijective mix of 64 bits, for hashes and random streams that must be the
 * same on every executor and in every run.
 */
public final class SplitMix {
  /** The golden-ratio increment of SplitMix64. */
  public static final long GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix() {}

  /** The finalizer: every output bit depends on every input bit. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
