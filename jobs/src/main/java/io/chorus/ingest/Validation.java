package io.chorus.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import io.chorus.schema.Quarantine;
import io.chorus.schema.TableSchema;
import io.chorus.spark.Stages;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;

/**
 * Validation rules for canonical records. Each rule is a Column that yields a reason code or null;
 * the first failing rule wins. Rows that fail go to quarantine with the code and a readable reason.
 */
public final class Validation {
  /** Twitter launched in March 2006: earlier timestamps are corrupt. */
  public static final Instant EARLIEST = Instant.parse("2006-03-21T00:00:00Z");
  /** Timestamps more than a day past the run are corrupt (clock skew tolerance). */
  public static final long FUTURE_TOLERANCE_SECONDS = 86_400;
  /** Longest accepted post text, in characters (long-form platforms included). */
  public static final int MAX_TEXT_CHARS = 10_000;

  public static final String MISSING_FIELD = "missing_field";
  public static final String BAD_TIMESTAMP = "bad_timestamp";
  public static final String TIMESTAMP_OUT_OF_RANGE = "timestamp_out_of_range";
  public static final String BAD_TYPE = "bad_type";
  public static final String BAD_KIND = "bad_kind";
  public static final String BAD_TEXT = "bad_text";
  public static final String TEXT_TOO_LONG = "text_too_long";

  static final String REASON_CODE = "_reason_code";
  static final String REASON = "_reason";
  /** The index of the first failing rule, between the two projections of {@link #withReasons}. */
  static final String RULE = "_chorus_rule";
  static final String REPLACEMENT_CHAR = "\uFFFD";
  static final String SOURCE_FILE = "_source_file";
  static final String RAW = "_raw";
  /** Set by format adapters: the original record, kept for the quarantine's raw column. */
  static final String RECORD = "_record";
  static final String CORRUPT = "_corrupt_record";
  public static final String MALFORMED_RECORD = "malformed_record";

