package io.chorus.schema;

import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/**
 * Attributes an archive states about its accounts, one (attribute, value) per row: the IRA release's
 * account_category (RightTroll, LeftTroll, ...), account_type and region, for example. Analysts join
 * it to the output tables to slice by what the source says an account is.
 */
public final class AccountAttributes {
  public static final String TABLE = "account_attributes";
  public static final int VERSION = 1;

  public static final String ACCOUNT_ID = "account_id";
  public static final String PLATFORM = "platform";
  public static final String ATTRIBUTE = "attribute";
  public static final String VALUE = "value";
  public static final String SOURCE = "source";

  public static final StructType SCHEMA =
      Fields.struct(
          required(ACCOUNT_ID, StringType, "Account id, as in posts and accounts", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          required(ATTRIBUTE, StringType, "Attribute name as the source spells it, e.g. account_category", "name"),
          required(VALUE, StringType, "Attribute value as the source gives it, e.g. RightTroll", "text"),
          required(SOURCE, StringType, "Archive the attribute comes from, e.g. ira", "name"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.INPUT, VERSION, "One row per account attribute stated by the source archive.", SCHEMA, false);

  private AccountAttributes() {}
}
