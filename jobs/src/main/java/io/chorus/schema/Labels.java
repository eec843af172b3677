package io.chorus.schema;

import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** Ground-truth or annotated labels used to train and evaluate the bot classifier. */
public final class Labels {
  public static final String TABLE = "labels";
  public static final int VERSION = 1;

  public static final String ACCOUNT_ID = "account_id";
  public static final String PLATFORM = "platform";
  public static final String LABEL = "label";
  public static final String SOURCE = "source";

  public static final String BOT = "bot";
  public static final String HUMAN = "human";

  public static final StructType SCHEMA =
      Fields.struct(
          required(ACCOUNT_ID, StringType, "Labeled account id", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          required(LABEL, StringType, "bot or human", "enum"),
          required(SOURCE, StringType, "Where the label comes from: dataset name or synthetic", "name"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.INPUT, VERSION, "One row per labeled account.", SCHEMA, false);

  private Labels() {}
}
