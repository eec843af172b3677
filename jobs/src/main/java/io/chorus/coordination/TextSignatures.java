package io.chorus.coordination;

import static io.chorus.schema.Coordination.PLATFORM;
import static io.chorus.spark.SplitMix.GAMMA;
import static io.chorus.spark.SplitMix.mix64;

import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A normalised text's shingle hashes and MinHash band hashes, computed in one pass over its
 * characters.
 *
 * <p>Shingles are word bigrams, where a word is a maximal run of letters and numbers (Unicode
 * categories L and N); a one-word text has the single shingle (word, ""), a text without a word has
 * none. Each shingle is a 64-bit hash of its two words. The signature is {@link #BANDS} bands of
 * {@link #ROWS} MinHash rows: row j is the least of the shingle hashes under the j-th seeded mix, and
 * a band hash mixes its rows with the band number.
 *
 * <p>This is plain Java over a partition rather than Spark expressions: the same steps as array
 * functions (split, arrays_zip, array_distinct, a {@code transform} to hash each bigram) run without
 * code generation, and the signature as 24 {@code min} aggregates needed every (text, shingle) row
 * exploded and shuffled. At 10M posts those two steps took 246 s and 139 s of task time.
 */
final class TextSignatures {
  static final int BANDS = 8;
  static final int ROWS = 3;
  static final String HASHES = "_hs";
  static final String BAND_HASHES = "_bands";

  private static final long[] SEEDS = new long[BANDS * ROWS];

  static {
    for (int j = 0; j < SEEDS.length; j++) {
      SEEDS[j] = mix64(GAMMA * (j + 1));
    }
  }

  private TextSignatures() {}

  /** (platform, _text_id, _hs, _bands): the output of {@link #signatures()}. */
  static StructType schema() {
    return new StructType().add(PLATFORM, DataTypes.StringType).add(CoordinationDetector.TEXT_ID, DataTypes.LongType)
        .add(HASHES, DataTypes.createArrayType(DataTypes.LongType, false)).add(BAND_HASHES, DataTypes.createArrayType(DataTypes.LongType, false));
  }

  /** From rows (platform, _text_id, _norm), one row per text as {@link #schema()}. */
  static MapPartitionsFunction<Row, Row> signatures() {
    return rows -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        long[] hs = shingleHashes(r.getString(2));
        return RowFactory.create(r.getString(0), r.getLong(1), hs, bandHashes(hs));
      }
    };
  }

  static boolean isWordChar(int cp) {
    if (Character.isLetter(cp)) {
      return true;
    }
    int t = Character.getType(cp);
    return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
  }

  /** 64-bit hash of a word's characters (FNV-1a, then mixed). */
  static long wordHash(CharSequence s, int from, int to) {
    long h = 0xCBF29CE484222325L;
    for (int i = from; i < to; i++) {
      h = (h ^ s.charAt(i)) * 0x100000001B3L;
    }
    return mix64(h ^ (to - from));
  }

  /** The hash of the shingle (first, second) from its words' hashes; order matters. */
  static long bigram(long first, long second) {
    return mix64(first * GAMMA + second);
  }

  private static final long EMPTY_WORD = wordHash("", 0, 0);

  /** The text's distinct shingle hashes, sorted ascending; empty when it has no word. */
  static long[] shingleHashes(String text) {
    long[] out = new long[8];
    int n = 0;
    long prev = 0;
    int words = 0;
    int i = 0;
    int len = text.length();
    while (i < len) {
      int cp = text.codePointAt(i);
      if (!isWordChar(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      while (i < len && isWordChar(cp = text.codePointAt(i))) {
        i += Character.charCount(cp);
      }
      long w = wordHash(text, start, i);
      if (words > 0) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = bigram(prev, w);
      }
      prev = w;
      words++;
    }
    if (words == 1) {
      out[n++] = bigram(prev, EMPTY_WORD);
    }
    Arrays.sort(out, 0, n);
    int d = 0;
    for (int k = 0; k < n; k++) {
      if (d == 0 || out[k] != out[d - 1]) {
        out[d++] = out[k];
      }
    }
    return Arrays.copyOf(out, d);
  }

  /** {@link #BANDS} band hashes of the shingle hashes; none when there are none. */
  static long[] bandHashes(long[] hs) {
    if (hs.length == 0) {
      return new long[0];
    }
    long[] min = new long[SEEDS.length];
    Arrays.fill(min, Long.MAX_VALUE);
    for (long h : hs) {
      for (int j = 0; j < SEEDS.length; j++) {
        long v = mix64(h ^ SEEDS[j]);
        if (v < min[j]) {
          min[j] = v;
        }
      }
    }
    long[] bands = new long[BANDS];
    for (int b = 0; b < BANDS; b++) {
      long x = mix64(GAMMA * (b + 1));
      for (int j = 0; j < ROWS; j++) {
        x = mix64(x * GAMMA + min[b * ROWS + j]);
      }
      bands[b] = x;
    }
    return bands;
  }
}
