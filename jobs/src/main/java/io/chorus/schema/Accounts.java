package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.StructType;

/** Canonical account profile snapshots (several per account allowed, keyed by observed_at). */
public final class Accounts {
  public static final String TABLE = "accounts";
  /**
   * v2 added screen_name_length and description_length (sources that give lengths, not texts); v3
   * added has_url, geo_enabled and has_banner (profile-completeness flags of Twitter v1.1 users).
   */
  public static final int VERSION = 3;

  public static final String ACCOUNT_ID = "account_id";
  public static final String PLATFORM = "platform";
  public static final String OBSERVED_AT = "observed_at";
  public static final String SCREEN_NAME = "screen_name";
  public static final String DISPLAY_NAME = "display_name";
  public static final String DESCRIPTION = "description";
  public static final String ACCOUNT_CREATED_AT = "account_created_at";
  public static final String FOLLOWERS_COUNT = "followers_count";
  public static final String FRIENDS_COUNT = "friends_count";
  public static final String STATUSES_COUNT = "statuses_count";
  public static final String FAVOURITES_COUNT = "favourites_count";
  public static final String LISTED_COUNT = "listed_count";
  public static final String VERIFIED = "verified";
  public static final String DEFAULT_PROFILE = "default_profile";
  public static final String DEFAULT_PROFILE_IMAGE = "default_profile_image";
  public static final String PROFILE_USE_BACKGROUND_IMAGE = "profile_use_background_image";
  public static final String LOCATION = "location";
  public static final String SCREEN_NAME_LENGTH = "screen_name_length";
  public static final String DESCRIPTION_LENGTH = "description_length";
  public static final String HAS_URL = "has_url";
  public static final String GEO_ENABLED = "geo_enabled";
  public static final String HAS_BANNER = "has_banner";

  public static final StructType SCHEMA =
      Fields.struct(
          required(ACCOUNT_ID, StringType, "Platform account id", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          required(OBSERVED_AT, TimestampType, "When this profile snapshot was taken", "timestamp UTC"),
          optional(SCREEN_NAME, StringType, "Handle without @", "text"),
          optional(DISPLAY_NAME, StringType, "Display name", "text"),
          optional(DESCRIPTION, StringType, "Profile description (bio)", "text"),
          optional(ACCOUNT_CREATED_AT, TimestampType, "When the account was created", "timestamp UTC"),
          optional(FOLLOWERS_COUNT, LongType, "Followers at observed_at", "count"),
          optional(FRIENDS_COUNT, LongType, "Accounts followed at observed_at", "count"),
          optional(STATUSES_COUNT, LongType, "Lifetime posts at observed_at", "count"),
          optional(FAVOURITES_COUNT, LongType, "Lifetime likes given at observed_at", "count"),
          optional(LISTED_COUNT, LongType, "Public lists containing the account", "count"),
          optional(VERIFIED, BooleanType, "Platform verification badge", "flag"),
          optional(DEFAULT_PROFILE, BooleanType, "Theme and background never changed", "flag"),
          optional(DEFAULT_PROFILE_IMAGE, BooleanType, "Default avatar (egg)", "flag"),
          optional(PROFILE_USE_BACKGROUND_IMAGE, BooleanType, "Profile uses a background image", "flag"),
          optional(LOCATION, StringType, "Free-text profile location", "text"),
          optional(SCREEN_NAME_LENGTH, IntegerType, "Screen name length when the source gives only the length (caverlee-2011); else null", "count"),
          optional(DESCRIPTION_LENGTH, IntegerType, "Description length when the source gives only the length (caverlee-2011); else null", "count"),
          optional(HAS_URL, BooleanType, "The profile links a website (v1.1/v2 user url); null when the source has no url field", "flag"),
          optional(GEO_ENABLED, BooleanType, "Geotagging switched on (v1.1 geo_enabled); null when the source has no such field", "flag"),
          optional(HAS_BANNER, BooleanType, "The profile has a banner image (v1.1 profile_banner_url); null when the source has no such field", "flag"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.INPUT, VERSION, "One row per account profile snapshot.", SCHEMA, false);

  private Accounts() {}
}
