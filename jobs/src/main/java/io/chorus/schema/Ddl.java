package io.chorus.schema;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * CREATE TABLE statements for the published tables, generated from the schema constants so they
 * cannot drift: Spark SQL (session or Hive metastore catalogs), Trino's Hive connector, and Athena
 * with partition projection on run_date. data-schemas/ddl/ holds the rendered files
 * (SchemaFilesTest keeps them in sync).
 */
public final class Ddl {
  /** Spark SQL variable holding the run's --output root, set with {@code SET chorus.output=...}. */
  public static final String SPARK_OUTPUT_VARIABLE = "chorus.output";
  /** Placeholder for the output root in the Trino and Athena files, which have no variables. */
  public static final String BUCKET_PLACEHOLDER = "s3://YOUR-BUCKET/chorus-out";
  public static final String DATABASE = "chorus";

  private Ddl() {}

  /** Comments go inside single-quoted literals; a typographic apostrophe needs no escaping in any engine. */
  static String comment(String text) {
    return text.replace('\'', '\u2019').replace("\n", " ");
  }

  /** Column names are quoted in every engine: some (day, rank) are keywords in one engine or another. */
  static String columns(TableSchema t, String quote, java.util.function.Function<DataType, String> type, String partitionLine) {
    StringBuilder b = new StringBuilder();
    for (StructField f : t.schema().fields()) {
      b.append(String.format(Locale.ROOT, "  %s %s COMMENT '%s%s',%n", quote + f.name() + quote, type.apply(f.dataType()),
          f.nullable() ? "" : "[required] ", comment(Fields.meaning(f) + " (" + Fields.unit(f) + ")")));
    }
    if (partitionLine == null) {
      b.setLength(b.length() - System.lineSeparator().length() - 1);
      b.append(System.lineSeparator());
    } else {
      b.append(partitionLine).append(System.lineSeparator());
    }
    return b.toString();
  }

  public static String spark(List<TableSchema> tables) {
    StringBuilder b = new StringBuilder("""
        -- Chorus published tables for Spark SQL (session catalog or a Hive metastore / Glue catalog).
        -- Generated from io.chorus.schema by Ddl; do not edit by hand (SchemaFilesTest checks it).
        -- Usage: SET chorus.output=s3a://bucket/prefix;  (the run's --output), then run this file, e.g.
        --   spark-sql -d chorus.output=s3a://bucket/prefix -f data-schemas/ddl/spark.sql
        -- RECOVER PARTITIONS picks up run_date partitions written after the table was created; rerun it after each run.
        CREATE DATABASE IF NOT EXISTS chorus;
        """);
    for (TableSchema t : tables) {
      b.append(String.format(Locale.ROOT, "%n-- %s (v%d)%nCREATE TABLE IF NOT EXISTS %s.%s (%n", t.name(), t.version(), DATABASE, t.name()));
      b.append(columns(t, "`", DataType::sql, "  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'"));
      b.append(String.format(Locale.ROOT, ")%nUSING parquet%nPARTITIONED BY (run_date)%nLOCATION '${%s}/%s'%nCOMMENT '%s';%n",
          SPARK_OUTPUT_VARIABLE, t.name(), comment(t.description())));
      b.append(String.format(Locale.ROOT, "ALTER TABLE %s.%s RECOVER PARTITIONS;%n", DATABASE, t.name()));
    }
    return b.toString();
  }

  static String trinoType(DataType t) {
    if (t instanceof ArrayType a) {
      return "array(" + trinoType(a.elementType()) + ")";
    }
    if (t instanceof MapType m) {
      return "map(" + trinoType(m.keyType()) + ", " + trinoType(m.valueType()) + ")";
    }
    if (t instanceof StructType s) {
      return "row(" + java.util.Arrays.stream(s.fields()).map(f -> "\"" + f.name() + "\" " + trinoType(f.dataType())).collect(Collectors.joining(", ")) + ")";
    }
    if (t.equals(DataTypes.StringType)) {
      return "varchar";
    }
    if (t.equals(DataTypes.LongType)) {
      return "bigint";
    }
    if (t.equals(DataTypes.IntegerType)) {
      return "integer";
    }
    if (t.equals(DataTypes.FloatType)) {
      return "real";
    }
    if (t.equals(DataTypes.TimestampType)) {
      return "timestamp(3)";
    }
    return t.typeName();
  }

