package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** Planted truth written by the synthetic generator under {@code truth/}. */
public final class Truth {
  public static final String ACCOUNTS_TABLE = "truth_accounts";
  public static final String BOT_SHARE_TABLE = "truth_bot_share";
  public static final int VERSION = 2;

  public static final String ACCOUNT_ID = "account_id";
  public static final String KIND = "kind";
  public static final String IS_BOT = "is_bot";
  public static final String CAMPAIGN_ID = "campaign_id";
  public static final String CAMPAIGN_TRACE = "campaign_trace";
  public static final String SLICE_TYPE = "slice_type";
  public static final String SLICE_VALUE = "slice_value";
  public static final String UNIT = "unit";
  public static final String TRUE_SHARE = "true_share";
  public static final String N_ACCOUNTS = "n_accounts";
  public static final String N_POSTS = "n_posts";

  public static final StructType ACCOUNTS_SCHEMA =
      Fields.struct(
          required(ACCOUNT_ID, StringType, "Account id", "id"),
          required(KIND, StringType, "human, official, spam_bot, amplifier_bot, fake_follower, cyborg", "enum"),
          required(IS_BOT, BooleanType, "True for the bot kinds", "flag"),
          optional(CAMPAIGN_ID, StringType, "Planted coordinated campaign the account belongs to", "id"),
          optional(CAMPAIGN_TRACE, StringType,
              "The coordination trace the campaign leaves by design: co_repost (reposts), co_text (copy-paste replies, a third verbatim and"
                  + " the rest near-duplicates) or co_link (quotes in the members' own words)", "enum"));

  public static final StructType BOT_SHARE_SCHEMA =
      Fields.struct(
          required(SLICE_TYPE, StringType, "overall, lang, day, topic", "enum"),
          required(SLICE_VALUE, StringType, "Slice value", "text"),
          required(UNIT, StringType, "accounts or posts", "enum"),
          required(TRUE_SHARE, DoubleType, "True bot share in the slice", "fraction"),
          required(N_ACCOUNTS, LongType, "Accounts in the slice", "count"),
          required(N_POSTS, LongType, "Posts in the slice", "count"));

  public static final TableSchema ACCOUNTS_TABLE_SCHEMA =
      new TableSchema(ACCOUNTS_TABLE, TableSchema.Kind.TRUTH, VERSION, "Planted kind and campaign of every generated account.", ACCOUNTS_SCHEMA, false);
  public static final TableSchema BOT_SHARE_TABLE_SCHEMA =
      new TableSchema(BOT_SHARE_TABLE, TableSchema.Kind.TRUTH, VERSION, "True bot share per slice of a generated archive.", BOT_SHARE_SCHEMA, false);

  private Truth() {}
}
