package io.chorus.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

import io.chorus.ChorusException;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.Schemas;
import io.chorus.schema.TableSchema;
import io.chorus.schema.Watchlist;
import io.chorus.spark.Stages;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The last step of a pseudonymized pipeline: reads every table the stages wrote under the private
 * working root, writes its published form (see {@link Pseudonyms#apply}) under --output, and
 * removes the working root. Raw ids never reach a published partition.
 */
public final class PublishJob {
  static final String STAGE = "publish";
  /** A watchlist is a curated list of official actors; more rows than this is a wrong input, not a watchlist. */
  static final int MAX_WATCHLIST = 100_000;

  private PublishJob() {}

  /** The pseudonymizer for a run: key from the environment, watchlisted actors exempt. */
  public static Pseudonyms pseudonyms(SparkSession spark, JobConfig cfg, Map<String, String> env) {
    byte[] key = Pseudonyms.keyFromEnvironment(env);
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    Optional<Dataset<Row>> watchlist = Tables.readOptional(spark, Watchlist.TABLE_SCHEMA, cfg.tablePaths(cfg.watchlist(), Watchlist.TABLE), cfg.runDate());
    if (watchlist.isPresent()) {
      List<Row> rows = watchlist.get().select(col(Watchlist.ACCOUNT_ID), lower(col(Watchlist.SCREEN_NAME))).limit(MAX_WATCHLIST + 1).collectAsList();
      if (rows.size() > MAX_WATCHLIST) {
        throw new ChorusException("The watchlist has more than " + MAX_WATCHLIST + " rows. Fix: pass --watchlist with the official actors only.");
      }
      for (Row r : rows) {
        if (!r.isNullAt(0)) {
          ids.add(r.getString(0));
        }
        if (!r.isNullAt(1)) {
          names.add(r.getString(1));
        }
      }
    }
    return new Pseudonyms(key, ids, names);
  }

  public static void run(SparkSession spark, Pseudonyms pseudonyms, String work, JobConfig cfg, RunManifest manifest) {
    Stages.Timer timer = Stages.start(STAGE);
    pseudonyms.register(spark);
    long tables = 0;
    for (TableSchema table : Schemas.PUBLISHED) {
      Optional<Dataset<Row>> written = Tables.readOptional(spark, table, List.of(Tables.tablePath(work, table)), cfg.runDate());
      if (written.isPresent()) {
        Stages.step(spark, STAGE, "pseudonymize " + table.name(),
            () -> Tables.write(Pseudonyms.apply(table, written.get()), table, cfg.output(), cfg.runDate()));
        tables++;
      }
    }
    try {
      org.apache.hadoop.fs.FileSystem fs = Tables.fs(spark, work);
      Path folder = new Path(work);
      fs.delete(folder, true);
      // the shared parent goes too once no other date's run is using it (a non-recursive delete fails on a non-empty folder)
      if (fs.exists(folder.getParent()) && fs.listStatus(folder.getParent()).length == 0) {
        fs.delete(folder.getParent(), false);
      }
    } catch (IOException e) {
      throw new ChorusException("Published the run, but could not remove the private working folder " + work + ": " + e.getMessage()
          + ". Fix: delete it by hand; it holds raw ids.", e);
    }
    manifest.put("pseudonymized", Map.of("key_env", Pseudonyms.KEY_ENV, "exempt_actors", pseudonyms.exemptCount(), "tables", tables));
    timer.done(tables, tables);
  }
}
