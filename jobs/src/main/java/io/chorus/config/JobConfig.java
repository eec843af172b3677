package io.chorus.config;

import io.chorus.ChorusException;
import io.chorus.coordination.CoordinationDetector;
import io.chorus.schema.Schemas;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The immutable configuration of every stage job. Lookup order: command-line flag, then the flag's
 * default (which suits a local run). Spark itself is configured with spark-submit {@code --conf}.
 *
 * @param inputs roots holding canonical tables ({@code posts/}, {@code accounts/}, ...); a table is
 *     the union over the roots that hold it
 * @param output root the output tables are written under, partitioned by run_date
 * @param runDate the partition this run writes and reads (yyyy-MM-dd)
 * @param model model directory (train writes it, score and estimate read it)
 * @param labels label tables (empty: {@code <input>/labels})
 * @param accounts account tables (empty: {@code <input>/accounts})
 * @param watchlist watchlist tables (empty: {@code <input>/watchlist} where present)
 * @param format input layout for ingest
 * @param report path of a JSON report (evaluate) or null
 * @param bootstrap bootstrap replicates for bot-share intervals
 * @param minSupport accounts under which a bot-share slice is flagged low_support
 * @param seed seed for training splits and the bootstrap
 * @param coordination coordination detector settings
 * @param flags every resolved flag, for the manifest
 * @param pseudonymize publish keyed pseudonyms instead of account ids and screen names (pipeline)
 */
