package io.chorus.ingest;

import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.chorus.ChorusException;
import io.chorus.io.Tables;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reading JSON archives (API dumps) with an explicit schema. Every leaf is read as text, so a
 * number where text was expected, or text where a number was expected, reaches {@link Validation}
 * and is quarantined with a reason instead of failing the read; ids keep every digit (64-bit ids
 * above 2^53 lose digits as JSON numbers in many tools). A record whose structure does not fit (an
 * object where a list belongs, broken syntax) keeps its text in the corrupt-record column.
 *
 * <p>Files whose first non-blank character is {@code [} are read as one JSON array per file (Spark's
 * multiLine mode: an unparseable file is one corrupt record); all others as JSON lines, one record
 * per line.
 */
final class JsonArchive {
  static final List<String> SUFFIXES = List.of(".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz");

  private JsonArchive() {}

  /** A struct of text fields. */
  static StructType text(String... names) {
    return Adapters.strings(names);
  }

  /** A struct from alternating names and types, e.g. {@code struct("id", STRING, "user", USER)}. */
  static StructType struct(Object... nameTypePairs) {
    StructType s = new StructType();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      s = s.add((String) nameTypePairs[i], (DataType) nameTypePairs[i + 1]);
    }
    return s;
  }

  static DataType listOf(DataType element) {
    return DataTypes.createArrayType(element);
  }

  static final DataType STRING = DataTypes.StringType;

  /** Reads the checked files with {@code schema}, adding the corrupt-record and source-file columns. */
  static Dataset<Row> read(SparkSession spark, ArchiveFiles.Files files, StructType schema, String format) {
    StructType withCorrupt = schema.add(Validation.CORRUPT, DataTypes.StringType);
    List<String> arrays = files.paths('[');
    List<String> lines = files.readable().stream().filter(c -> c.first() != '[').map(ArchiveFiles.Checked::path).toList();
    Dataset<Row> out = null;
    try {
      if (!lines.isEmpty()) {
        out = reader(spark, withCorrupt, false).json(lines.toArray(new String[0]));
      }
      if (!arrays.isEmpty()) {
        Dataset<Row> a = reader(spark, withCorrupt, true).json(arrays.toArray(new String[0]));
        out = out == null ? a : out.unionByName(a);
      }
    } catch (RuntimeException e) {
      throw new ChorusException("Cannot read JSON for --format " + format + ": " + Tables.firstLine(e) + ". Fix: check --input.", e);
    }
    if (out == null) {
      out = spark.createDataFrame(List.of(), withCorrupt);
    }
    return out.withColumn(Validation.SOURCE_FILE, input_file_name());
  }

  static org.apache.spark.sql.DataFrameReader reader(SparkSession spark, StructType schema, boolean multiLine) {
    return spark.read().schema(schema).option("multiLine", String.valueOf(multiLine)).option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", Validation.CORRUPT).option("encoding", "UTF-8");
  }

  /**
   * A timestamp given as epoch milliseconds (TwiBot-22, API v2 exports; 11 to 13 digits, 1973 to 2286)
   * becomes ISO text; any other text is left for the canonical cast, which quarantines what it
   * cannot read.
   */
  static Column epochMillisOrText(Column c) {
    return when(c.rlike("^[0-9]{11,13}$"), date_format(timestamp_millis(c.try_cast("long")), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")).otherwise(c);
  }

  /** Twitter v1.1 time text ("Wed Jun 05 21:43:20 +0000 2019") as ISO text; other text unchanged. */
  static Column twitterTimeOrText(Column c) {
    Column parsed = Adapters.twitterTime(c);
    return when(parsed.isNotNull(), date_format(parsed, "yyyy-MM-dd'T'HH:mm:ss'Z'")).otherwise(epochMillisOrText(c));
  }

  /** HTML (Mastodon content, notes) as plain text: tags dropped, the common entities decoded. */
  static Column htmlText(Column html) {
    Column t = regexp_replace(html, "<br\\s*/?>|</p>\\s*<p>", "\n");
    t = regexp_replace(t, "<[^>]*>", "");
    t = regexp_replace(t, "&quot;", "\"");
    t = regexp_replace(t, "&#39;|&apos;", "'");
    t = regexp_replace(t, "&lt;", "<");
    t = regexp_replace(t, "&gt;", ">");
    return regexp_replace(t, "&amp;", "&");
  }

  /** Each element's {@code field} in lower case (hashtags, mentions). */
  static Column lowerAll(Column array, String field) {
    return transform(array, x -> lower(x.getField(field)));
  }
}
