package io.chorus.schema;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A versioned table schema. {@code schema} is the logical schema of one partition: output tables
 * are stored under {@code <root>/<name>/run_date=YYYY-MM-DD/} and read back with a {@code run_date}
 * column added by partition discovery.
 */
public record TableSchema(
    String name, Kind kind, int version, String description, StructType schema, boolean partitioned) {

  public enum Kind {
    INPUT,
    OUTPUT,
    TRUTH
  }

  /** Columns a reader cannot do without (the non-nullable ones). */
  public List<String> requiredColumns() {
    return Arrays.stream(schema.fields()).filter(f -> !f.nullable()).map(StructField::name).toList();
  }

  public String folder() {
    return switch (kind) {
      case INPUT -> "input";
      case OUTPUT -> "output";
      case TRUTH -> "truth";
    };
  }
}
