package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/** Bot probability per account. */
public final class AccountScores {
  public static final String TABLE = "account_scores";
  public static final int VERSION = 2;

  public static final String ACCOUNT_ID = "account_id";
  public static final String PLATFORM = "platform";
  public static final String BOT_PROBABILITY = "bot_probability";
  public static final String IS_LIKELY_BOT = "is_likely_bot";
  public static final String MODEL_ID = "model_id";
  public static final String TOP_FEATURES = "top_features";
  public static final String FEATURE = "feature";
  public static final String CONTRIBUTION = "contribution";

  /** {feature, contribution}: one feature's push toward "bot" in this account's score. */
  public static final StructType FEATURE_CONTRIBUTION =
      Fields.struct(
          optional(FEATURE, StringType, "account_features column", "name"),
          optional(CONTRIBUTION, DoubleType, "Change in the forest's raw bot vote credited to the feature along the account's tree paths,"
              + " averaged over the trees", "probability points"));

  public static final ArrayType TOP_FEATURES_TYPE = createArrayType(FEATURE_CONTRIBUTION);

  public static final StructType SCHEMA =
      Fields.struct(
          required(ACCOUNT_ID, StringType, "Account id", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          required(BOT_PROBABILITY, DoubleType, "Model probability that the account is automated", "probability 0..1"),
          required(IS_LIKELY_BOT, BooleanType, "bot_probability >= the model threshold in its metadata", "flag"),
          required(MODEL_ID, StringType, "Identity of the model that scored the account", "id"),
          required(TOP_FEATURES, TOP_FEATURES_TYPE, "Up to 3 features that pushed the score most toward bot, largest first"
              + " (path attributions of the random forest; empty when none did; see README, Classifier)", "list"));

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per scored account.", SCHEMA, true);

  private AccountScores() {}
}
