package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** Official actors to follow: embassies, ministries, heads of state, state media. */
public final class Watchlist {
  public static final String TABLE = "watchlist";
  public static final int VERSION = 1;

  public static final String ACCOUNT_ID = "account_id";
  public static final String SCREEN_NAME = "screen_name";
  public static final String PLATFORM = "platform";
  public static final String ACTOR_TYPE = "actor_type";
  public static final String COUNTRY = "country";
  public static final String ACTOR_NAME = "actor_name";

  public static final StructType SCHEMA =
      Fields.struct(
          optional(ACCOUNT_ID, StringType, "Account id; give this or screen_name", "id"),
          optional(SCREEN_NAME, StringType, "Handle without @; used when account_id is null", "text"),
          required(PLATFORM, StringType, "Platform name", "name"),
          required(ACTOR_TYPE, StringType, "embassy, ministry, head_of_state, state_media, ...", "enum"),
          required(COUNTRY, StringType, "Country the actor represents", "ISO 3166-1 alpha-2"),
          optional(ACTOR_NAME, StringType, "Human-readable actor name", "text"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.INPUT, VERSION, "One row per watchlisted official actor.", SCHEMA, false);

  private Watchlist() {}
}
