package io.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.chorus.ChorusException;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountAttributes;
import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import io.chorus.schema.Quarantine;
import io.chorus.schema.TableSchema;
import io.chorus.spark.Stages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
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
  public record Conservation(long read, long kept, long quarantined, long duplicates, long profileOnly) {
    public Conservation(long read, long kept, long quarantined, long duplicates) {
      this(read, kept, quarantined, duplicates, 0);
    }

    /** Records read = posts kept + quarantined + duplicates dropped + profile-only records. */
    public boolean holds() {
      return read == kept + quarantined + duplicates + profileOnly;
    }

    Map<String, Long> asMap() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("read", read);
      m.put("kept", kept);
      m.put("quarantined", quarantined);
      m.put("duplicates_dropped", duplicates);
      m.put("profile_only", profileOnly);
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
  public static final String OBSERVED_AT = "observed-at";

  static ArchiveFiles.OnCorrupt onCorrupt(JobConfig cfg) {
    return ArchiveFiles.OnCorrupt.parse(cfg.flags().getOrDefault(ArchiveFiles.ON_CORRUPT_FILE, "fail"));
  }

  /** --observed-at as timestamp text (null literal when not given), for sources without snapshot times. */
  static Column observedAt(JobConfig cfg) {
    String v = cfg.flags().get(OBSERVED_AT);
    if (v == null || v.isBlank()) {
      return lit(null).cast("string");
    }
    if (!v.matches("\\d{4}-\\d{2}-\\d{2}([ T].*)?")) {
      throw new ChorusException("--" + OBSERVED_AT + " must be a date or timestamp like 2022-02-01 or 2022-02-01T00:00:00Z, got '" + v + "'.");
    }
    return lit(v);
  }

  static Adapters.RawArchive readArchive(SparkSession spark, JobConfig cfg) {
    ArchiveFiles.OnCorrupt onCorrupt = onCorrupt(cfg);
    return switch (cfg.format()) {
      case Adapters.IRA_CSV -> Adapters.ira(spark, cfg.inputs(), iraLabels(cfg), onCorrupt);
      case Adapters.CRESCI_CSV -> Adapters.cresci(spark, cfg.inputs(), onCorrupt);
      case Adapters.CAVERLEE_TSV -> Adapters.caverlee(spark, cfg.inputs(), onCorrupt);
      case TwitterV1.FORMAT -> TwitterV1.read(spark, cfg.inputs(), onCorrupt);
      case TwitterV2.FORMAT -> TwitterV2.read(spark, cfg.inputs(), onCorrupt, observedAt(cfg), lit(cfg.runDate()));
      case Mastodon.FORMAT -> Mastodon.read(spark, cfg.inputs(), onCorrupt);
      default -> canonical(spark, cfg, onCorrupt);
    };
  }

  /** Canonical Parquet tables; their files are checked (footers) like any raw archive's. */
  static Adapters.RawArchive canonical(SparkSession spark, JobConfig cfg, ArchiveFiles.OnCorrupt onCorrupt) {
    var postPaths = cfg.tablePaths(List.of(), Posts.TABLE);
    var accountPaths = cfg.tablePaths(cfg.accounts(), Accounts.TABLE);
    List<String> folders = new ArrayList<>(Tables.resolveAll(spark, postPaths, cfg.runDate()));
    if (folders.isEmpty()) {
      throw new ChorusException("No posts table at " + String.join(", ", postPaths)
          + ". Fix: point --input at a folder holding posts/ (Parquet), or generate one with 'scripts/chorus generate'.");
    }
    List<String> accountFolders = Tables.resolveAll(spark, accountPaths, cfg.runDate());
    List<String> all = new ArrayList<>(folders);
    all.addAll(accountFolders);
    ArchiveFiles.Files files = ArchiveFiles.check(spark, ArchiveFiles.list(spark, all, List.of(".parquet")), onCorrupt,
        "copy the table again from its source");
    List<String> skipped = files.skipped().stream().map(ArchiveFiles.Checked::path).toList();
    Dataset<Row> posts = Tables.readFiles(spark, folders, files.paths(), skipped).orElseGet(() -> Adapters.noPosts(spark));
    Optional<Dataset<Row>> accounts = Tables.readFiles(spark, accountFolders, files.paths(), skipped);
    return new Adapters.RawArchive(withProvenance(posts), accounts.map(IngestJob::withProvenance), Optional.empty(), Optional.empty(),
        Optional.empty(), files.skipped());
  }

  /** One quarantine row per file left out with --on-corrupt-file skip. */
  static Dataset<Row> skippedFiles(SparkSession spark, List<ArchiveFiles.Checked> skipped) {
    List<Row> rows = skipped.stream().map(f -> RowFactory.create(f.path(), "file", ArchiveFiles.CORRUPT_FILE,
        "the file is unreadable and was skipped (--on-corrupt-file skip): " + f.problem(),
        json(Map.of("file", f.path(), "error", f.problem())))).toList();
    return spark.createDataFrame(rows, Quarantine.SCHEMA);
  }

  static String json(Map<String, String> m) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(new java.util.TreeMap<>(m));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the valid rows of checked side-table rows (accounts, labels), one per {@code key}, and
   * records that table's conservation in the manifest; returns the rows written. {@code checked}
   * should be persisted: the write, the counts and later the quarantine all read it.
   */
  static long writeChecked(SparkSession spark, JobConfig cfg, RunManifest manifest, TableSchema table, Dataset<Row> checked, String... key) {
    Dataset<Row> valid = checked.filter(col(Validation.REASON_CODE).isNull()).dropDuplicates(key);
    Stages.step(spark, "ingest", "write " + table.name(), () -> Tables.write(valid, table, cfg.output(), cfg.runDate()));
    long read = Stages.step(spark, "ingest", "count " + table.name() + " read", checked::count);
    long rejected = checked.filter(col(Validation.REASON_CODE).isNotNull()).count();
    long kept = Tables.countWritten(spark, table, cfg.output(), cfg.runDate());
    manifest.put("ingest_" + table.name() + "_conservation", new Conservation(read, kept, rejected, read - rejected - kept).asMap());
    return kept;
  }

  /**
   * Most keys a broadcast join may carry: the duplicated post ids, and the posts whose parent is
   * missing. Up to this many, the whole posts are shuffled once by key and never sorted (in the 10M
   * sample archive 4,907 of 10,000,739 records were copies). Beyond it nothing is broadcast, so a
   * driver never holds an unbounded set, and every post is ranked, which sorts them. A key is two
   * short strings: about 100 MB at this limit. docs/performance.md has the figures.
   */
  public static final long BROADCAST_KEYS_MAX = 1_000_000;

  /** The posts ingest writes, and the valid rows dropped as copies of one of them. */
  record Kept(Dataset<Row> posts, long duplicates) {}

  /**
   * The valid posts, one per (platform, post_id), with parent_missing set, spread by key. The
   * duplicated keys are persisted and counted: their counts give the duplicates dropped. So are the
   * posts whose parent is missing, to choose how they are joined. Both are added to {@code persisted}
   * for the caller to unpersist. Up to {@code maxDuplicated} duplicated keys and {@code maxMissing}
   * posts without their parent are broadcast (see {@link #BROADCAST_KEYS_MAX}).
   */
  static Kept keptPosts(SparkSession spark, Dataset<Row> valid, List<Dataset<Row>> persisted, long maxDuplicated, long maxMissing) {
    Dataset<Row> duplicated = Validation.duplicatedKeys(valid).persist(StorageLevel.MEMORY_AND_DISK());
    persisted.add(duplicated);
    Row d = Stages.step(spark, "ingest", "find duplicated post ids",
        () -> duplicated.agg(count(lit(1)), sum(col(Validation.COPIES).minus(1))).first());
    long keys = d.getLong(0);
    long duplicates = d.isNullAt(1) ? 0 : d.getLong(1);
    boolean few = keys <= maxDuplicated;
    Dataset<Row> posts = Validation.dedupe(valid, few ? Optional.of(duplicated) : Optional.empty());
    Dataset<Row> missing = Validation.parentMissing(posts, valid).persist(StorageLevel.MEMORY_AND_DISK());
    persisted.add(missing);
    long missingCount = Stages.step(spark, "ingest", "find posts whose parent is missing", missing::count);
    boolean broadcastMissing = missingCount <= maxMissing;
    LOG.info("{} post ids occur more than once ({} extra copies: {}); {} kept posts lack their parent ({})", keys, duplicates,
        few ? "only their copies are ranked" : "every post is ranked", missingCount, broadcastMissing ? "broadcast" : "shuffled by key");
    return new Kept(Validation.withParentMissing(few ? Validation.spreadByKey(posts) : posts, missing, broadcastMissing), duplicates);
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
        ? String.join(", ", cfg.tablePaths(List.of(), Posts.TABLE)) : String.join(", ", cfg.inputs());
    Validation.requireColumns(rawPosts, Posts.TABLE_SCHEMA, where);
    // Persisted: the duplicated keys, the parent lookup, the write, the quarantine and the conservation
    // counts all read it. The deduplicated posts are not cached as well: a second cached copy of every
    // post cost more than computing them again.
    Dataset<Row> checked = Validation.checkPosts(rawPosts, Instant.now()).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> valid = checked.filter(col(Validation.REASON_CODE).isNull());
    List<Dataset<Row>> persisted = new ArrayList<>();
    Kept kept = keptPosts(spark, valid, persisted, BROADCAST_KEYS_MAX, BROADCAST_KEYS_MAX);
    Stages.step(spark, "ingest", "write canonical posts", () -> Tables.write(kept.posts(), Posts.TABLE_SCHEMA, cfg.output(), runDate));

    Dataset<Row> quarantine = Validation.quarantined(checked, Posts.TABLE);
    Optional<Dataset<Row>> rawAccounts = archive.accounts();
    long accountsKept = 0;
    if (rawAccounts.isPresent()) {
      Validation.requireColumns(rawAccounts.get(), Accounts.TABLE_SCHEMA, String.join(", ", cfg.inputs()));
      Dataset<Row> checkedAccounts = Validation.checkAccounts(rawAccounts.get()).persist(StorageLevel.MEMORY_AND_DISK());
      persisted.add(checkedAccounts);
      accountsKept = writeChecked(spark, cfg, manifest, Accounts.TABLE_SCHEMA, checkedAccounts, Accounts.PLATFORM, Accounts.ACCOUNT_ID,
          Accounts.OBSERVED_AT);
      quarantine = quarantine.unionByName(Validation.quarantined(checkedAccounts, Accounts.TABLE));
    } else {
      LOG.warn("No accounts in {}: features will use posts only", cfg.inputs());
    }
    if (archive.labels().isPresent()) {
      Dataset<Row> checkedLabels = Validation.conflictingLabels(Validation.checkLabels(archive.labels().get()))
          .persist(StorageLevel.MEMORY_AND_DISK());
      persisted.add(checkedLabels);
      long labelsKept = writeChecked(spark, cfg, manifest, Labels.TABLE_SCHEMA, checkedLabels, Labels.PLATFORM, Labels.ACCOUNT_ID, Labels.SOURCE);
      quarantine = quarantine.unionByName(Validation.quarantined(checkedLabels, Labels.TABLE));
      manifest.count(Labels.TABLE, labelsKept);
    }
    if (archive.attributes().isPresent()) {
      Dataset<Row> attributes = archive.attributes().get();
      Stages.step(spark, "ingest", "write account attributes", () -> Tables.write(attributes, AccountAttributes.TABLE_SCHEMA, cfg.output(), runDate));
      manifest.count(AccountAttributes.TABLE, Tables.countWritten(spark, AccountAttributes.TABLE_SCHEMA, cfg.output(), runDate));
    }
    if (!archive.skipped().isEmpty()) {
      quarantine = quarantine.unionByName(skippedFiles(spark, archive.skipped()));
      manifest.put("skipped_files", archive.skipped().stream().map(f -> Map.of("file", f.path(), "error", f.problem())).toList());
      LOG.warn("Skipped {} unreadable file(s) (--on-corrupt-file skip); they are listed in the quarantine table and the manifest",
          archive.skipped().size());
    }
    Dataset<Row> q = quarantine;
    Stages.step(spark, "ingest", "write quarantine", () -> Tables.write(q, Quarantine.TABLE_SCHEMA, cfg.output(), runDate));
    persisted.forEach(Dataset::unpersist);

    long profileOnly = archive.profileOnly().map(Dataset::count).orElse(0L);
    Conservation c = Stages.step(spark, "ingest", "conservation counts", () -> new Conservation(
        checked.count() + profileOnly,
        Tables.countWritten(spark, Posts.TABLE_SCHEMA, cfg.output(), runDate),
        checked.filter(col(Validation.REASON_CODE).isNotNull()).count(),
        // Counted from the valid rows, not from what was written: the check below then catches a
        // writer that lost or repeated rows.
        kept.duplicates(),
        profileOnly));
    checked.unpersist();
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
