package io.chorus.coordination;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.SparkTestBase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TextNormaliserTest extends SparkTestBase {
  /** The definition, in Spark's built-in functions (the form co-text used before the one-pass version). */
  static Column reference(Column text) {
    Column t = lower(text);
    t = regexp_replace(t, "^rt @[a-z0-9_]+:\\s*", "");
    t = regexp_replace(t, "https?://\\S+", "");
    t = regexp_replace(t, "\\s+", " ");
    return trim(t);
  }

  /** (input, expected) pairs written out by hand. */
  static final String[][] CASES = {
      {"RT @Some_User1: Hello   World", "hello world"},
      {"rt @x:\t\n text", "text"},
      {"RT @: not a handle", "rt @: not a handle"},
      {"RT @name no colon", "rt @name no colon"},
      {" RT @name: leading space keeps it", "rt @name: leading space keeps it"},
      {"RT @Üser: non-ASCII handle", "rt @üser: non-ascii handle"},
      {"see https://t.co/abc and http://x.org/p?q=1#f too", "see and too"},
      {"https:// alone and http://", "https:// alone and http://"},
      {"httpsx://a http:/b HTTPS://UPPER.case/Path end", "httpsx://a http:/b end"},
      {"a\u000Bb\fc\rd", "a b c d"},
      {"no\u00A0break stays", "no\u00A0break stays"},
      {"\u039f\u0394\u039f\u03a3 \u03a3\u039f\u03a6\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2 \u03c3\u03bf\u03c6\u03bf\u03c2"},
      {"\u0130stanbul", "i\u0307stanbul"},
      {"emoji 😀 stays   😀", "emoji 😀 stays 😀"},
      {"   ", ""},
      {"", ""},
      {"http://only.url", ""},
      {"word https://u1https://u2 word", "word word"},
  };

  static StructType schema() {
    return new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
  }

  /**
   * Each hand-written case through the one-pass function and the reference: both give the expected
   * text, and null stays null.
   */
  static void assertCases(String[][] cases, UnaryOperator<Column> fast, UnaryOperator<Column> reference) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < cases.length; i++) {
      rows.add(RowFactory.create(i, cases[i][0]));
    }
    rows.add(RowFactory.create(cases.length, null));
    List<Row> out = spark.createDataFrame(rows, schema())
        .select(col("id"), fast.apply(col("text")).as("fast"), reference.apply(col("text")).as("ref")).orderBy("id").collectAsList();
    for (int i = 0; i < cases.length; i++) {
      assertThat(out.get(i).getString(1)).as("one pass on %s", cases[i][0]).isEqualTo(cases[i][1]);
      assertThat(out.get(i).getString(2)).as("reference on %s", cases[i][0]).isEqualTo(cases[i][1]);
    }
    assertThat(out.get(cases.length).isNullAt(1)).isTrue();
  }

  /**
   * 5,000 random texts assembled from {@code pieces} (the pieces the rules look at), each through the
   * one-pass function and the reference; none may differ. Returns the texts, for checks that the
   * generator reaches every rule.
   */
  static Dataset<Row> assertGeneratedTextsAgree(List<String> pieces, long seed, UnaryOperator<Column> fast, UnaryOperator<Column> reference) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(12);
      for (int j = 0; j < n; j++) {
        b.append(pieces.get(r.nextInt(pieces.size())));
      }
      rows.add(RowFactory.create(i, b.toString()));
    }
    Dataset<Row> both = spark.createDataFrame(rows, schema())
        .select(col("text"), fast.apply(col("text")).as("fast"), reference.apply(col("text")).as("ref"));
    List<Row> differ = both.filter(col("fast").eqNullSafe(col("ref")).unary_$bang()).limit(5).collectAsList();
    assertThat(differ).as("texts where the one pass and the built-in expression differ").isEmpty();
    return both;
  }

  @Test
  void handWrittenCasesGiveTheExpectedTextAndTheReferenceAgrees() {
    assertCases(CASES, TextNormaliser::column, TextNormaliserTest::reference);
  }

  /** Random texts assembled from the pieces the rules look at; every one must equal the reference. */
  @Test
  void generatedTextsEqualTheBuiltInExpression() {
    List<String> pieces = Arrays.asList("RT @", "rt @", "user_9", "Ab", ":", " ", "  ", "\t", "\n", "\r", "\f", "\u000B", "\u00A0", "http", "https",
        "://", "s", "t.co/x", "/", "?q=1", "http://", "https://t.co/", "WORD", "word", "ΣΟΦΟΣ", "İ", "ß", "😀", "ǅ", "#tag", "@", "x", "1");
    Dataset<Row> both = assertGeneratedTextsAgree(pieces, 20261203, TextNormaliser::column, TextNormaliserTest::reference);
    // The generator reaches every rule: a removed retweet prefix, a removed URL, collapsed white space.
    assertThat(both.filter(col("text").rlike("^(?i)rt @[a-z0-9_]+:")).count()).isPositive();
    assertThat(both.filter(col("text").rlike("(?i)https?://\\S")).count()).isGreaterThan(100);
    assertThat(both.filter(col("text").rlike("\\s\\s")).count()).isGreaterThan(100);
  }

  /** The features' near-duplicate text in Spark's built-in functions (FeatureCalc's form before the one-pass version). */
  static Column lettersReference(Column text) {
    return regexp_replace(regexp_replace(lower(text), "https?://\\S+|@\\w+", ""), "[^\\p{L}]+", "");
  }

  static final String[][] LETTER_CASES = {
      {"Vote now! https://t.co/abc @x", "votenow"},
      {"vote NOW 2 @User_9: ok", "votenowok"},
      {"a-@bob c", "ac"},
      {"mail@host.org", "mailorg"},
      {"@ alone @", "alone"},
      {"x2https://t.co/abc", "x"},
      {"https:// alone", "httpsalone"},
      {"ΣΟΦΟΣ İstanbul ß", "σοφοςistanbulß"},
      {"emoji 😀 ǅ text", "emojiǆtext"},
      {"", ""},
  };

  @Test
  void lettersOfHandWrittenCasesAndTheReferenceAgree() {
    assertCases(LETTER_CASES, TextNormaliser::lettersColumn, TextNormaliserTest::lettersReference);
  }

  @Test
  void lettersOfGeneratedTextsEqualTheBuiltInExpression() {
    List<String> pieces = Arrays.asList("@", "@user_9", "user", "Ab", ":", " ", "\t", "\n", "\u00A0", "http", "https", "://", "s", "t.co/x", "/",
        "http://", "https://t.co/", "WORD", "ΣΟΦΟΣ", "İ", "ß", "😀", "ǅ", "#tag", "-", "x", "1", "_", "\uD800", "é");
    Dataset<Row> both = assertGeneratedTextsAgree(pieces, 20261207, TextNormaliser::lettersColumn, TextNormaliserTest::lettersReference);
    assertThat(both.filter(col("text").rlike("@\\w")).count()).isGreaterThan(100);
    assertThat(both.filter(col("text").rlike("(?i)https?://\\S")).count()).isGreaterThan(100);
  }
}
