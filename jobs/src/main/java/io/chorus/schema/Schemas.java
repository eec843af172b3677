package io.chorus.schema;

import java.util.List;

/** Every versioned table schema; data-schemas/ mirrors this list (SchemaFilesTest). */
public final class Schemas {
  public static final List<TableSchema> ALL =
      List.of(
          Posts.TABLE_SCHEMA,
          Accounts.TABLE_SCHEMA,
          Labels.TABLE_SCHEMA,
          AccountAttributes.TABLE_SCHEMA,
          Watchlist.TABLE_SCHEMA,
          Quarantine.TABLE_SCHEMA,
          AccountFeatures.TABLE_SCHEMA,
          AccountScores.TABLE_SCHEMA,
          BotShare.TABLE_SCHEMA,
          Influence.ACCOUNT_TABLE_SCHEMA,
          Influence.TOPIC_TABLE_SCHEMA,
          Influence.WATCHLIST_TABLE_SCHEMA,
          Coordination.EDGES_TABLE_SCHEMA,
          Coordination.CLUSTERS_TABLE_SCHEMA,
          Truth.ACCOUNTS_TABLE_SCHEMA,
          Truth.BOT_SHARE_TABLE_SCHEMA);

  /** The partition column every output table is stored under. */
  public static final String RUN_DATE = "run_date";

  private Schemas() {}
}