  public static String trino(List<TableSchema> tables) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, """
        -- Chorus published tables for Trino's Hive connector (catalog "hive"); Parquet files stay where the run wrote them.
        -- Generated from io.chorus.schema by Ddl; do not edit by hand (SchemaFilesTest checks it).
        -- Replace %s with the run's --output (s3:// scheme). sync_partition_metadata registers the
        -- run_date partitions present; call it again after each run.
        CREATE SCHEMA IF NOT EXISTS hive.%s;
        """, BUCKET_PLACEHOLDER, DATABASE));
    for (TableSchema t : tables) {
      b.append(String.format(Locale.ROOT, "%n-- %s (v%d)%nCREATE TABLE IF NOT EXISTS hive.%s.%s (%n", t.name(), t.version(), DATABASE, t.name()));
      b.append(columns(t, "\"", Ddl::trinoType, "  \"run_date\" date COMMENT 'Run date of the run that wrote the row (partition)'"));
      b.append(String.format(Locale.ROOT, ")%nCOMMENT '%s'%nWITH (%n  external_location = '%s/%s',%n  format = 'PARQUET',%n  partitioned_by = ARRAY['run_date']%n);%n",
          comment(t.description()), BUCKET_PLACEHOLDER, t.name()));
      b.append(String.format(Locale.ROOT, "CALL hive.system.sync_partition_metadata('%s', '%s', 'ADD');%n", DATABASE, t.name()));
    }
    return b.toString();
  }

  static String hiveType(DataType t) {
    if (t instanceof ArrayType a) {
      return "array<" + hiveType(a.elementType()) + ">";
    }
    if (t instanceof MapType m) {
      return "map<" + hiveType(m.keyType()) + "," + hiveType(m.valueType()) + ">";
    }
    if (t instanceof StructType s) {
      return "struct<" + java.util.Arrays.stream(s.fields()).map(f -> f.name() + ":" + hiveType(f.dataType())).collect(Collectors.joining(",")) + ">";
    }
    if (t.equals(DataTypes.LongType)) {
      return "bigint";
    }
    if (t.equals(DataTypes.IntegerType)) {
      return "int";
    }
    return t.typeName();
  }

  public static String athena(List<TableSchema> tables) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, """
        -- Chorus published tables for Amazon Athena, with partition projection on run_date (no MSCK REPAIR needed).
        -- Generated from io.chorus.schema by Ddl; do not edit by hand (SchemaFilesTest checks it).
        -- Replace %s with the run's --output (s3:// scheme), and the projection range start if runs are older.
        CREATE DATABASE IF NOT EXISTS %s;
        """, BUCKET_PLACEHOLDER, DATABASE));
    for (TableSchema t : tables) {
      String location = BUCKET_PLACEHOLDER + "/" + t.name();
      b.append(String.format(Locale.ROOT, "%n-- %s (v%d)%nCREATE EXTERNAL TABLE IF NOT EXISTS %s.%s (%n", t.name(), t.version(), DATABASE, t.name()));
      b.append(columns(t, "`", Ddl::hiveType, null));
      b.append(String.format(Locale.ROOT, """
          )
          COMMENT '%s'
          PARTITIONED BY (`run_date` string COMMENT 'Run date of the run that wrote the row, yyyy-MM-dd')
          STORED AS PARQUET
          LOCATION '%s/'
          TBLPROPERTIES (
            'projection.enabled' = 'true',
            'projection.run_date.type' = 'date',
            'projection.run_date.format' = 'yyyy-MM-dd',
            'projection.run_date.range' = '2020-01-01,NOW',
            'projection.run_date.interval' = '1',
            'projection.run_date.interval.unit' = 'DAYS',
            'storage.location.template' = '%s/run_date=${run_date}'
          );
          """, comment(t.description()), location, location));
    }
    return b.toString();
  }
}
