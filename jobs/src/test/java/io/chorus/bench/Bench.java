package io.chorus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chorus.ChildProcesses;
import io.chorus.spark.ShufflePartitions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.chorus.features.FeatureCalc;

/**
 * The benchmark behind scripts/bench.sh: for each archive size, side by side in one run, the Chorus
 * pipeline (every stage timed from its progress line, peak RSS of the JVM that is driver and
 * executors in local mode), a bare Spark scan of the columns the pipeline needs (the I/O floor), and
 * DuckDB in-process computing the same per-account behaviour aggregates and daily topic aggregates
 * on the same Parquet files. Medians over the measured runs after one warm-up. Writes
 * bench/results/&lt;date&gt;.json and bench/README.md.
 */
public final class Bench {
  static final String RUN_DATE = "2024-03-15";
  static final Pattern STAGE = Pattern.compile(
      "chorus \\| (\\S+)\\s*\\| done in ([\\d.]+) s \\| rows in ([\\d,]+) \\| rows out ([\\d,]+)(?: \\| peak RSS ([\\d,]+) MiB)?");
  static final Duration TIMEOUT = Duration.ofHours(3);

  /**
   * {@code warmups} is 0 or 1; {@code eventLog}, when set, is where every child JVM writes its Spark event log;
   * {@code shufflePartitions} 0 leaves the count to Chorus, which sizes it to the posts (ShufflePartitions).
   */
  record Options(List<Long> sizes, int runs, int warmups, Path cache, Path results, String heap, int shufflePartitions, Path ira, int iraRuns,
      Path eventLog, Path reuseModel) {}

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("scan")) {
      BareScan.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("prevalence")) {
      PrevalenceEval.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("coordination")) {
      CoordinationEval.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("pagerank")) {
      PageRankScale.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("features")) {
      FeaturesBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("readme")) {
      // readme: re-renders bench/README.md from the newest results files
      writeReadme(Path.of("bench"), null, null);
      return;
    }
    if (args.length > 0 && args[0].equals("duckdb")) {
      // duckdb <ingest output> <features output> <work dir> [runs]: DuckDB's features and topics on a finished run, and their agreement
      Path in = Path.of(args[1]);
      int runs = args.length > 4 ? Integer.parseInt(args[4]) : 1;
      for (int i = 0; i < runs; i++) {
        DuckDbBaseline.run(in.resolve("posts/run_date=" + RUN_DATE), in.resolve("accounts/run_date=" + RUN_DATE), Path.of(args[3]));
      }
      DuckDbBaseline.agreement(Path.of(args[2]).resolve("account_features/run_date=" + RUN_DATE), Path.of(args[3]));
      return;
    }
    if (args.length > 0 && args[0].equals("classifier")) {
      ClassifierEval.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Options o = parse(args);
    if (o.eventLog() != null) {
      Files.createDirectories(o.eventLog());  // Spark refuses a missing event log directory
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    report.put("method", Map.of("runs", o.runs(), "warmup", o.warmups(), "statistic", "median", "heap", o.heap(), "master", "local[2]",
        "shuffle_partitions", partitionsMethod(o), "duckdb_memory_limit", Bench.DuckDbBaseline.DUCKDB_MEMORY));
    // Sizes measured earlier the same day and not re-run now are kept, each with its own runs and warm-ups.
    Path today = o.results().resolve("results").resolve(report.get("date") + ".json");
    Map<String, Object> earlier = Files.exists(today) ? readJson(today) : Map.of();
    List<Map<String, Object>> sizes = keptSizes(earlier, o.sizes());
    if (earlier.get("ira") != null && o.ira() == null) {
      report.put("ira", earlier.get("ira"));
    }
    for (long posts : o.sizes()) {
      sizes.add(benchSize(o, posts));
      sizes.sort(java.util.Comparator.comparingLong(x -> ((Number) x.get("posts_target")).longValue()));
      report.put("sizes", sizes);
      write(o, report);
    }
    report.put("scaling", Scaling.of(sizes));
    if (o.ira() != null && Files.isDirectory(o.ira())) {
      report.put("ira", Ira.run(o, sizes.isEmpty() ? null : (String) sizes.get(0).get("model")));
    }
    write(o, report);
  }

  static Options parse(String[] args) {
    List<Long> sizes = List.of(1_000_000L);
    int runs = 3;
    int warmups = 1;
    Path eventLog = null;
    Path reuseModel = null;
    Path cache = Path.of("bench/cache");
    Path results = Path.of("bench");
    String heap = "3g";
    int partitions = 0;
    Path ira = null;
    int iraRuns = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" -> sizes = java.util.Arrays.stream(args[++i].split(",")).map(Bench::size).toList();
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--warmups" -> warmups = Integer.parseInt(args[++i]);
        case "--event-log" -> eventLog = Path.of(args[++i]).toAbsolutePath();
        case "--reuse-model" -> reuseModel = Path.of(args[++i]).toAbsolutePath();
        case "--cache" -> cache = Path.of(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--heap" -> heap = args[++i];
        case "--shuffle-partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--ira" -> ira = Path.of(args[++i]);
        case "--ira-runs" -> iraRuns = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown bench flag " + args[i]
            + " (known: --sizes 1M,10M,30M --runs 3 --warmups 1 --event-log DIR --reuse-model DIR --cache DIR --results DIR --heap 3g --shuffle-partitions N (default: sized by Chorus) --ira DIR --ira-runs 1)");
      }
    }
    if (warmups < 0 || warmups > 1 || runs < 1) {
      throw new IllegalArgumentException("--runs must be at least 1 and --warmups 0 or 1 (got --runs " + runs + " --warmups " + warmups + ")");
    }
    return new Options(sizes, runs, warmups, cache, results, heap, partitions, ira, iraRuns, eventLog, reuseModel);
  }

  static long size(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    long mult = t.endsWith("M") ? 1_000_000L : t.endsWith("K") ? 1_000L : 1L;
    return Math.round(Double.parseDouble(t.replaceAll("[MK]$", "")) * mult);
  }

  static String label(long posts) {
    return posts % 1_000_000 == 0 ? posts / 1_000_000 + "M" : posts % 1000 == 0 ? posts / 1000 + "K" : String.valueOf(posts);
  }

  static Map<String, String> sparkProps(Options o) {
    Map<String, String> p = new LinkedHashMap<>(Map.of("spark.master", "local[2]", "spark.ui.enabled", "false",
        "spark.driver.host", "127.0.0.1", "spark.ui.showConsoleProgress", "false"));
    if (o.shufflePartitions() > 0) {
      p.put(ShufflePartitions.KEY, String.valueOf(o.shufflePartitions()));
    }
    if (o.eventLog() != null) {
      p.put("spark.eventLog.enabled", "true");
      p.put("spark.eventLog.dir", o.eventLog().toUri().toString());
    }
    return p;
  }

  /** The method's shuffle partitions: the count given, or how Chorus sizes them. */
  static Object partitionsMethod(Options o) {
    return o.shufflePartitions() > 0 ? o.shufflePartitions()
        : "sized by Chorus: one per " + (ShufflePartitions.BYTES_PER_PARTITION >> 20) + " MiB of posts input, at least the cores";
  }

  static final Pattern PARTITIONS = Pattern.compile("chorus \\| pipeline\\s*\\| (\\d+) shuffle partitions");

  /** The shuffle partitions a pipeline run printed it chose, or null when the count was given. */
  static Integer partitionsChosen(String output) {
    Matcher m = PARTITIONS.matcher(output);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  /** One child JVM run: wall seconds, exit, output, and the JVM's peak RSS sampled from /proc. */
  record ProcessRun(double seconds, int exit, String output, long peakRssMib) {}

  static ProcessRun child(Options o, String mainClass, String... args) throws Exception {
    long t0 = System.nanoTime();
    ChildProcesses.Running r = ChildProcesses.start(Map.of(), sparkProps(o), o.heap(), mainClass, args);
    long peak = 0;
    while (r.process().isAlive()) {
      peak = Math.max(peak, Machine.rssMib(r.process().pid()));
      Thread.sleep(250);
    }
    ChildProcesses.Result res = r.await(TIMEOUT);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (res.exit() != 0) {
      throw new IllegalStateException(mainClass + " " + String.join(" ", args) + " failed:\n" + res.output());
    }
    return new ProcessRun(seconds, res.exit(), res.output(), peak);
  }

  static ProcessRun chorus(Options o, String... args) throws Exception {
    return child(o, "io.chorus.Chorus", args);
  }

  /** Stage name -> [seconds, rows in, rows out, peak RSS MiB] from the progress lines. */
  static Map<String, double[]> stages(String output) {
    Map<String, double[]> m = new LinkedHashMap<>();
    Matcher x = STAGE.matcher(output);
    while (x.find()) {
      m.put(x.group(1), new double[] {Double.parseDouble(x.group(2)), Double.parseDouble(x.group(3).replace(",", "")),
          Double.parseDouble(x.group(4).replace(",", "")), x.group(5) == null ? 0 : Double.parseDouble(x.group(5).replace(",", ""))});
    }
    return m;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    int n = s.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static Path archive(Options o, long posts) throws Exception {
    Path dir = o.cache().resolve("archive-" + label(posts)).toAbsolutePath();
    if (!Files.exists(dir.resolve("posts/_SUCCESS"))) {
      long accounts = Math.max(1000, posts * 2 / 25);  // 12.5 posts per account, as the default sample
      System.err.printf(Locale.ROOT, "bench | generating %s posts, %s accounts into %s%n", label(posts), accounts, dir);
      chorus(o, "generate", "--accounts", String.valueOf(accounts), "--posts", String.valueOf(posts), "--output", dir.toString(), "--quiet");
    }
    return dir;
  }

  /**
   * The sizes of an earlier results file of the same day that this run does not measure again. Those
   * without their own "runs" and "warmups" take them from that file's method.
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> keptSizes(Map<String, Object> earlier, List<Long> rerun) {
    List<Map<String, Object>> kept = new ArrayList<>();
    Map<String, Object> m = (Map<String, Object>) earlier.getOrDefault("method", Map.of());
    for (Map<String, Object> s : (List<Map<String, Object>>) earlier.getOrDefault("sizes", List.of())) {
      if (!rerun.contains(((Number) s.get("posts_target")).longValue())) {
        Map<String, Object> c = new LinkedHashMap<>(s);
        c.putIfAbsent("runs", m.get("runs"));
        c.putIfAbsent("warmups", m.get("warmup"));
        c.putIfAbsent("duckdb_memory_limit", m.getOrDefault("duckdb_memory_limit", "3GB"));
        kept.add(c);
      }
    }
    return kept;
  }

  static Map<String, Object> benchSize(Options o, long posts) throws Exception {
    Path archive = archive(o, posts);
    Path out = o.cache().resolve("out-" + label(posts)).toAbsolutePath();
    Rounds rounds = new Rounds();
    // The size's result: DuckDB's agreement and any failure go in as the rounds run, the medians after.
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("posts_target", posts);
    r.put("duckdb_features_agreement", Map.of());
    for (int round = 1 - o.warmups(); round <= o.runs(); round++) {
      boolean warmup = round == 0;
      System.err.printf(Locale.ROOT, "bench | %s | %s%n", label(posts), warmup ? "warm-up" : "run " + round + " of " + o.runs());
      List<String> pipelineArgs = new ArrayList<>(List.of("pipeline", "--input", archive.toString(), "--output", out.toString(), "--run-date", RUN_DATE));
      if (o.reuseModel() != null) {
        // Score with a model trained earlier: training is outside the targets and grows with the labeled set.
        pipelineArgs.addAll(List.of("--model", o.reuseModel().toString(), "--reuse-model"));
      }
      ProcessRun p = chorus(o, pipelineArgs.toArray(String[]::new));
      Path keptPosts = out.resolve("posts/run_date=" + RUN_DATE);
      ProcessRun s = child(o, Bench.class.getName(), "scan", keptPosts.toString());
      Path duckWork = o.cache().resolve("duckdb-" + label(posts)).toAbsolutePath();
      double[] duck = DuckDbBaseline.attempt(keptPosts, out.resolve("accounts/run_date=" + RUN_DATE), duckWork, label(posts), r);
      if (round == 1 - o.warmups() && duck != null) {
        // The first round's outputs (the warm-up's, or the only run's) are compared column by column.
        r.put("duckdb_features_agreement", DuckDbBaseline.agreement(out.resolve("account_features/run_date=" + RUN_DATE), duckWork));
      }
      if (!warmup) {
        rounds.add(p, s.seconds(), duck);
      }
      r.put("shuffle_partitions", o.shufflePartitions() > 0 ? Integer.valueOf(o.shufflePartitions()) : partitionsChosen(p.output()));
    }
    r.put("runs", o.runs());
    r.put("warmups", o.warmups());
    r.put("duckdb_memory_limit", DuckDbBaseline.DUCKDB_MEMORY);
    r.put("archive", archive.toString());
    r.put("model", o.reuseModel() != null ? o.reuseModel().toString() : out.resolve("_model/run_date=" + RUN_DATE).toString());
    r.put("model_reused", o.reuseModel() != null);
    r.putAll(rounds.summary());
    return r;
  }

  /** A median as a JSON number, or null when nothing was measured (NaN is not JSON). */
  static Double medianOrNull(List<Double> xs) {
    double m = median(xs);
    return Double.isNaN(m) ? null : m;
  }

  /** The measured rounds of one size (warm-ups excluded) and their medians. */
  static final class Rounds {
    final Map<String, List<Double>> stageSeconds = new LinkedHashMap<>();
    final Map<String, Double> stagePeak = new LinkedHashMap<>();
    final List<Double> pipeline = new ArrayList<>();
    final List<Double> pipelineNoTrain = new ArrayList<>();
    final List<Double> scan = new ArrayList<>();
    final List<Double> duckFeatures = new ArrayList<>();
    final List<Double> duckTopics = new ArrayList<>();
    long pipelinePeak;
    long postsKept;

    /** One round: the pipeline process, the bare scan's seconds, and DuckDB's [features, topics] seconds or null when it failed. */
    void add(ProcessRun p, double scanSeconds, double[] duck) {
      Map<String, double[]> st = stages(p.output());
      postsKept = (long) st.getOrDefault("ingest", new double[] {0, 0, 0, 0})[2];
      pipeline.add(p.seconds());
      pipelineNoTrain.add(p.seconds() - st.getOrDefault("train", new double[1])[0]);
      pipelinePeak = Math.max(pipelinePeak, p.peakRssMib());
      st.forEach((k, v) -> {
        stageSeconds.computeIfAbsent(k, x -> new ArrayList<>()).add(v[0]);
        stagePeak.merge(k, v[3], Math::max);
      });
      scan.add(scanSeconds);
      if (duck != null) {
        duckFeatures.add(duck[0]);
        duckTopics.add(duck[1]);
      }
    }

    /** Medians and ratios; DuckDB's figures and the ratio to them are null when DuckDB never finished. */
    Map<String, Object> summary() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("posts", postsKept);
      Map<String, Object> stagesOut = new LinkedHashMap<>();
      long kept = postsKept;
      stageSeconds.forEach((k, v) -> stagesOut.put(k, Map.of("seconds", median(v), "runs", v, "posts_per_second", kept / median(v),
          "peak_rss_mib", stagePeak.get(k))));
      r.put("stages", stagesOut);
      r.put("pipeline_seconds", median(pipeline));
      r.put("pipeline_runs", pipeline);
      r.put("pipeline_posts_per_second", postsKept / median(pipeline));
      r.put("pipeline_without_train_seconds", median(pipelineNoTrain));
      r.put("pipeline_without_train_posts_per_second", postsKept / median(pipelineNoTrain));
      r.put("driver_peak_rss_mib", pipelinePeak);
      r.put("bare_scan_seconds", median(scan));
      Double duck = medianOrNull(duckFeatures);
      r.put("duckdb_features_seconds", duck);
      r.put("duckdb_topics_seconds", medianOrNull(duckTopics));
      r.put("ratio_features_to_duckdb", duck == null ? null : median(stageSeconds.getOrDefault("features", List.of())) / duck);
      r.put("ratio_pipeline_to_bare_scan", median(pipeline) / median(scan));
      return r;
    }
  }

  /** Writes bench/results/&lt;prefix&gt;-&lt;date&gt;.json. */
  static void writeResult(String prefix, Map<String, Object> report) throws Exception {
    Path results = Path.of("bench/results");
    Files.createDirectories(results);
    Path f = results.resolve(prefix + "-" + LocalDate.now() + ".json");
    new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValue(f.toFile(), report);
    System.err.println(prefix + " | wrote " + f);
  }

  static void write(Options o, Map<String, Object> report) throws Exception {
    Files.createDirectories(o.results().resolve("results"));
    Path json = o.results().resolve("results").resolve(report.get("date") + ".json");
    Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
    System.err.println("bench | wrote " + json);
    writeReadme(o.results(), report, json.getFileName().toString());
  }

  /** The newest bench/results file whose name matches, or null: dates in the names sort as text. */
  static Path newest(Path resultsDir, String nameRegex) throws java.io.IOException {
    if (!Files.isDirectory(resultsDir)) {
      return null;
    }
    try (var files = Files.list(resultsDir)) {
      return files.filter(f -> f.getFileName().toString().matches(nameRegex)).max(java.util.Comparator.comparing(f -> f.getFileName().toString())).orElse(null);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readJson(Path f) throws java.io.IOException {
    return new ObjectMapper().readValue(f.toFile(), LinkedHashMap.class);
  }

  /**
   * Renders bench/README.md from the given whole-pipeline report (or, when null, the newest
   * bench/results/&lt;date&gt;.json) and the newest features-alone results, if any.
   */
  static void writeReadme(Path benchDir, Map<String, Object> report, String jsonName) throws java.io.IOException {
    Path dir = benchDir.resolve("results");
    if (report == null) {
      Path main = newest(dir, "\\d{4}-\\d{2}-\\d{2}\\.json");
      if (main == null) {
        return;
      }
      report = readJson(main);
      jsonName = main.getFileName().toString();
    }
    Path features = newest(dir, "features-\\d{4}-\\d{2}-\\d{2}\\.json");
    String md = BenchReadme.render(report, jsonName) + (features == null ? "" : BenchReadme.renderFeatures(readJson(features), features.getFileName().toString()));
    Files.writeString(benchDir.resolve("README.md"), md, StandardCharsets.UTF_8);
  }

  /** DuckDB in-process on the pipeline's ingested posts: the features' behaviour aggregates and the daily topic aggregates. */
  public static final class DuckDbBaseline {
    /** DuckDB's memory limit; its process's peak RSS is reported beside its times. */
    static final String DUCKDB_MEMORY = "8GB";

    private DuckDbBaseline() {}

    /** Seconds for [features, topics], each written to Parquet like the Chorus stages. */
    public static double[] run(Path posts, Path accounts, Path work) throws Exception {
      Files.createDirectories(work);
      String src = "read_parquet('" + posts + "/*.parquet')";
      String acc = accounts != null && Files.isDirectory(accounts) ? "read_parquet('" + accounts + "/*.parquet')" : null;
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
        s.execute("SET threads = 2");
        // With 3 GB (the Spark side's heap) DuckDB 1.4 fails the 10M-post features query with "Out of
        // Memory" (or an internal error), with or without the settings below; it gets 8 GB instead.
        s.execute("SET memory_limit = '" + DUCKDB_MEMORY + "'");
        s.execute("SET preserve_insertion_order = false");
        s.execute("SET temp_directory = '" + work.resolve("tmp") + "'");
        long t0 = System.nanoTime();
        s.execute("COPY (" + featuresSql(src, acc) + ") TO '" + work.resolve("features.parquet") + "' (FORMAT PARQUET)");
        double features = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        s.execute("COPY (" + topicsSql(src) + ") TO '" + work.resolve("topics.parquet") + "' (FORMAT PARQUET)");
        double topics = (System.nanoTime() - t0) / 1e9;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + work.resolve("features.parquet") + "')")) {
          rs.next();
          System.err.printf(Locale.ROOT, "bench | duckdb features %.1f s (%,d accounts), topics %.1f s%n", features, rs.getLong(1), topics);
        }
        return new double[] {features, topics};
      }
    }

    /**
     * {@link #run}, or null after recording DuckDB's failure as "duckdb_error" in {@code result}. DuckDB
     * runs out of memory at sizes where Chorus still completes (30M posts with 8 GB); that must not cost
     * the figures measured beside it. Once failed at a size it is not tried again there.
     */
    static double[] attempt(Path posts, Path accounts, Path work, String size, Map<String, Object> result) throws Exception {
      if (result.containsKey("duckdb_error")) {
        return null;
      }
      try {
        return run(posts, accounts, work);
      } catch (java.sql.SQLException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
        System.err.println("bench | duckdb " + size + " failed, recorded in the results: " + reason);
        result.put("duckdb_error", reason);
        return null;
      }
    }

    /** Shannon entropy in bits of the histogram columns prefix0..prefix(n-1) over total, as FeatureCalc.entropy. */
    static String entropySql(String prefix, int n, String total) {
      StringBuilder b = new StringBuilder("(0");
      for (int i = 0; i < n; i++) {
        b.append(String.format(Locale.ROOT, " - CASE WHEN %1$s%2$d > 0 THEN (%1$s%2$d / %3$s) * log2(%1$s%2$d / %3$s) ELSE 0 END", prefix, i, total));
      }
      return b.append(')').toString();
    }

    /**
     * Every column of FeatureCalc.compute, in DuckDB SQL: the behaviour aggregates (hour and gap
     * histograms, night window, exact and near-duplicate texts, fast reposts via the parent join,
     * per-minute bursts), the profile features of the latest snapshot with the screen-name bigram
     * likelihood, and the full outer join of the two. Bench checks the result against the features
     * stage's table, so both sides compute the same thing.
     */
    static String featuresSql(String postsSrc, String accountsSrc) {
      StringBuilder hours = new StringBuilder();
      for (int h = 0; h < 24; h++) {
        hours.append(String.format(Locale.ROOT, ", sum(CASE WHEN hr = %d THEN 1.0 ELSE 0.0 END) AS h%d", h, h));
      }
      StringBuilder gaps = new StringBuilder();
      for (int g = 0; g < FeatureCalc.GAP_BINS; g++) {
        gaps.append(String.format(Locale.ROOT, ", sum(CASE WHEN gb = %d THEN 1.0 ELSE 0.0 END) AS g%d", g, g));
      }
      StringBuilder night = new StringBuilder("least(");
      for (int start = 0; start < 24; start++) {
        night.append(start == 0 ? "" : ", ").append('(');
        for (int k = 0; k < FeatureCalc.NIGHT_HOURS; k++) {
          night.append(k == 0 ? "" : " + ").append('h').append((start + k) % 24);
        }
        night.append(')');
      }
      night.append(')');
      String near = "regexp_replace(regexp_replace(lower(coalesce(text, '')), 'https?://\\S+|@\\w+', '', 'g'), '[^\\p{L}]+', '', 'g')";
      String behaviour = "WITH p AS (SELECT post_id, platform, account_id, created_at, kind, parent_post_id, source,"
          // Narrowed before the window and the join, as FeatureCalc's per-account tables are: 64-bit
          // text hashes and list sizes, not the texts and lists.
          + "   coalesce(len(urls), 0) AS n_urls, coalesce(len(hashtags), 0) AS n_hashtags, coalesce(len(mentions), 0) AS n_mentions,"
          + "   CASE WHEN kind <> 'repost' THEN hash(coalesce(text, '')) END AS text_hash,"
          + "   CASE WHEN kind <> 'repost' THEN hash(" + near + ") END AS near_hash FROM " + postsSrc + "),"
          + " parents AS (SELECT platform AS pp, post_id AS pid, created_at AS parent_ts FROM p),"
          + " e AS (SELECT p.*, parent_ts, hour(created_at) AS hr,"
          + "   epoch(created_at) - lag(epoch(created_at)) OVER (PARTITION BY platform, account_id ORDER BY created_at, post_id) AS gap"
          + "   FROM p LEFT JOIN parents ON p.platform = parents.pp AND p.parent_post_id = parents.pid),"
          + " eb AS (SELECT *, CASE WHEN gap IS NOT NULL THEN least(" + (FeatureCalc.GAP_BINS - 1) + ", floor(log2(greatest(gap, 1)))) END AS gb FROM e),"
          + " agg AS (SELECT platform, account_id, count(*)::DOUBLE AS posts, min(created_at) AS first_at, max(created_at) AS last_at,"
          + "   avg(CASE WHEN kind = 'repost' THEN 1.0 ELSE 0.0 END) AS repost_share,"
          + "   avg(CASE WHEN kind = 'reply' THEN 1.0 ELSE 0.0 END) AS reply_share,"
          + "   avg(CASE WHEN kind = 'quote' THEN 1.0 ELSE 0.0 END) AS quote_share,"
          + "   avg(n_urls) AS urls_per_post, avg(n_hashtags) AS hashtags_per_post,"
          + "   avg(n_mentions) AS mentions_per_post, count(DISTINCT source)::DOUBLE AS distinct_sources,"
          + "   avg(gap) AS gap_mean, stddev_pop(gap) AS gap_sd, count(gap) AS gaps,"
          + "   sum(CASE WHEN kind <> 'repost' THEN 1.0 ELSE 0.0 END) AS own,"
          + "   count(DISTINCT text_hash) AS own_distinct, count(DISTINCT near_hash) AS own_near_distinct,"
          + "   sum(CASE WHEN kind = 'repost' AND parent_ts IS NOT NULL THEN 1.0 ELSE 0.0 END) AS timed,"
          + "   sum(CASE WHEN kind = 'repost' AND epoch(created_at) - epoch(parent_ts) <= " + FeatureCalc.FAST_REPOST_SECONDS + " THEN 1.0 ELSE 0.0 END) AS fast"
          + hours + gaps + " FROM eb GROUP BY platform, account_id),"
          + " bursts AS (SELECT platform, account_id, max(c)::DOUBLE AS max_posts_per_minute FROM"
          + "   (SELECT platform, account_id, date_trunc('minute', created_at) AS m, count(*) AS c FROM p GROUP BY ALL) GROUP BY ALL),"
          + " behaviour AS (SELECT account_id, platform, 1.0 AS has_posts, posts,"
          + "   posts / greatest(1.0, (epoch(last_at) - epoch(first_at)) / 86400.0) AS posts_per_day,"
          + "   repost_share, reply_share, quote_share, urls_per_post, hashtags_per_post, mentions_per_post, distinct_sources,"
          + "   " + entropySql("h", 24, "posts") + " AS hour_entropy,"
          + "   CASE WHEN gaps >= 2 AND gap_mean > 0 THEN gap_sd / gap_mean END AS interpost_cv,"
          + "   CASE WHEN gaps >= 2 THEN " + entropySql("g", FeatureCalc.GAP_BINS, "gaps") + " END AS interpost_entropy,"
          + "   CASE WHEN posts >= " + FeatureCalc.NIGHT_MIN_POSTS + " THEN " + night + " / posts END AS night_share,"
          + "   CASE WHEN own > 0 THEN 1 - own_distinct / own END AS duplicate_text_share,"
          + "   CASE WHEN own > 0 THEN 1 - own_near_distinct / own END AS near_duplicate_text_share,"
          + "   CASE WHEN timed > 0 THEN fast / timed END AS fast_repost_share, max_posts_per_minute"
          + " FROM agg JOIN bursts USING (platform, account_id))";
      if (accountsSrc == null) {
        return behaviour + " SELECT * FROM behaviour";
      }
      String digits = "length(regexp_replace(coalesce(%s, ''), '[^0-9]', '', 'g'))::DOUBLE";
      String age = "greatest(1.0, (epoch(observed_at) - epoch(account_created_at)) / 86400.0)";
      return behaviour
          + ", latest AS (SELECT * FROM " + accountsSrc + " QUALIFY row_number() OVER (PARTITION BY platform, account_id ORDER BY observed_at DESC) = 1),"
          + " grams AS (SELECT platform, account_id, substring(f, i, 2) AS bg FROM"
          + "   (SELECT platform, account_id, '^' || lower(screen_name) || '$' AS f FROM latest WHERE length(screen_name) > 0),"
          + "   LATERAL (SELECT unnest(generate_series(1, length(f) - 1)) AS i)),"
          + " counts AS (SELECT bg, count(*)::DOUBLE AS n FROM grams GROUP BY bg),"
          + " logp AS (SELECT bg, ln((n + 1) / (SELECT sum(n) + " + FeatureCalc.BIGRAM_VOCABULARY + " FROM counts)) AS lp FROM counts),"
          + " likelihood AS (SELECT platform, account_id, exp(avg(lp)) AS screen_name_likelihood FROM grams JOIN logp USING (bg) GROUP BY ALL),"
          + " profile AS (SELECT account_id, platform, 1.0 AS has_profile, followers_count::DOUBLE AS followers_count, friends_count::DOUBLE AS friends_count,"
          + "   statuses_count::DOUBLE AS statuses_count, favourites_count::DOUBLE AS favourites_count, listed_count::DOUBLE AS listed_count,"
          + "   verified::DOUBLE AS verified, default_profile::DOUBLE AS default_profile, default_profile_image::DOUBLE AS default_profile_image,"
          + "   profile_use_background_image::DOUBLE AS profile_use_background_image, " + age + " AS account_age_days,"
          + "   followers_count / " + age + " AS followers_growth, friends_count / " + age + " AS friends_growth,"
          + "   statuses_count / " + age + " AS statuses_growth, favourites_count / " + age + " AS favourites_growth,"
          + "   listed_count / " + age + " AS listed_growth, followers_count / greatest(friends_count::DOUBLE, 1.0) AS followers_friends_ratio,"
          + "   coalesce(length(screen_name), screen_name_length)::DOUBLE AS screen_name_length, " + String.format(digits, "screen_name") + " AS screen_name_digits,"
          + "   screen_name_likelihood, length(display_name)::DOUBLE AS display_name_length, " + String.format(digits, "display_name") + " AS display_name_digits,"
          + "   coalesce(length(description), description_length, 0)::DOUBLE AS description_length, has_url::DOUBLE AS has_url,"
          + "   geo_enabled::DOUBLE AS geo_enabled, has_banner::DOUBLE AS has_banner, (length(trim(location)) > 0)::DOUBLE AS has_location"
          + "   FROM latest LEFT JOIN likelihood USING (platform, account_id))"
          + " SELECT coalesce(profile.account_id, behaviour.account_id) AS account_id, coalesce(profile.platform, behaviour.platform) AS platform,"
          + "   coalesce(has_profile, 0.0) AS has_profile, coalesce(has_posts, 0.0) AS has_posts,"
          + "   profile.* EXCLUDE (account_id, platform, has_profile), behaviour.* EXCLUDE (account_id, platform, has_posts)"
          + " FROM profile FULL OUTER JOIN behaviour ON profile.platform = behaviour.platform AND profile.account_id = behaviour.account_id";
    }

    /**
     * How far DuckDB's features are from the features stage's table, per column: the largest
     * absolute difference, and the accounts where one side is null and the other is not (or the
     * account is missing on one side). Both zero (up to floating-point rounding) means the two
     * computed the same thing.
     */
    public static Map<String, Object> agreement(Path chorusFeatures, Path work) throws Exception {
      Map<String, Object> out = new LinkedHashMap<>();
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
        s.execute("SET threads = 2");
        StringBuilder q = new StringBuilder("SELECT count(*) AS accounts, count(*) FILTER (WHERE a.account_id IS NULL OR b.account_id IS NULL) AS unmatched");
        for (String f : io.chorus.schema.AccountFeatures.FEATURE_COLUMNS) {
          q.append(String.format(Locale.ROOT, ", max(abs(a.%1$s - b.%1$s)) AS d_%1$s, count(*) FILTER (WHERE (a.%1$s IS NULL) <> (b.%1$s IS NULL)) AS n_%1$s", f));
        }
        q.append(" FROM read_parquet('").append(chorusFeatures).append("/*.parquet') a FULL OUTER JOIN read_parquet('").append(work.resolve("features.parquet"))
            .append("') b ON a.platform = b.platform AND a.account_id = b.account_id");
        try (ResultSet rs = s.executeQuery(q.toString())) {
          rs.next();
          out.put("accounts", rs.getLong("accounts"));
          out.put("unmatched_accounts", rs.getLong("unmatched"));
          double worst = 0;
          String worstColumn = null;
          long nullMismatches = 0;
          for (String f : io.chorus.schema.AccountFeatures.FEATURE_COLUMNS) {
            double d = rs.getDouble("d_" + f);
            long n = rs.getLong("n_" + f);
            nullMismatches += n;
            if (n > 0) {
              out.put("null_mismatch_" + f, n);
            }
            if (d > worst) {
              worst = d;
              worstColumn = f;
            }
          }
          out.put("max_abs_difference", worst);
          out.put("max_abs_difference_column", worstColumn);
          out.put("null_mismatches", nullMismatches);
        }
      }
      System.err.println("bench | duckdb features against the features stage: " + out);
      return out;
    }

    /** Posts and unique accounts per hashtag per UTC day (the counting part of topic_influence). */
    static String topicsSql(String src) {
      return "SELECT CAST(created_at AS DATE) AS day, lower(h) AS topic, count(*) AS posts, count(DISTINCT account_id) AS unique_accounts"
          + " FROM (SELECT created_at, account_id, unnest(hashtags) AS h FROM " + src + ") GROUP BY ALL";
    }
  }
}
