package io.chorus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chorus.ChildProcesses;
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

  record Options(List<Long> sizes, int runs, Path cache, Path results, String heap, int shufflePartitions, Path ira, int iraRuns) {}

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
    if (args.length > 0 && args[0].equals("classifier")) {
      ClassifierEval.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Options o = parse(args);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    report.put("method", Map.of("runs", o.runs(), "warmup", 1, "statistic", "median", "heap", o.heap(), "master", "local[2]",
        "shuffle_partitions", o.shufflePartitions()));
    List<Map<String, Object>> sizes = new ArrayList<>();
    for (long posts : o.sizes()) {
      sizes.add(benchSize(o, posts));
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
    Path cache = Path.of("bench/cache");
    Path results = Path.of("bench");
    String heap = "3g";
    int partitions = 8;
    Path ira = null;
    int iraRuns = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" -> sizes = java.util.Arrays.stream(args[++i].split(",")).map(Bench::size).toList();
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--cache" -> cache = Path.of(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--heap" -> heap = args[++i];
        case "--shuffle-partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--ira" -> ira = Path.of(args[++i]);
        case "--ira-runs" -> iraRuns = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown bench flag " + args[i]
            + " (known: --sizes 1M,10M,30M --runs 3 --cache DIR --results DIR --heap 3g --shuffle-partitions 8 --ira DIR --ira-runs 1)");
      }
    }
    return new Options(sizes, runs, cache, results, heap, partitions, ira, iraRuns);
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
    return Map.of("spark.master", "local[2]", "spark.ui.enabled", "false", "spark.sql.shuffle.partitions", String.valueOf(o.shufflePartitions()),
        "spark.driver.host", "127.0.0.1", "spark.ui.showConsoleProgress", "false");
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

  static Map<String, Object> benchSize(Options o, long posts) throws Exception {
    Path archive = archive(o, posts);
    Path out = o.cache().resolve("out-" + label(posts)).toAbsolutePath();
    Map<String, List<Double>> stageSeconds = new LinkedHashMap<>();
    Map<String, Double> stagePeak = new LinkedHashMap<>();
    List<Double> pipeline = new ArrayList<>();
    List<Double> pipelineNoTrain = new ArrayList<>();
    List<Double> scan = new ArrayList<>();
    List<Double> duckFeatures = new ArrayList<>();
    List<Double> duckTopics = new ArrayList<>();
    long pipelinePeak = 0;
    long postsKept = 0;
    for (int run = 0; run <= o.runs(); run++) {
      boolean warmup = run == 0;
      System.err.printf(Locale.ROOT, "bench | %s | %s%n", label(posts), warmup ? "warm-up" : "run " + run + " of " + o.runs());
      ProcessRun p = chorus(o, "pipeline", "--input", archive.toString(), "--output", out.toString(), "--run-date", RUN_DATE);
      Map<String, double[]> st = stages(p.output());
      Path keptPosts = out.resolve("posts/run_date=" + RUN_DATE);
      ProcessRun s = child(o, Bench.class.getName(), "scan", keptPosts.toString());
      double[] duck = DuckDbBaseline.run(keptPosts, o.cache().resolve("duckdb-" + label(posts)).toAbsolutePath());
      if (warmup) {
        continue;
      }
      postsKept = (long) st.getOrDefault("ingest", new double[] {0, 0, 0, 0})[2];
      pipeline.add(p.seconds());
      pipelineNoTrain.add(p.seconds() - st.getOrDefault("train", new double[1])[0]);
      pipelinePeak = Math.max(pipelinePeak, p.peakRssMib());
      st.forEach((k, v) -> {
        stageSeconds.computeIfAbsent(k, x -> new ArrayList<>()).add(v[0]);
        stagePeak.merge(k, v[3], Math::max);
      });
      scan.add(s.seconds());
      duckFeatures.add(duck[0]);
      duckTopics.add(duck[1]);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("posts_target", posts);
    r.put("posts", postsKept);
    r.put("archive", archive.toString());
    r.put("model", out.resolve("_model/run_date=" + RUN_DATE).toString());
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
    r.put("duckdb_features_seconds", median(duckFeatures));
    r.put("duckdb_topics_seconds", median(duckTopics));
    double features = median(stageSeconds.getOrDefault("features", List.of()));
    r.put("ratio_features_to_duckdb", features / median(duckFeatures));
    r.put("ratio_pipeline_to_bare_scan", median(pipeline) / median(scan));
    return r;
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
    Files.writeString(o.results().resolve("README.md"), BenchReadme.render(report, json.getFileName().toString()), StandardCharsets.UTF_8);
    System.err.println("bench | wrote " + json);
  }

  /** DuckDB in-process on the pipeline's ingested posts: the features' behaviour aggregates and the daily topic aggregates. */
  static final class DuckDbBaseline {
    private DuckDbBaseline() {}

    /** Seconds for [features, topics], each written to Parquet like the Chorus stages. */
    static double[] run(Path posts, Path work) throws Exception {
      Files.createDirectories(work);
      String src = "read_parquet('" + posts + "/*.parquet')";
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
        s.execute("SET threads = 2");
        s.execute("SET memory_limit = '3GB'");
        s.execute("SET temp_directory = '" + work.resolve("tmp") + "'");
        long t0 = System.nanoTime();
        s.execute("COPY (" + featuresSql(src) + ") TO '" + work.resolve("features.parquet") + "' (FORMAT PARQUET)");
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

    /** The behaviour aggregates of FeatureCalc.behaviourFeatures, in DuckDB SQL. */
    static String featuresSql(String src) {
      StringBuilder hours = new StringBuilder();
      StringBuilder entropy = new StringBuilder("0");
      for (int h = 0; h < 24; h++) {
        hours.append(String.format(Locale.ROOT, ", sum(CASE WHEN hr = %d THEN 1.0 ELSE 0.0 END) AS h%d", h, h));
        entropy.append(String.format(Locale.ROOT, " - CASE WHEN h%d > 0 THEN (h%d / posts) * log2(h%d / posts) ELSE 0 END", h, h, h));
      }
      return "WITH p AS (SELECT post_id, platform, account_id, created_at, kind, parent_post_id, text, urls, hashtags, mentions, source FROM " + src + "),"
          + " parents AS (SELECT platform AS pp, post_id AS pid, created_at AS parent_ts FROM p),"
          + " e AS (SELECT p.*, parent_ts, hour(created_at) AS hr,"
          + "   epoch(created_at) - lag(epoch(created_at)) OVER (PARTITION BY platform, account_id ORDER BY created_at, post_id) AS gap"
          + "   FROM p LEFT JOIN parents ON p.platform = parents.pp AND p.parent_post_id = parents.pid),"
          + " agg AS (SELECT platform, account_id, count(*)::DOUBLE AS posts, min(created_at) AS first_at, max(created_at) AS last_at,"
          + "   avg(CASE WHEN kind = 'repost' THEN 1.0 ELSE 0.0 END) AS repost_share,"
          + "   avg(CASE WHEN kind = 'reply' THEN 1.0 ELSE 0.0 END) AS reply_share,"
          + "   avg(CASE WHEN kind = 'quote' THEN 1.0 ELSE 0.0 END) AS quote_share,"
          + "   avg(coalesce(len(urls), 0)) AS urls_per_post, avg(coalesce(len(hashtags), 0)) AS hashtags_per_post,"
          + "   avg(coalesce(len(mentions), 0)) AS mentions_per_post, count(DISTINCT source)::DOUBLE AS distinct_sources,"
          + "   avg(gap) AS gap_mean, stddev_pop(gap) AS gap_sd, count(gap) AS gaps,"
          + "   sum(CASE WHEN kind <> 'repost' THEN 1.0 ELSE 0.0 END) AS own,"
          + "   count(DISTINCT CASE WHEN kind <> 'repost' THEN hash(coalesce(text, '')) END) AS own_distinct,"
          + "   sum(CASE WHEN kind = 'repost' AND parent_ts IS NOT NULL THEN 1.0 ELSE 0.0 END) AS timed,"
          + "   sum(CASE WHEN kind = 'repost' AND epoch(created_at) - epoch(parent_ts) <= 60 THEN 1.0 ELSE 0.0 END) AS fast"
          + hours + " FROM e GROUP BY platform, account_id),"
          + " bursts AS (SELECT platform, account_id, max(c)::DOUBLE AS max_posts_per_minute FROM"
          + "   (SELECT platform, account_id, date_trunc('minute', created_at) AS m, count(*) AS c FROM p GROUP BY ALL) GROUP BY ALL)"
          + " SELECT account_id, platform, 1.0 AS has_posts, posts,"
          + "   posts / greatest(1.0, (epoch(last_at) - epoch(first_at)) / 86400.0) AS posts_per_day,"
          + "   repost_share, reply_share, quote_share, urls_per_post, hashtags_per_post, mentions_per_post, distinct_sources,"
          + "   " + entropy + " AS hour_entropy,"
          + "   CASE WHEN gaps >= 2 AND gap_mean > 0 THEN gap_sd / gap_mean END AS interpost_cv,"
          + "   CASE WHEN own > 0 THEN 1 - own_distinct / own END AS duplicate_text_share,"
          + "   CASE WHEN timed > 0 THEN fast / timed END AS fast_repost_share, max_posts_per_minute"
          + " FROM agg JOIN bursts USING (platform, account_id)";
    }

    /** Posts and unique accounts per hashtag per UTC day (the counting part of topic_influence). */
    static String topicsSql(String src) {
      return "SELECT CAST(created_at AS DATE) AS day, lower(h) AS topic, count(*) AS posts, count(DISTINCT account_id) AS unique_accounts"
          + " FROM (SELECT created_at, account_id, unnest(hashtags) AS h FROM " + src + ") GROUP BY ALL";
    }
  }
}
