package io.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import io.chorus.ChorusException;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import io.chorus.schema.Quarantine;
import io.chorus.spark.Stages;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an archive, validates it and writes canonical posts and accounts plus the quarantine.
 * Conservation is checked and recorded: records read = posts written + quarantined + duplicates.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  public static final String FORMAT_CANONICAL = JobConfig.DEFAULT_FORMAT;

  private IngestJob() {}

  /** Counts that prove nothing was lost. */
  public record Conservation(long read, long kept, long quarantined, long duplicates) {
    public boolean holds() {
      return read == kept + quarantined + duplicates;
    }

    Map<String, Long> asMap() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("read", read);
      m.put("kept", kept);
      m.put("quarantined", quarantined);
      m.put("duplicates_dropped", duplicates);
      return m;
    }
  }

  static Dataset<Row> withProvenance(Dataset<Row> raw) {
    return raw.withColumn(Validation.SOURCE_FILE, input_file_name());
  }

  /** Whether --ira-labels was given (offer IRA authors as labels bot/ira). */
  static boolean iraLabels(JobConfig cfg) {
    return Boolean.parseBoolean(cfg.flags().getOrDefault(IRA_LABELS, "false"));
  }

  public static final String IRA_LABELS = "ira-labels";

  static Adapters.RawArchive readArchive(SparkSession spark, JobConfig cfg) {
    return switch (cfg.format()) {
      case Adapters.IRA_CSV -> Adapters.ira(spark, cfg.inputs(), iraLabels(cfg));
      case Adapters.CRESCI_CSV -> Adapters.cresci(spark, cfg.inputs());
      default -> {
        var postPaths = cfg.tablePaths(java.util.List.of(), Posts.TABLE);
        Dataset<Row> posts = Tables.readRaw(spark, postPaths, cfg.runDate())
            .orElseThrow(() -> new ChorusException("No posts table at " + String.join(", ", postPaths)
                + ". Fix: point --input at a folder holding posts/ (Parquet), or generate one with 'scripts/chorus generate'."));
        var accountPaths = cfg.tablePaths(cfg.accounts(), Accounts.TABLE);
        yield new Adapters.RawArchive(withProvenance(posts), Tables.readRaw(spark, accountPaths, cfg.runDate()).map(IngestJob::withProvenance),
            Optional.empty());
      }
    };
  }

  public static Conservation run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    if (!Adapters.FORMATS.contains(cfg.format())) {
      throw new ChorusException("Unknown --format '" + cfg.format() + "'. Supported: " + String.join(", ", Adapters.FORMATS) + ".");
    }
    LOG.info("Starting ingest with {}", cfg);
    Stages.Timer timer = Stages.start("ingest");
    String runDate = cfg.runDate();
    Adapters.RawArchive archive = readArchive(spark, cfg);
    manifest.input(Posts.TABLE, cfg.inputs());
    manifest.put("format", cfg.format());
    Dataset<Row> rawPosts = archive.posts();
    String where = FORMAT_CANONICAL.equals(cfg.format())
        ? String.join(", ", cfg.tablePaths(java.util.List.of(), Posts.TABLE)) : String.join(", ", cfg.inputs());
    Validation.requireColumns(rawPosts, Posts.TABLE_SCHEMA, where);
    Dataset<Row> checked = Validation.checkPosts(rawPosts, Instant.now()).persist(StorageLevel.MEMORY_AND_DISK());
    // Persisted: the write of kept posts and the duplicate count both read it (the dedupe window runs once).
    Dataset<Row> marked =
        Validation.markDuplicates(checked.filter(col(Validation.REASON_CODE).isNull())).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> kept = Validation.flagMissingParents(marked.filter(col("_dup_rank").equalTo(1)));
    Stages.step(spark, "ingest", "write canonical posts", () -> Tables.write(kept, Posts.TABLE_SCHEMA, cfg.output(), runDate));

    Dataset<Row> quarantine = Validation.quarantined(checked, Posts.TABLE);
    Optional<Dataset<Row>> rawAccounts = archive.accounts();
    long accountsKept = 0;
    if (rawAccounts.isPresent()) {
      Validation.requireColumns(rawAccounts.get(), Accounts.TABLE_SCHEMA, String.join(", ", cfg.inputs()));
      // Persisted: the write and both counts read it (for ira-csv it is an aggregate over the whole CSV).
      Dataset<Row> checkedAccounts = Validation.checkAccounts(rawAccounts.get()).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> validAccounts =
          checkedAccounts.filter(col(Validation.REASON_CODE).isNull())
              .dropDuplicates(Accounts.PLATFORM, Accounts.ACCOUNT_ID, Accounts.OBSERVED_AT);
      Stages.step(spark, "ingest", "write canonical accounts", () -> Tables.write(validAccounts, Accounts.TABLE_SCHEMA, cfg.output(), runDate));
      quarantine = quarantine.unionByName(Validation.quarantined(checkedAccounts, Accounts.TABLE));
      long read = Stages.step(spark, "ingest", "count accounts read", checkedAccounts::count);
      long rejected = checkedAccounts.filter(col(Validation.REASON_CODE).isNotNull()).count();
      accountsKept = Tables.countWritten(spark, Accounts.TABLE_SCHEMA, cfg.output(), runDate);
      checkedAccounts.unpersist();
      Conservation ac = new Conservation(read, accountsKept, rejected, read - rejected - accountsKept);
      manifest.put("ingest_accounts_conservation", ac.asMap());
    } else {
      LOG.warn("No accounts in {}: features will use posts only", cfg.inputs());
    }
    if (archive.labels().isPresent()) {
      Dataset<Row> labels = archive.labels().get();
      Stages.step(spark, "ingest", "write labels", () -> Tables.write(labels, Labels.TABLE_SCHEMA, cfg.output(), runDate));
      manifest.count(Labels.TABLE, Tables.countWritten(spark, Labels.TABLE_SCHEMA, cfg.output(), runDate));
    }
    Dataset<Row> q = quarantine;
    Stages.step(spark, "ingest", "write quarantine", () -> Tables.write(q, Quarantine.TABLE_SCHEMA, cfg.output(), runDate));

    Conservation c = Stages.step(spark, "ingest", "conservation counts", () -> new Conservation(
        checked.count(),
        Tables.countWritten(spark, Posts.TABLE_SCHEMA, cfg.output(), runDate),
        checked.filter(col(Validation.REASON_CODE).isNotNull()).count(),
        marked.filter(col("_dup_rank").gt(1)).count()));
    checked.unpersist();
    marked.unpersist();
    long quarantinedTotal = Tables.countWritten(spark, Quarantine.TABLE_SCHEMA, cfg.output(), runDate);
    manifest.put("ingest_conservation", c.asMap());
    manifest.count(Posts.TABLE, c.kept());
    manifest.count(Accounts.TABLE, accountsKept);
    manifest.count(Quarantine.TABLE, quarantinedTotal);
    if (!c.holds()) {
      throw new IllegalStateException("Ingest conservation violated: " + c + ". This is a bug; please report it with the manifest.");
    }
    timer.done(c.read(), c.kept());
    return c;
  }
}
