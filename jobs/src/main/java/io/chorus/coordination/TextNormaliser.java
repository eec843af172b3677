package io.chorus.coordination;

import static org.apache.spark.sql.functions.udf;

import com.ibm.icu.lang.UCharacter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The text that co-text compares: lower case, without a leading {@code "RT @name:"}, without URLs,
 * with each run of white space as one space, trimmed. In Spark's built-in functions this is
 * <pre>
 *   trim(regexp_replace(regexp_replace(regexp_replace(lower(text),
 *       '^rt @[a-z0-9_]+:\s*', ''), 'https?://\S+', ''), '\s+', ' '))
 * </pre>
 * and {@link #normalise} returns exactly what that expression returns (TextNormaliserTest checks it
 * on generated and hand-written texts), in one pass over the characters.
 *
 * <p>This is a Java UDF on purpose, one of the pipeline's few. The three regular expressions cost
 * about 6 microseconds per 100-character text, most of it replacing every single space with a space,
 * and co-text normalises every post twice: once for the distinct texts that get signatures, once for
 * the posts that look up their group. That was about 200 s of task time at 10M posts. One pass costs
 * about a quarter of that (figures in docs/performance.md).
 */
public final class TextNormaliser {
  private TextNormaliser() {}

  /** {@link #normalise} as a Spark function of a string column. */
  public static Column column(Column text) {
    return UDF.apply(text);
  }

  /**
   * Marked non-deterministic only so that the optimizer keeps it where it is written: a filter on the
   * normalised text (co-text's minimum length) would otherwise be pushed below the projection that
   * computes it, as a second call of the function on every post. The function is deterministic.
   */
  private static final UserDefinedFunction UDF = udf((UDF1<String, String>) TextNormaliser::normalise, DataTypes.StringType)
      .asNondeterministic();

  /** The normalised text; null for null. */
  public static String normalise(String text) {
    if (text == null) {
      return null;
    }
    char[] s = lower(text);
    int n = s.length;
    char[] out = new char[n];
    int len = 0;
    int i = retweetPrefixEnd(s);
    boolean pendingSpace = false;
    while (i < n) {
      char c = s[i];
      if (isSpace(c)) {
        pendingSpace = true;
        i++;
        continue;
      }
      if (c == 'h') {
        int url = urlEnd(s, i);
        if (url > i) {
          i = url;
          continue;
        }
      }
      // trim: a space run is written only between two kept characters.
      if (pendingSpace && len > 0) {
        out[len++] = ' ';
      }
      pendingSpace = false;
      out[len++] = c;
      i++;
    }
    return new String(out, 0, len);
  }

  /**
   * The text that the features' near-duplicate share compares: lower case, without URLs and
   * mentions, letters only. In Spark's built-in functions this is
   * <pre>
   *   regexp_replace(regexp_replace(lower(text), 'https?://\S+|@\w+', ''), '[^\p{L}]+', '')
   * </pre>
   * and {@link #letters} returns exactly what that expression returns (TextNormaliserTest checks it
   * on generated and hand-written texts), in one pass over the characters instead of two regular
   * expressions over every post (figures in docs/performance.md).
   */
  public static Column lettersColumn(Column text) {
    return LETTERS.apply(text);
  }

  private static final UserDefinedFunction LETTERS = udf((UDF1<String, String>) TextNormaliser::letters, DataTypes.StringType);

  /** The letters of the lowercased text outside URLs and mentions; null for null. */
  public static String letters(String text) {
    if (text == null) {
      return null;
    }
    char[] s = lower(text);
    int n = s.length;
    StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      char c = s[i];
      if (c == 'h') {
        int url = urlEnd(s, i);
        if (url > i) {
          i = url;
          continue;
        }
      } else if (c == '@' && i + 1 < n && isWordChar(s[i + 1])) {
        i += 2;
        while (i < n && isWordChar(s[i])) {
          i++;
        }
        continue;
      }
      int cp = Character.codePointAt(s, i);
      if (Character.isLetter(cp)) {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** Java regex {@code \w} without UNICODE_CHARACTER_CLASS: [a-zA-Z_0-9]. */
  static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /**
   * Spark's lower() on a UTF8_BINARY string with spark.sql.icu.caseMappings.enabled (the default):
   * A-Z only for ASCII text, ICU's full case mapping otherwise.
   */
  static char[] lower(String text) {
    char[] c = text.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (c[i] >= 0x80) {
        return UCharacter.toLowerCase(text).toCharArray();
      }
      if (c[i] >= 'A' && c[i] <= 'Z') {
        c[i] = (char) (c[i] + ('a' - 'A'));
      }
    }
    return c;
  }

  /** Java regex {@code \s} without UNICODE_CHARACTER_CLASS: [ \t\n\x0B\f\r]. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  static boolean startsWith(char[] s, int at, String prefix) {
    if (at + prefix.length() > s.length) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (s[at + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code ^rt @[a-z0-9_]+:\s*} ends in {@code s}, or 0 when it does not match. */
  static int retweetPrefixEnd(char[] s) {
    if (!startsWith(s, 0, "rt @")) {
      return 0;
    }
    int j = 4;
    while (j < s.length && isHandleChar(s[j])) {
      j++;
    }
    if (j == 4 || j >= s.length || s[j] != ':') {
      return 0;
    }
    j++;
    while (j < s.length && isSpace(s[j])) {
      j++;
    }
    return j;
  }

  static boolean isHandleChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  /**
   * Where {@code https?://\S+} matching at {@code i} ends, or {@code i} when it does not match
   * there (the {@code \S+} needs at least one character).
   */
  static int urlEnd(char[] s, int i) {
    if (!startsWith(s, i, "http")) {
      return i;
    }
    int j = i + 4;
    if (j < s.length && s[j] == 's' && startsWith(s, j + 1, "://")) {
      j += 4;
    } else if (startsWith(s, j, "://")) {
      j += 3;
    } else {
      return i;
    }
    if (j >= s.length || isSpace(s[j])) {
      return i;
    }
    while (j < s.length && !isSpace(s[j])) {
      j++;
    }
    return j;
  }
}
