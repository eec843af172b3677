package io.chorus.schema;

import java.util.List;

/** Every versioned table schema; data-schemas/ mirrors this list (SchemaFilesTest). */
public final class Schemas {
  /**
   * The tables a pipeline run publishes under its {@code --output}, each partitioned by run_date: the
   * canonical posts and accounts, quarantine, and every derived table.
   */
  public static final List<TableSchema> PUBLISHED =
      List.of(
          Posts.TABLE_SCHEMA,
          Accounts.TABLE_SCHEMA,
          Quarantine.TABLE_SCHEMA,
          AccountFeatures.TABLE_SCHEMA,
          AccountScores.TABLE_SCHEMA,
          BotShare.TABLE_SCHEMA,
          Influence.ACCOUNT_TABLE_SCHEMA,
          Influence.TOPIC_TABLE_SCHEMA,
          Influence.WATCHLIST_TABLE_SCHEMA,
          Coordination.EDGES_TABLE_SCHEMA,
          Coordination.CLUSTERS_TABLE_SCHEMA);

  /** Every table: the published ones, the inputs only a user supplies, and the generator's truth. */
  public static final List<TableSchema> ALL =
      java.util.stream.Stream.concat(PUBLISHED.stream(),
          java.util.stream.Stream.of(Labels.TABLE_SCHEMA, AccountAttributes.TABLE_SCHEMA, Watchlist.TABLE_SCHEMA, Truth.ACCOUNTS_TABLE_SCHEMA,
              Truth.BOT_SHARE_TABLE_SCHEMA)).toList();

  /** The partition column every output table is stored under. */
  public static final String RUN_DATE = "run_date";

  private Schemas() {}
}
