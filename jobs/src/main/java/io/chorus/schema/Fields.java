package io.chorus.schema;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Builds documented {@link StructField}s: meaning and unit travel in the field metadata. */
public final class Fields {
  public static final String COMMENT = "comment";
  public static final String UNIT = "unit";

  private Fields() {}

  public static StructField required(String name, DataType type, String meaning, String unit) {
    return field(name, type, false, meaning, unit);
  }

  public static StructField optional(String name, DataType type, String meaning, String unit) {
    return field(name, type, true, meaning, unit);
  }

  static StructField field(String name, DataType type, boolean nullable, String meaning, String unit) {
    Metadata md = new MetadataBuilder().putString(COMMENT, meaning).putString(UNIT, unit).build();
    return new StructField(name, type, nullable, md);
  }

  public static StructType struct(StructField... fields) {
    return new StructType(fields);
  }

  public static String meaning(StructField f) {
    return f.metadata().contains(COMMENT) ? f.metadata().getString(COMMENT) : "";
  }

  public static String unit(StructField f) {
    return f.metadata().contains(UNIT) ? f.metadata().getString(UNIT) : "";
  }
}