public record JobConfig(
    List<String> inputs,
    String output,
    String runDate,
    String model,
    List<String> labels,
    List<String> accounts,
    List<String> watchlist,
    String format,
    String report,
    int bootstrap,
    long minSupport,
    long seed,
    CoordinationDetector.Params coordination,
    Map<String, String> flags,
    boolean pseudonymize) {

  /** A config without pseudonymization. */
  public JobConfig(List<String> inputs, String output, String runDate, String model, List<String> labels, List<String> accounts,
      List<String> watchlist, String format, String report, int bootstrap, long minSupport, long seed, CoordinationDetector.Params coordination,
      Map<String, String> flags) {
    this(inputs, output, runDate, model, labels, accounts, watchlist, format, report, bootstrap, minSupport, seed, coordination, flags, false);
  }

  public static final String INPUT = "input";
  public static final String OUTPUT = "output";
  public static final String RUN_DATE = "run-date";
  public static final String MODEL = "model";
  public static final String LABELS = "labels";
  public static final String ACCOUNTS = "accounts";
  public static final String WATCHLIST = "watchlist";
  public static final String FORMAT = "format";
  public static final String REPORT = "report";
  public static final String BOOTSTRAP = "bootstrap";
  public static final String MIN_SUPPORT = "min-support";
  public static final String SEED = "seed";
  public static final String TRACES = "traces";
  public static final String WINDOW_SECONDS = "window-seconds";
  public static final String TEXT_SIMILARITY = "text-similarity";
  public static final String MIN_SHARED = "min-shared";
  public static final String MIN_SIMILARITY = "min-similarity";
  public static final String MAX_TRACE_ACCOUNTS = "max-trace-accounts";
  public static final String TOP_EDGES = "top-edges";
  public static final String QUIET = "quiet";
  public static final String VERBOSE = "verbose";
  public static final String PSEUDONYMIZE = "pseudonymize";

  public static final int DEFAULT_BOOTSTRAP = 100;
  public static final long DEFAULT_MIN_SUPPORT = 100;
  public static final long DEFAULT_SEED = 42;
  public static final String DEFAULT_FORMAT = "canonical-parquet";
  public static final String DEFAULT_INPUT = "./sample-data";
  public static final String DEFAULT_OUTPUT = "./out";

  public JobConfig {
    if (inputs.isEmpty()) {
      throw new ChorusException("--input is empty: give a folder holding posts/ (and accounts/, labels/, watchlist/).");
    }
    checkRunDate(runDate);
    if (bootstrap < 10) {
      throw new ChorusException("--bootstrap must be at least 10 replicates, got " + bootstrap + ".");
    }
    inputs = List.copyOf(inputs);
    labels = List.copyOf(labels);
    accounts = List.copyOf(accounts);
    watchlist = List.copyOf(watchlist);
    flags = Map.copyOf(flags);
  }

  /** Fails with the flag's expected form unless {@code runDate} is an ISO date. */
  public static String checkRunDate(String runDate) {
    try {
      LocalDate.parse(runDate);
      return runDate;
    } catch (DateTimeParseException e) {
      throw new ChorusException("--run-date must look like 2024-03-01, got '" + runDate + "'.");
    }
  }

  /** The pipeline's model for one run date: runs of different dates never share (or race for) a model folder. */
  public static String defaultModel(String output, String runDate) {
    return output + "/_model/" + Schemas.RUN_DATE + "=" + runDate;
  }

  public static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  public static FlagSpec input(String help) {
    return FlagSpec.value(INPUT, DEFAULT_INPUT, help);
  }

  public static FlagSpec output(String help) {
    return FlagSpec.value(OUTPUT, DEFAULT_OUTPUT, help);
  }

  public static final FlagSpec RUN_DATE_FLAG =
      FlagSpec.value(RUN_DATE, "today (UTC)", "Partition to write; a rerun of the same date replaces it");
  public static final FlagSpec MODEL_FLAG =
      FlagSpec.value(MODEL, "<output>/_model/run_date=<run-date>", "Model directory (PipelineModel + metadata.json)");
  public static final FlagSpec LABELS_FLAG =
      FlagSpec.value(LABELS, "<input>/labels", "Labels table(s), comma-separated");
  public static final FlagSpec ACCOUNTS_FLAG =
      FlagSpec.value(ACCOUNTS, "<input>/accounts", "Account snapshot table(s), comma-separated");
  public static final FlagSpec WATCHLIST_FLAG =
      FlagSpec.value(WATCHLIST, "<input>/watchlist if present", "Watchlist table(s), comma-separated");
  public static final FlagSpec FORMAT_FLAG =
      FlagSpec.value(FORMAT, DEFAULT_FORMAT,
          "Input layout: canonical-parquet, twitter-v1, twitter-v2, ira-csv, cresci-csv, caverlee-tsv, mastodon (README: Input formats)");
  public static final FlagSpec ON_CORRUPT_FILE_FLAG = FlagSpec.value("on-corrupt-file", "fail",
      "An unreadable input file (truncated gzip, bad Parquet footer): fail, or skip it and record it in quarantine");
  public static final FlagSpec OBSERVED_AT_FLAG = FlagSpec.value("observed-at", "the run date",
      "twitter-v2: when user objects without a collection time were observed (e.g. 2022-02-01)");
  public static final FlagSpec IRA_LABELS_FLAG =
      FlagSpec.toggle("ira-labels", "ira-csv: offer IRA authors as labels bot/ira (state-run, often human-operated: see README)");
  /** The flags of ingest that choose and read the input layout (ingest and pipeline). */
  public static final List<FlagSpec> INGEST_FLAGS = List.of(FORMAT_FLAG, IRA_LABELS_FLAG, ON_CORRUPT_FILE_FLAG, OBSERVED_AT_FLAG);
  public static final FlagSpec REPORT_FLAG = FlagSpec.value(REPORT, "", "Write a JSON report to this path");
  public static final FlagSpec BOOTSTRAP_FLAG =
      FlagSpec.value(BOOTSTRAP, String.valueOf(DEFAULT_BOOTSTRAP), "Bootstrap replicates for bot-share confidence intervals");
  public static final FlagSpec MIN_SUPPORT_FLAG =
      FlagSpec.value(MIN_SUPPORT, String.valueOf(DEFAULT_MIN_SUPPORT), "Slices with fewer accounts are flagged low_support");
  public static final String CV_FOLDS = "cv-folds";
  public static final String MAX_TOPICS = "max-topics";
  public static final FlagSpec MAX_TOPICS_FLAG = FlagSpec.value(MAX_TOPICS, String.valueOf(io.chorus.estimate.BotShareEstimator.DEFAULT_MAX_TOPICS),
      "bot_share topic slices: only the hashtags used by the most accounts");
  public static final FlagSpec CV_FOLDS_FLAG = FlagSpec.value(CV_FOLDS, String.valueOf(io.chorus.model.BotModel.CV_FOLDS),
      "Training's inner cross-validation folds: hyper-parameter search, isotonic calibration and threshold (0: default forest, uncalibrated, threshold 0.5)");
  public static final FlagSpec SEED_FLAG = FlagSpec.value(SEED, String.valueOf(DEFAULT_SEED), "Seed for splits and bootstrap");
  /** Coordination flags; their defaults are {@link CoordinationDetector.Params#DEFAULTS}. */
  public static final List<FlagSpec> COORDINATION_FLAGS = coordinationFlags(CoordinationDetector.Params.DEFAULTS);

  static List<FlagSpec> coordinationFlags(CoordinationDetector.Params d) {
    return List.of(
        FlagSpec.value(TRACES, String.join(",", d.traces()), "Coordination traces to use, of " + String.join(",", CoordinationDetector.Params.KNOWN_TRACES)),
        FlagSpec.value(WINDOW_SECONDS, String.valueOf(d.windowSeconds()), "Co-repost/co-link/co-text window from an item's first share"),
        FlagSpec.value(MIN_SHARED, String.valueOf(d.minShared()), "Traces an account pair must share to become an edge"),
        FlagSpec.value(MIN_SIMILARITY, String.valueOf(d.minSimilarity()), "Minimum TF-IDF cosine similarity of an edge"),
        FlagSpec.value(MAX_TRACE_ACCOUNTS, String.valueOf(d.maxTraceAccounts()), "Traces shared by more accounts are dropped (viral items)"),
        FlagSpec.value(TOP_EDGES, String.valueOf(d.topEdges()), "Strongest edges kept per account and trace"),
        FlagSpec.value(TEXT_SIMILARITY, String.valueOf(d.textSimilarity()),
            "Co-text: word-bigram Jaccard similarity from which texts are near-duplicates (MinHash LSH); 1 keeps identical texts only"));
  }

  public static final FlagSpec QUIET_FLAG = FlagSpec.toggle(QUIET, "Silence Chorus's progress lines");
  public static final FlagSpec PSEUDONYMIZE_FLAG = FlagSpec.toggle(PSEUDONYMIZE,
      "Publish keyed HMAC-SHA256 pseudonyms for account ids and screen names (key from $CHORUS_PSEUDONYM_KEY); watchlisted actors keep theirs");
  public static final String REUSE_MODEL = "reuse-model";
  public static final FlagSpec REUSE_MODEL_FLAG = FlagSpec.toggle(REUSE_MODEL,
      "pipeline: score with the model already at --model even when labels exist (no training: a scheduled run between retrainings, or a benchmark)");
  public static final FlagSpec VERBOSE_FLAG = FlagSpec.toggle(VERBOSE, "Show stack traces on errors");

  public static JobConfig from(Flags f) {
    String output = f.get(OUTPUT);
    String runDate = f.has(RUN_DATE) ? f.get(RUN_DATE) : today();
    String model = f.has(MODEL) ? f.get(MODEL) : defaultModel(output, runDate);
    return new JobConfig(
        f.list(INPUT),
        output,
        runDate,
        model,
        f.has(LABELS) ? f.list(LABELS) : List.of(),
        f.has(ACCOUNTS) ? f.list(ACCOUNTS) : List.of(),
        f.has(WATCHLIST) ? f.list(WATCHLIST) : List.of(),
        f.has(FORMAT) ? f.get(FORMAT) : DEFAULT_FORMAT,
        f.has(REPORT) && !f.get(REPORT).isBlank() ? f.get(REPORT) : null,
        f.has(BOOTSTRAP) ? (int) f.asLong(BOOTSTRAP) : DEFAULT_BOOTSTRAP,
        f.has(MIN_SUPPORT) ? f.asLong(MIN_SUPPORT) : DEFAULT_MIN_SUPPORT,
        f.has(SEED) ? f.asLong(SEED) : DEFAULT_SEED,
        coordination(f),
        f.resolved(),
        f.has(PSEUDONYMIZE) && f.bool(PSEUDONYMIZE));
  }

  /** Whether the pipeline skips training and scores with the model at --model ({@code --reuse-model}). */
  public boolean reuseModel() {
    return Boolean.parseBoolean(flags().getOrDefault(REUSE_MODEL, "false"));
  }

  static CoordinationDetector.Params coordination(Flags f) {
    CoordinationDetector.Params d = CoordinationDetector.Params.DEFAULTS;
    List<String> traces = f.has(TRACES) ? f.list(TRACES) : d.traces();
    for (String t : traces) {
      if (!CoordinationDetector.Params.KNOWN_TRACES.contains(t)) {
        throw new ChorusException("Unknown trace '" + t + "' in --traces. Known: " + String.join(",", CoordinationDetector.Params.KNOWN_TRACES) + ".");
      }
    }
    double textSimilarity = f.has(TEXT_SIMILARITY) ? f.asDouble(TEXT_SIMILARITY) : d.textSimilarity();
    if (!(textSimilarity > 0 && textSimilarity <= 1)) {
      throw new ChorusException("--text-similarity must be in (0, 1], got " + textSimilarity + ". Fix: use 0.7 (the default) or 1 for identical texts only.");
    }
    return new CoordinationDetector.Params(
        f.has(WINDOW_SECONDS) ? f.asLong(WINDOW_SECONDS) : d.windowSeconds(),
        f.has(MIN_SHARED) ? (int) f.asLong(MIN_SHARED) : d.minShared(),
        f.has(MIN_SIMILARITY) ? f.asDouble(MIN_SIMILARITY) : d.minSimilarity(),
        f.has(MAX_TRACE_ACCOUNTS) ? (int) f.asLong(MAX_TRACE_ACCOUNTS) : d.maxTraceAccounts(),
        f.has(TOP_EDGES) ? (int) f.asLong(TOP_EDGES) : d.topEdges(),
        traces,
        textSimilarity);
  }

  /** Topic slices of bot_share (--max-topics). */
  public int maxTopics() {
    return nonNegative(MAX_TOPICS, String.valueOf(io.chorus.estimate.BotShareEstimator.DEFAULT_MAX_TOPICS));
  }

  int nonNegative(String flag, String dflt) {
    String v = flags.getOrDefault(flag, dflt);
    try {
      int k = Integer.parseInt(v.trim());
      if (k >= 0) {
        return k;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ChorusException("--" + flag + " must be a whole number 0 or more (got '" + v + "'). Fix: e.g. --" + flag + " " + dflt + ".");
  }

  /** Inner cross-validation folds of training (--cv-folds). */
  public int cvFolds() {
    return nonNegative(CV_FOLDS, String.valueOf(io.chorus.model.BotModel.CV_FOLDS));
  }

  /** The same config reading from other roots (a pipeline's later stages read its output). */
  public JobConfig withInputs(List<String> roots, List<String> labelPaths, List<String> watchlistPaths) {
    return new JobConfig(roots, output, runDate, model, labelPaths, List.of(), watchlistPaths, format, report, bootstrap, minSupport, seed,
        coordination, flags, pseudonymize);
  }

  /** The same config writing under another root (the pipeline's private working root when pseudonymizing). */
  public JobConfig withOutput(String root) {
    return new JobConfig(inputs, root, runDate, model, labels, accounts, watchlist, format, report, bootstrap, minSupport, seed, coordination,
        flags, pseudonymize);
  }

  /** Tables named {@code table} under each input root, unless an explicit list was given. */
  public List<String> tablePaths(List<String> explicit, String table) {
    if (!explicit.isEmpty()) {
      return explicit;
    }
    return inputs.stream().map(r -> r + "/" + table).toList();
  }
}
