package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** Bot prevalence per slice, unit and method, with bootstrap intervals. */
public final class BotShare {
  public static final String TABLE = "bot_share";
  public static final int VERSION = 2;

  public static final String SLICE_TYPE = "slice_type";
  public static final String SLICE_VALUE = "slice_value";
  public static final String UNIT = "unit";
  public static final String METHOD = "method";
  public static final String ESTIMATE = "estimate";
  public static final String CI_LOW = "ci_low";
  public static final String CI_HIGH = "ci_high";
  public static final String N_ACCOUNTS = "n_accounts";
  public static final String N_POSTS = "n_posts";
  public static final String LOW_SUPPORT = "low_support";
  public static final String CLIPPED = "clipped";

  public static final String UNIT_ACCOUNTS = "accounts";
  public static final String UNIT_POSTS = "posts";

  public static final StructType SCHEMA =
      Fields.struct(
          required(SLICE_TYPE, StringType, "overall, platform, lang, day, topic (the --max-topics hashtags with the most accounts), actor_group (accounts reposting, quoting or replying to watchlisted actors of one actor_type), cluster (members of one coordination cluster)", "enum"),
          required(SLICE_VALUE, StringType, "Value of the slice (all for overall; yyyy-MM-dd for day)", "text"),
          required(UNIT, StringType, "accounts (share of accounts) or posts (share of post volume)", "enum"),
          required(METHOD, StringType, "CC, ACC, PCC or PACC (see README: bot share estimation)", "enum"),
          optional(ESTIMATE, DoubleType, "Estimated bot share, clipped to [0, 1]", "fraction"),
          optional(CI_LOW, DoubleType, "Lower bound of the 95% bootstrap percentile interval", "fraction"),
          optional(CI_HIGH, DoubleType, "Upper bound of the 95% bootstrap percentile interval", "fraction"),
          required(N_ACCOUNTS, LongType, "Accounts in the slice", "count"),
          required(N_POSTS, LongType, "Posts in the slice", "count"),
          required(LOW_SUPPORT, BooleanType, "True when n_accounts is under the minimum support (default 100)", "flag"),
          required(CLIPPED, BooleanType, "True when the unclipped corrected estimate fell outside [0, 1]", "flag"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per slice, unit and method.", SCHEMA, true);

  private BotShare() {}
}