  /** C0 controls other than tab, LF and CR, and DEL. */
  static final String CONTROL_CHARS = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]";
  /**
   * Texts where U+FFFD (the mark of undecodable bytes) is more than this share of the characters are
   * a decoding failure. An isolated U+FFFD is kept: archives such as the IRA release carry emoji lost
   * in an earlier export as U+FFFD in otherwise valid text (2.7% of its rows).
   */
  public static final double MAX_REPLACEMENT_SHARE = 0.2;

  private Validation() {}

  /** One rule: when {@code failed}, the record gets {@code code} and {@code reason}. */
  record Rule(Column failed, String code, Column reason) {}

  /**
   * Whether a required column of the raw frame is missing: null, or for text also empty after
   * trimming. A typed column (a canonical archive's timestamp, say) cannot be blank, so it is only
   * checked for null: casting every row's timestamp to text just to trim it cost most of the post
   * checks' time.
   */
  static Column blank(Dataset<Row> raw, String column) {
    Column c = col(column);
    return raw.schema().apply(column).dataType() instanceof org.apache.spark.sql.types.StringType ? c.isNull().or(trim(c).equalTo("")) : c.isNull();
  }

  /**
   * Fails before any Spark job when a required column is absent from the archive altogether (a
   * per-row null is quarantined instead).
   */
  public static void requireColumns(Dataset<Row> raw, TableSchema table, String where) {
    List<String> have = Arrays.asList(raw.columns());
    for (String required : table.requiredColumns()) {
      if (!have.contains(required)) {
        throw new io.chorus.ChorusException("Table '" + table.name() + "' at " + where + " has no column '" + required
            + "', which is required. It has: " + String.join(", ", have.stream().filter(c -> !c.startsWith("_")).toList()) + ". Fix: rename the source column to '" + required
            + "' or convert the archive with 'chorus ingest --format <layout>'. Schema: data-schemas/" + table.folder() + "/" + table.name() + "/");
      }
    }
  }

  /** Rules for required columns present in the raw frame: null or blank fails. */
  static List<Rule> requiredRules(TableSchema table, Dataset<Row> raw) {
    List<String> rawColumns = Arrays.asList(raw.columns());
    List<Rule> rules = new ArrayList<>();
    if (rawColumns.contains(CORRUPT)) {
      rules.add(new Rule(col(CORRUPT).isNotNull(), MALFORMED_RECORD, lit("the record could not be parsed (wrong column count or broken quoting)")));
    }
    for (StructField f : table.schema().fields()) {
      if (!f.nullable() && rawColumns.contains(f.name())) {
        rules.add(new Rule(blank(raw, f.name()), MISSING_FIELD, lit("required column '" + f.name() + "' is null or empty")));
      }
    }
    return rules;
  }

  /** A value that was present but did not survive the cast to its canonical type. */
  static Rule castRule(String column, Column typed, String code, String expected) {
    return new Rule(col(column).isNotNull().and(typed.isNull()), code,
        concat(lit("column '" + column + "' value '"), substring(col(column).cast("string"), 1, 80), lit("' is not " + expected)));
  }

  /**
   * The index of the first failing rule, null when none fails. This is the only place where rule
   * conditions are evaluated: code, reason and raw record are then looked up by the index, so a row's
   * regular expressions and casts run once, not once per output column.
   */
  static Column firstFailingRule(List<Rule> rules) {
    Column out = lit(null).cast("int");
    for (int i = rules.size() - 1; i >= 0; i--) {
      out = when(rules.get(i).failed(), lit(i)).otherwise(out);
    }
    return out;
  }

  /** The code (wantCode) or reason of the rule whose index is in {@code rule}; null when it is null. */
  static Column ofRule(List<Rule> rules, Column rule, boolean wantCode) {
    Column out = lit(null).cast("string");
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rule r = rules.get(i);
      out = when(rule.equalTo(i), wantCode ? lit(r.code()) : r.reason()).otherwise(out);
    }
    return out;
  }

  /**
   * Validates raw post rows (which must carry _source_file and _raw). Returns the canonical columns
   * plus _reason_code/_reason (null when valid), _source_file and _raw.
   */
  public static Dataset<Row> checkPosts(Dataset<Row> raw, Instant runInstant) {
    List<String> have = Arrays.asList(raw.columns());
    List<Column> typed = new ArrayList<>();
    for (StructField f : Posts.SCHEMA.fields()) {
      typed.add(have.contains(f.name()) ? col(f.name()).try_cast(f.dataType()).as(f.name()) : lit(null).cast(f.dataType()).as(f.name()));
    }
    List<Rule> rules = new ArrayList<>(requiredRules(Posts.TABLE_SCHEMA, raw));
    Column ts = col(Posts.CREATED_AT).try_cast("timestamp");
    if (have.contains(Posts.CREATED_AT)) {
      rules.add(castRule(Posts.CREATED_AT, ts, BAD_TIMESTAMP, "a timestamp"));
      Timestamp latest = Timestamp.from(runInstant.plusSeconds(FUTURE_TOLERANCE_SECONDS));
      rules.add(new Rule(ts.lt(lit(Timestamp.from(EARLIEST))).or(ts.gt(lit(latest))), TIMESTAMP_OUT_OF_RANGE,
          concat(lit("column 'created_at' value "), ts.cast("string"), lit(" is before 2006-03-21 or more than a day after the run"))));
    }
    for (String idCol : List.of(Posts.POST_ID, Posts.ACCOUNT_ID, Posts.PARENT_POST_ID, Posts.PARENT_ACCOUNT_ID)) {
      if (have.contains(idCol)) {
        rules.add(new Rule(col(idCol).isNotNull().and(col(idCol).cast("string").rlike("[\\s\\x00-\\x1F]")), BAD_TYPE,
            lit("column '" + idCol + "' is not an id: it holds whitespace or control characters")));
      }
    }
    for (String c : List.of(Posts.AUTHOR_FOLLOWERS_COUNT, Posts.AUTHOR_FRIENDS_COUNT, Posts.AUTHOR_STATUSES_COUNT)) {
      if (have.contains(c)) {
        rules.add(castRule(c, col(c).try_cast("long"), BAD_TYPE, "a whole number"));
      }
    }
    if (have.contains(Posts.KIND)) {
      rules.add(new Rule(col(Posts.KIND).isNotNull().and(lower(col(Posts.KIND)).isin(Posts.KINDS.toArray()).unary_$bang()), BAD_KIND,
          concat(lit("column 'kind' value '"), substring(col(Posts.KIND).cast("string"), 1, 40), lit("' is not one of " + Posts.KINDS))));
    }
    if (have.contains(Posts.TEXT)) {
      Column text = col(Posts.TEXT).cast("string");
      // Plain byte searches (no regular expression, no decoding): most texts hold no U+FFFD at all.
      Column replacements = length(text).minus(length(org.apache.spark.sql.functions.replace(text, lit(REPLACEMENT_CHAR), lit(""))));
      rules.add(new Rule(text.rlike(CONTROL_CHARS), BAD_TEXT, lit("column 'text' holds control characters")));
      rules.add(new Rule(text.contains(REPLACEMENT_CHAR).and(replacements.gt(length(text).multiply(MAX_REPLACEMENT_SHARE))), BAD_TEXT,
          lit("column 'text' is mostly undecodable bytes (U+FFFD): the file is not valid UTF-8")));
      rules.add(new Rule(length(text).gt(MAX_TEXT_CHARS), TEXT_TOO_LONG,
          concat(lit("column 'text' has "), length(text).cast("string"), lit(" characters, over the limit of " + MAX_TEXT_CHARS))));
    }
    return withReasons(raw, typed, rules).withColumn(Posts.KIND, lower(col(Posts.KIND)));
  }

  /** Validates raw account snapshot rows; same contract as {@link #checkPosts}. */
  public static Dataset<Row> checkAccounts(Dataset<Row> raw) {
    List<String> have = Arrays.asList(raw.columns());
    List<Column> typed = new ArrayList<>();
    for (StructField f : Accounts.SCHEMA.fields()) {
      typed.add(have.contains(f.name()) ? col(f.name()).try_cast(f.dataType()).as(f.name()) : lit(null).cast(f.dataType()).as(f.name()));
    }
    List<Rule> rules = new ArrayList<>(requiredRules(Accounts.TABLE_SCHEMA, raw));
    if (have.contains(Accounts.OBSERVED_AT)) {
      rules.add(castRule(Accounts.OBSERVED_AT, col(Accounts.OBSERVED_AT).try_cast("timestamp"), BAD_TIMESTAMP, "a timestamp"));
    }
    for (String c : List.of(Accounts.FOLLOWERS_COUNT, Accounts.FRIENDS_COUNT, Accounts.STATUSES_COUNT)) {
      if (have.contains(c)) {
        rules.add(castRule(c, col(c).try_cast("long"), BAD_TYPE, "a whole number"));
      }
    }
    return withReasons(raw, typed, rules);
  }

  /**
   * Validates raw label rows (account_id, platform, label, source, _source_file): a missing id is
   * missing_field, a label other than bot or human (any case) is bad_label. Same contract as {@link
   * #checkPosts}.
   */
  public static Dataset<Row> checkLabels(Dataset<Row> raw) {
    Dataset<Row> in = Arrays.asList(raw.columns()).contains(SOURCE_FILE) ? raw : raw.withColumn(SOURCE_FILE, lit("unknown"));
    List<String> have = Arrays.asList(in.columns());
    Column label = lower(trim(col(Labels.LABEL)));
    List<Column> typed = new ArrayList<>();
    for (StructField f : Labels.SCHEMA.fields()) {
      typed.add(f.name().equals(Labels.LABEL) ? label.as(f.name()) : col(f.name()).try_cast(f.dataType()).as(f.name()));
    }
    List<Rule> rules = new ArrayList<>(requiredRules(Labels.TABLE_SCHEMA, in));
    rules.add(new Rule(label.isin(Labels.BOT, Labels.HUMAN).unary_$bang(), Adapters.BAD_LABEL,
        concat(lit("column 'label' value '"), substring(col(Labels.LABEL), 1, 40), lit("' is not bot or human"))));
    return withReasons(in, typed, rules);
  }

  public static final String CONFLICTING_LABEL = "conflicting_label";

  /**
   * Checked labels where one source gives the same account both labels: every such row is rejected
   * with conflicting_label (which one is right cannot be known). Repeats of one label stay valid and
   * are dropped as duplicates by the writer.
   */
  public static Dataset<Row> conflictingLabels(Dataset<Row> checked) {
    Column valid = col(REASON_CODE).isNull();
    Column distinctLabels = org.apache.spark.sql.functions.size(org.apache.spark.sql.functions.collect_set(when(valid, col(Labels.LABEL)))
        .over(Window.partitionBy(Labels.PLATFORM, Labels.ACCOUNT_ID, Labels.SOURCE)));
    Column conflict = valid.and(distinctLabels.gt(1));
    return checked
        .withColumn(RAW, when(conflict, to_json(struct(col(Labels.ACCOUNT_ID), col(Labels.LABEL), col(Labels.SOURCE)))).otherwise(col(RAW)))
        .withColumn(REASON, when(conflict, lit("the source gives this account both labels, bot and human")).otherwise(col(REASON)))
        .withColumn(REASON_CODE, when(conflict, lit(CONFLICTING_LABEL)).otherwise(col(REASON_CODE)));
  }

  /**
   * The typed columns plus the first failing rule's code and reason, the source file, and the raw
   * record as JSON (computed only for failing rows: valid rows never pay for the serialisation).
   */
  static Dataset<Row> withReasons(Dataset<Row> raw, List<Column> typed, List<Rule> rules) {
    // A projection of its own: the optimizer does not inline a non-trivial column that is read three
    // times below, so the rules are evaluated once per row.
    Dataset<Row> ruled = raw.withColumn(RULE, firstFailingRule(rules));
    Column rule = col(RULE);
    List<Column> out = new ArrayList<>(typed);
    out.add(ofRule(rules, rule, true).as(REASON_CODE));
    out.add(ofRule(rules, rule, false).as(REASON));
    out.add(col(SOURCE_FILE));
    out.add(when(rule.isNotNull(), rawJson(raw)).as(RAW));
    return ruled.select(out.toArray(new Column[0]));
  }

  /** The raw record as JSON, truncated to the documented length, for the quarantine table. */
  public static Column rawJson(Dataset<Row> raw) {
    List<String> have = Arrays.asList(raw.columns());
    Column json;
    if (have.contains(RECORD)) {
      json = raw.schema().apply(RECORD).dataType() instanceof org.apache.spark.sql.types.StringType ? col(RECORD) : to_json(col(RECORD));
    } else {
      json = to_json(struct(have.stream().filter(c -> !c.equals(SOURCE_FILE) && !c.equals(CORRUPT)).map(c -> col(c)).toArray(Column[]::new)));
    }
    if (have.contains(CORRUPT)) {
      json = coalesce(col(CORRUPT), json);
    }
    return substring(json, 1, Quarantine.RAW_MAX_CHARS);
  }

  /** Quarantine rows from checked rows that carry a reason. */
  public static Dataset<Row> quarantined(Dataset<Row> checked, String recordType) {
    return checked
        .filter(col(REASON_CODE).isNotNull())
        .select(
            coalesce(col(SOURCE_FILE), lit("unknown")).as(Quarantine.SOURCE_FILE),
            lit(recordType).as(Quarantine.RECORD_TYPE),
            col(REASON_CODE).as(Quarantine.REASON_CODE),
            col(REASON).as(Quarantine.REASON),
            col(RAW).as(Quarantine.RAW));
  }

  /**
   * Marks all but one row per (platform, post_id) as a duplicate, deterministically: the earliest,
   * then by author, then by a hash of every canonical column, then by source file, so the kept row
   * does not depend on partitioning or file order unless the copies are identical.
   */
  public static Dataset<Row> markDuplicates(Dataset<Row> valid) {
    Column content = xxhash64(Arrays.stream(Posts.SCHEMA.fieldNames()).filter(n -> Arrays.asList(valid.columns()).contains(n))
        .map(n -> col(n)).toArray(Column[]::new));
    return valid.withColumn(
        "_dup_rank",
        row_number()
            .over(Window.partitionBy(Posts.PLATFORM, Posts.POST_ID)
                .orderBy(col(Posts.CREATED_AT), col(Posts.ACCOUNT_ID), content, col(SOURCE_FILE))));
  }

  /** The number of valid rows that share a (platform, post_id) key, in {@link #duplicatedKeys}. */
  public static final String COPIES = "_copies";

  /** The (platform, post_id) keys that occur more than once among the valid rows, with their number of {@link #COPIES}. */
  public static Dataset<Row> duplicatedKeys(Dataset<Row> valid) {
    return valid.groupBy(Posts.PLATFORM, Posts.POST_ID).agg(count(lit(1)).as(COPIES)).filter(col(COPIES).gt(1));
  }

  /**
   * One row per (platform, post_id) of the valid rows: the copy {@link #markDuplicates} ranks first.
   *
   * <p>With {@code fewDuplicated} (the {@link #duplicatedKeys}, few enough to broadcast) only the
   * copies of those keys are ranked. Every other row is the only one of its key and stays where it is,
   * neither shuffled nor sorted (see {@link #spreadByKey}). Without it every row is ranked, which
   * shuffles and sorts them all by key.
   */
  public static Dataset<Row> dedupe(Dataset<Row> valid, Optional<Dataset<Row>> fewDuplicated) {
    if (fewDuplicated.isEmpty()) {
      return firstCopies(valid);
    }
    Dataset<Row> keys = broadcast(fewDuplicated.get().select(col(Posts.PLATFORM).as("_dk_p"), col(Posts.POST_ID).as("_dk_id")));
    Column onKey = col(Posts.PLATFORM).equalTo(col("_dk_p")).and(col(Posts.POST_ID).equalTo(col("_dk_id")));
    Dataset<Row> unique = valid.join(keys, onKey, "left_anti");
    return unique.unionByName(firstCopies(valid.join(keys, onKey, "left_semi")));
  }

  /**
   * The posts spread by key over the shuffle partitions, unsorted, so the posts table's files do not
   * inherit the archive's: one large unsplittable file would otherwise leave every later stage
   * scanning the posts in one task. (Posts ranked by {@link #dedupe} without few duplicates are spread
   * so already.)
   */
  public static Dataset<Row> spreadByKey(Dataset<Row> posts) {
    return posts.repartition(col(Posts.PLATFORM), col(Posts.POST_ID));
  }

  private static Dataset<Row> firstCopies(Dataset<Row> valid) {
    return markDuplicates(valid).filter(col("_dup_rank").equalTo(1)).drop("_dup_rank");
  }

  /**
   * The (platform, post_id) of the posts that are a repost, reply or quote whose parent is null or
   * not among the valid rows' keys. Worked out on narrow rows (ids, kind, parent id).
   *
   * @param posts the kept posts, one row per (platform, post_id) (see {@link #dedupe})
   * @param valid the rows they were kept from: the same keys, possibly repeated
   */
  public static Dataset<Row> parentMissing(Dataset<Row> posts, Dataset<Row> valid) {
    Dataset<Row> keys = posts.filter(col(Posts.KIND).notEqual(Posts.KIND_ORIGINAL))
        .select(col(Posts.PLATFORM), col(Posts.POST_ID), col(Posts.PARENT_POST_ID).as("_parent"));
    // Deduplication keeps one row of every key, so the kept ids are the valid rows' ids, and they need
    // no ranking: an anti join only asks whether a parent's key occurs.
    Dataset<Row> ids = valid.select(col(Posts.PLATFORM).as("_ip"), col(Posts.POST_ID).as("_iid"));
    // The posts are unique by key, so the anti join's rows are too: no distinct needed.
    return keys.join(ids, col(Posts.PLATFORM).equalTo(col("_ip")).and(col("_parent").equalTo(col("_iid"))), "left_anti")
        .select(Posts.PLATFORM, Posts.POST_ID);
  }

  /**
   * Sets parent_missing: true for the posts in {@code missing} (see {@link #parentMissing}), false
   * otherwise. Such posts are kept, not quarantined. With {@code broadcastMissing} the posts meet the
   * missing keys where they are; otherwise in a shuffled hash join (no sort) on the posts' key.
   */
  public static Dataset<Row> withParentMissing(Dataset<Row> posts, Dataset<Row> missing, boolean broadcastMissing) {
    Dataset<Row> flags = missing.select(col(Posts.PLATFORM).as("_mp"), col(Posts.POST_ID).as("_mid"), lit(true).as("_missing"));
    flags = broadcastMissing ? broadcast(flags) : Stages.shuffleHash(flags);
    return posts.drop(Posts.PARENT_MISSING)
        .join(flags, col(Posts.PLATFORM).equalTo(col("_mp")).and(col(Posts.POST_ID).equalTo(col("_mid"))), "left")
        .withColumn(Posts.PARENT_MISSING, coalesce(col("_missing"), lit(false)))
        .drop("_mp", "_mid", "_missing");
  }
}
