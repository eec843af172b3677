package io.chorus.schema;

import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** Rejected input records, one row each, with a machine code and a readable reason. */
public final class Quarantine {
  public static final String TABLE = "quarantine";
  public static final int VERSION = 1;
  /** Characters of the original record kept in {@code raw}. */
  public static final int RAW_MAX_CHARS = 2000;

  public static final String SOURCE_FILE = "source_file";
  public static final String RECORD_TYPE = "record_type";
  public static final String REASON_CODE = "reason_code";
  public static final String REASON = "reason";
  public static final String RAW = "raw";

  public static final StructType SCHEMA =
      Fields.struct(
          required(SOURCE_FILE, StringType, "File the record came from", "URI"),
          required(RECORD_TYPE, StringType, "posts, accounts or labels (one record each), or file (an unreadable file skipped whole)", "enum"),
          required(REASON_CODE, StringType, "Machine-readable rejection code (see README: validation rules)", "enum"),
          required(REASON, StringType, "Readable explanation naming the column", "text"),
          required(RAW, StringType, "The original record as JSON, truncated to 2000 characters", "text"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per rejected input record.", SCHEMA, true);

  private Quarantine() {}
}
