package io.chorus.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextSignaturesTest {
  /** Word bigrams as strings, the way a reader would count them: runs of letters and numbers. */
  static Set<String> bigrams(String text) {
    List<String> w = Arrays.stream(text.split("[^\\p{L}\\p{N}]+")).filter(s -> !s.isEmpty()).toList();
    Set<String> out = new HashSet<>();
    if (w.size() == 1) {
      out.add(w.get(0) + "|");
    }
    for (int i = 0; i + 1 < w.size(); i++) {
      out.add(w.get(i) + "|" + w.get(i + 1));
    }
    return out;
  }

  static double stringJaccard(String a, String b) {
    Set<String> x = bigrams(a);
    Set<String> y = bigrams(b);
    Set<String> inter = new HashSet<>(x);
    inter.retainAll(y);
    Set<String> union = new HashSet<>(x);
    union.addAll(y);
    return union.isEmpty() ? 0 : inter.size() / (double) union.size();
  }

  @Test
  void shingleHashesAreTheDistinctWordBigramsSortedAndIgnoreSeparators() {
    // (text, distinct bigrams): repeats count once, order matters, any run of non-word characters separates.
    Object[][] cases = {
        {"the cat sat on the mat", 5},
        {"a b a b a b", 2},
        {"a b", 1},
        {"b a", 1},
        {"solo", 1},
        {"!!! ??? ...", 0},
        {"", 0},
        {"привет мир 2024", 2},
        {"٣ ½ x", 2}, // Arabic-Indic digit (Nd) and one half (No) are numbers, so words
        {"\uD83D\uDE00 hi \uD83D\uDE00 there", 1}, // the emoji (a surrogate pair) only separates
    };
    for (Object[] c : cases) {
      long[] hs = TextSignatures.shingleHashes((String) c[0]);
      assertThat(hs).as((String) c[0]).hasSize((Integer) c[1]).isSorted();
      assertThat(hs.length).as((String) c[0]).isEqualTo(bigrams((String) c[0]).size());
    }
    assertThat(TextSignatures.shingleHashes("the cat, sat...on   the-mat")).isEqualTo(TextSignatures.shingleHashes("the cat sat on the mat"));
    assertThat(TextSignatures.shingleHashes("a b")).isNotEqualTo(TextSignatures.shingleHashes("b a"));
    assertThat(TextSignatures.shingleHashes("solo")).isNotEqualTo(TextSignatures.shingleHashes("solo solo"));
  }

  @Test
  void hashJaccardEqualsTheBigramJaccardOfTheTexts() {
    String base = "the minister said the new trade agreement will bring jobs to the northern region next year";
    String[] others = {
        base.replace("northern", "southern"),
        base.replace("minister said", "spokesman claimed"),
        base + " and beyond",
        "the minister said nothing at all",
        "completely unrelated words here",
    };
    for (String o : others) {
      double expected = stringJaccard(base, o);
      assertThat(CoordinationDetector.jaccard(TextSignatures.shingleHashes(base), TextSignatures.shingleHashes(o)))
          .as(o).isCloseTo(expected, within(1e-12));
    }
  }

  @Test
  void textsWithoutWordsHaveNoBandsAndEqualSetsHaveEqualBands() {
    assertThat(TextSignatures.bandHashes(new long[0])).isEmpty();
    long[] hs = TextSignatures.shingleHashes("coordinated messages look alike when copied");
    assertThat(TextSignatures.bandHashes(hs)).hasSize(TextSignatures.BANDS)
        .isEqualTo(TextSignatures.bandHashes(TextSignatures.shingleHashes("coordinated   messages look alike, when copied!")));
    // The band number is mixed in: one set's bands differ from each other.
    assertThat(Arrays.stream(TextSignatures.bandHashes(hs)).distinct().count()).isEqualTo(TextSignatures.BANDS);
  }

  /**
   * Sets at Jaccard similarity s share at least one band with probability 1-(1-s^ROWS)^BANDS when
   * the seeded MinHash rows act as independent permutations. Checked on random sets at s = 0.5 and
   * s = 0.7 within four binomial standard errors.
   */
  @Test
  void candidateRateFollowsTheBandingCurve() {
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 4000;
    for (int[] cd : new int[][] {{20, 10}, {28, 6}}) {
      int common = cd[0];
      int own = cd[1];
      double s = common / (double) (common + 2 * own);
      int shared = 0;
      for (int t = 0; t < n; t++) {
        long[] a = new long[common + own];
        long[] b = new long[common + own];
        for (int i = 0; i < common; i++) {
          a[i] = b[i] = rnd.nextLong();
        }
        for (int i = common; i < common + own; i++) {
          a[i] = rnd.nextLong();
          b[i] = rnd.nextLong();
        }
        Arrays.sort(a);
        Arrays.sort(b);
        assertThat(CoordinationDetector.jaccard(a, b)).isCloseTo(s, within(1e-12));
        long[] ba = TextSignatures.bandHashes(a);
        long[] bb = TextSignatures.bandHashes(b);
        boolean any = false;
        for (int k = 0; k < TextSignatures.BANDS; k++) {
          any |= ba[k] == bb[k];
        }
        shared += any ? 1 : 0;
      }
      double p = 1 - Math.pow(1 - Math.pow(s, TextSignatures.ROWS), TextSignatures.BANDS);
      double se = Math.sqrt(p * (1 - p) / n);
      assertThat(shared / (double) n).as("candidate rate at s=%s", s).isCloseTo(p, within(4 * se));
    }
  }
}
