package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;

/** Coordinated behaviour: account pairs that share rare traces, and their connected components. */
public final class Coordination {
  public static final String EDGES_TABLE = "coordination_edges";
  public static final String CLUSTERS_TABLE = "coordination_clusters";
  public static final int VERSION = 2;

  public static final String ACCOUNT_A = "account_a";
  public static final String ACCOUNT_B = "account_b";
  public static final String PLATFORM = "platform";
  public static final String TRACE = "trace";
  public static final String WEIGHT = "weight";
  public static final String N_SHARED = "n_shared";
  public static final String FIRST_SEEN = "first_seen";
  public static final String LAST_SEEN = "last_seen";

  public static final String CLUSTER_ID = "cluster_id";
  public static final String ACCOUNT_ID = "account_id";
  public static final String TRACES = "traces";
  public static final String CLUSTER_SIZE = "cluster_size";
  public static final String MEAN_BOT_PROBABILITY = "mean_bot_probability";
  public static final String FIRST_ACTIVITY = "first_activity";
  public static final String LAST_ACTIVITY = "last_activity";

  public static final String CO_REPOST = "co_repost";
  public static final String CO_LINK = "co_link";
  public static final String CO_TEXT = "co_text";
  public static final String HASHTAG_SEQUENCE = "hashtag_sequence";
  public static final String SYNCHRONY = "synchrony";

  public static final StructType EDGES_SCHEMA =
      Fields.struct(
          required(ACCOUNT_A, StringType, "First account of the pair (account_a < account_b)", "id"),
          required(ACCOUNT_B, StringType, "Second account of the pair", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          required(TRACE, StringType, "co_repost, co_link, co_text, hashtag_sequence or synchrony", "enum"),
          required(WEIGHT, DoubleType, "Cosine similarity of the two accounts' TF-IDF trace vectors", "similarity 0..1"),
          required(N_SHARED, LongType, "Traces (item and time bucket) the two accounts share", "count"),
          required(FIRST_SEEN, TimestampType, "Earliest activity on a shared trace", "timestamp UTC"),
          required(LAST_SEEN, TimestampType, "Latest activity on a shared trace", "timestamp UTC"));

  public static final StructType CLUSTERS_SCHEMA =
      Fields.struct(
          required(CLUSTER_ID, StringType, "Connected component of the edge graph (stable for the same edges)", "id"),
          required(ACCOUNT_ID, StringType, "Member account", "id"),
          required(PLATFORM, StringType, "Platform name", "name"),
          required(TRACES, createArrayType(StringType), "Trace types of the member's edges", "list"),
          required(CLUSTER_SIZE, LongType, "Accounts in the cluster", "count"),
          optional(MEAN_BOT_PROBABILITY, DoubleType, "Mean bot_probability of the cluster's members; null when unscored", "probability"),
          required(FIRST_ACTIVITY, TimestampType, "Earliest shared-trace activity in the cluster", "timestamp UTC"),
          required(LAST_ACTIVITY, TimestampType, "Latest shared-trace activity in the cluster", "timestamp UTC"));

  public static final TableSchema EDGES_TABLE_SCHEMA =
      new TableSchema(EDGES_TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per coordinated account pair and trace type.", EDGES_SCHEMA, true);
  public static final TableSchema CLUSTERS_TABLE_SCHEMA =
      new TableSchema(CLUSTERS_TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per account in a coordination cluster.", CLUSTERS_SCHEMA, true);

  private Coordination() {}
}
