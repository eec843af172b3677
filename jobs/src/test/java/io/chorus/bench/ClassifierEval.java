package io.chorus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classifier's evaluation (issue 4), end to end through the CLI as a user runs it:
 *
 * <ul>
 *   <li>5-fold cross-validation (nested: the whole training procedure per fold) on each labeled set
 *       of ../shared/data/labeled-profiles that has both classes;
 *   <li>leave-one-dataset-out: train on the other sets, evaluate on the one left out;
 *   <li>generator archives with posts: train on one archive's labeled sample (pipeline), score a
 *       second archive with another seed, ROC-AUC over every account and recall per planted kind
 *       (computed with DuckDB from account_scores and the archive's truth table).
 * </ul>
 *
 * Writes bench/results/classifier-&lt;date&gt;.json (docs/classifier-evaluation.md presents it). Run with
 * {@code scripts/bench.sh classifier [--labeled DIR|none] [--accounts 4000 --posts 60000] [--parts generator,cv5,lodo,caverlee-cv5]}.
 */
public final class ClassifierEval {
  static final String RUN_DATE = "2020-01-01";
  /** What one run computes; {@code --parts} picks some (the rest keeps today's earlier figures). */
  static final java.util.Set<String> PARTS = new java.util.LinkedHashSet<>(List.of("generator", "cv5", "lodo", "caverlee-cv5"));

  /** A labeled set: folder, ingest format, extra ingest flags. */
  record LabeledSet(String name, String format, List<String> flags, boolean bothClasses) {}

  static final List<LabeledSet> SETS = List.of(
      new LabeledSet("cresci-2015", "cresci-csv", List.of(), true),
      new LabeledSet("caverlee-2011", "caverlee-tsv", List.of(), true),
      new LabeledSet("twibot22-sample", "twitter-v2", List.of("--observed-at", "2022-02-01"), true),
      new LabeledSet("botwiki-2019", "twitter-v1", List.of(), false));

  private ClassifierEval() {}

  public static void main(String[] args) throws Exception {
    Path labeled = Path.of("../shared/data/labeled-profiles");
    long accounts = 4000;
    long posts = 60_000;
    Path work = Path.of("bench/cache/classifier");
    java.util.Set<String> parts = PARTS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--labeled" -> {
          String v = args[++i];
          labeled = v.equals("none") ? null : Path.of(v);
        }
        case "--accounts" -> accounts = Long.parseLong(args[++i]);
        case "--posts" -> posts = Long.parseLong(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--parts" -> {
          parts = new java.util.LinkedHashSet<>(List.of(args[++i].split(",")));
          if (!PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("--parts takes a comma list of " + PARTS + ", got " + parts);
          }
        }
        default -> throw new IllegalArgumentException(
            "unknown flag " + args[i] + " (known: --labeled DIR|none --accounts N --posts N --work DIR --parts " + String.join(",", PARTS) + ")");
      }
    }
    Bench.Options o = Bench.parse(new String[0]);
    Files.createDirectories(work);
    // Parts not rerun keep their figures from today's earlier report, when there is one.
    Path earlier = Path.of("bench/results/classifier-" + LocalDate.now() + ".json");
    Map<String, Object> report = parts.equals(PARTS) || !Files.exists(earlier) ? new LinkedHashMap<>() : read(earlier);
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    if (parts.contains("generator")) {
      report.put("generator", generator(o, work.toAbsolutePath(), accounts, posts));
      write(report);
    }
    if (labeled != null && Files.isDirectory(labeled)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> real = (Map<String, Object>) report.computeIfAbsent("labeled", k -> new LinkedHashMap<>());
      realSets(o, work.toAbsolutePath(), labeled.toAbsolutePath(), real, parts, () -> write(report));
    } else {
      System.err.println("classifier | ../shared/data/labeled-profiles not found: real labeled sets skipped");
    }
    write(report);
  }

  interface Checkpoint {
    void save() throws Exception;
  }

  /** Fills {@code out} step by step, saving after each: the large sets take a while on 2 cores. */
  @SuppressWarnings("unchecked")
  static void realSets(Bench.Options o, Path work, Path labeled, Map<String, Object> out, java.util.Set<String> parts, Checkpoint checkpoint)
      throws Exception {
    for (LabeledSet s : SETS) {
      Path root = work.resolve(s.name());
      List<String> ingest = new ArrayList<>(List.of("ingest", "--format", s.format(), "--input", labeled.resolve(s.name()).toString(),
          "--output", root.toString(), "--run-date", RUN_DATE, "--quiet"));
      ingest.addAll(s.flags());
      Bench.chorus(o, ingest.toArray(new String[0]));
      Bench.chorus(o, "features", "--input", root.toString(), "--output", root.toString(), "--run-date", RUN_DATE, "--quiet");
    }
    Map<String, Object> cv = (Map<String, Object>) out.computeIfAbsent("cv5", k -> new LinkedHashMap<>());
    // smallest first; caverlee-2011 (41k accounts) after leave-one-dataset-out
    List<LabeledSet> bySize = List.of(SETS.get(2), SETS.get(0));
    for (LabeledSet s : parts.contains("cv5") ? bySize : List.<LabeledSet>of()) {
      cv5(o, work, s, cv);
      checkpoint.save();
    }
    Map<String, Object> lodo = (Map<String, Object>) out.computeIfAbsent("leave_one_dataset_out", k -> new LinkedHashMap<>());
    for (LabeledSet test : parts.contains("lodo") ? SETS : List.<LabeledSet>of()) {
      List<String> trainRoots = SETS.stream().filter(s -> s != test).map(s -> work.resolve(s.name()).toString()).toList();
      Path model = work.resolve("lodo-model-" + test.name());
      Path root = work.resolve(test.name());
      Path report = root.resolve("lodo.json");
      Bench.chorus(o, "train", "--input", String.join(",", trainRoots), "--output", work.resolve("lodo-" + test.name()).toString(),
          "--model", model.toString(), "--run-date", RUN_DATE, "--quiet");
      Map<String, Object> m;
      if (test.bothClasses()) {
        Bench.chorus(o, "evaluate", "--input", root.toString(), "--output", root.toString(), "--model", model.toString(), "--report",
            report.toString(), "--run-date", RUN_DATE, "--quiet");
        m = read(report);
      } else {
        m = detectionRate(o, root, model);
      }
      m.put("trained_on", SETS.stream().filter(s -> s != test).map(LabeledSet::name).toList());
      lodo.put(test.name(), m);
      System.err.printf(Locale.ROOT, "classifier | leave out %s: %s%n", test.name(), brief(m));
      checkpoint.save();
    }
    if (parts.contains("caverlee-cv5")) {
      cv5(o, work, SETS.get(1), cv);
      checkpoint.save();
    }
  }

  /** A set with bots only (botwiki): the share of its labeled bots the model flags, from account_scores. */
  static Map<String, Object> detectionRate(Bench.Options o, Path root, Path model) throws Exception {
    Bench.chorus(o, "score", "--input", root.toString(), "--output", root.toString(), "--model", model.toString(), "--run-date", RUN_DATE, "--quiet");
    Map<String, Object> m = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), avg(CASE WHEN s.is_likely_bot THEN 1.0 ELSE 0.0 END), avg(s.bot_probability) FROM read_parquet('"
            + root.resolve("account_scores/run_date=" + RUN_DATE + "/*.parquet") + "') s JOIN read_parquet('"
            + root.resolve("labels/run_date=" + RUN_DATE + "/*.parquet") + "') l USING (account_id) WHERE l.label = 'bot'")) {
      rs.next();
      m.put("accounts", rs.getLong(1));
      m.put("bots", rs.getLong(1));
      m.put("recall", rs.getDouble(2));
      m.put("mean_probability", rs.getDouble(3));
    }
    return m;
  }

  static void cv5(Bench.Options o, Path work, LabeledSet s, Map<String, Object> cv) throws Exception {
    Path root = work.resolve(s.name());
    Path report = root.resolve("cv5.json");
    Bench.ProcessRun r = Bench.chorus(o, "evaluate", "--input", root.toString(), "--output", root.toString(), "--cv", "5", "--report",
        report.toString(), "--run-date", RUN_DATE, "--quiet");
    Map<String, Object> m = read(report);
    m.put("wall_seconds", r.seconds());
    cv.put(s.name(), m);
    System.err.printf(Locale.ROOT, "classifier | cv5 %s: %s%n", s.name(), brief(m));
  }

  /** Train on archive A (pipeline), score archive B (another seed) with A's model, compare with B's truth. */
  static Map<String, Object> generator(Bench.Options o, Path work, long accounts, long posts) throws Exception {
    String day = "2024-03-15";
    Path a = work.resolve("gen-a");
    Path b = work.resolve("gen-b");
    for (Object[] g : new Object[][] {{a, "101"}, {b, "202"}}) {
      Path dir = (Path) g[0];
      if (!Files.isDirectory(dir.resolve("posts"))) {
        Bench.chorus(o, "generate", "--accounts", String.valueOf(accounts), "--posts", String.valueOf(posts), "--seed", (String) g[1],
            "--output", dir.toString(), "--quiet");
      }
    }
    Path outA = work.resolve("gen-a-out");
    Path outB = work.resolve("gen-b-out");
    Path model = outA.resolve("_model/run_date=" + day);
    Bench.chorus(o, "ingest", "--input", a.toString(), "--output", outA.toString(), "--run-date", day, "--quiet");
    Bench.chorus(o, "features", "--input", outA.toString(), "--output", outA.toString(), "--run-date", day, "--quiet");
    Bench.chorus(o, "train", "--input", outA.toString(), "--labels", a.resolve("labels").toString(), "--output", outA.toString(),
        "--model", model.toString(), "--run-date", day, "--quiet");
    Bench.chorus(o, "ingest", "--input", b.toString(), "--output", outB.toString(), "--run-date", day, "--quiet");
    Bench.chorus(o, "features", "--input", outB.toString(), "--output", outB.toString(), "--run-date", day, "--quiet");
    Bench.chorus(o, "score", "--input", outB.toString(), "--output", outB.toString(), "--model", model.toString(), "--run-date", day, "--quiet");
    Map<String, Object> md = read(model.resolve("metadata.json"));
    double threshold = ((Number) md.get("threshold")).doubleValue();
    String scores = outB.resolve("account_scores/run_date=" + day + "/*.parquet").toString();
    String truth = b.resolve("truth/truth_accounts/*.parquet").toString();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("archives", Map.of("accounts", accounts, "posts", posts, "train_seed", 101, "test_seed", 202));
    r.put("model_params", md.get("params"));
    r.put("threshold", threshold);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("CREATE VIEW j AS SELECT t.kind, t.is_bot, s.bot_probability AS p FROM read_parquet('" + scores + "') s JOIN read_parquet('"
          + truth + "') t USING (account_id)");
      r.put("roc_auc", auc(s, "SELECT p, is_bot FROM j"));
      List<Map<String, Object>> kinds = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT kind, bool_or(is_bot), count(*), avg(CASE WHEN p >= " + threshold
          + " THEN 1.0 ELSE 0.0 END), avg(p) FROM j GROUP BY kind ORDER BY kind")) {
        while (rs.next()) {
          Map<String, Object> k = new LinkedHashMap<>();
          k.put("kind", rs.getString(1));
          k.put("is_bot", rs.getBoolean(2));
          k.put("accounts", rs.getLong(3));
          k.put(rs.getBoolean(2) ? "recall" : "flagged_share", rs.getDouble(4));
          k.put("mean_probability", rs.getDouble(5));
          kinds.add(k);
        }
      }
      // After the loop: a second query on the same statement would close the result set being read.
      for (Map<String, Object> k : kinds) {
        k.put("roc_auc_against_humans", (boolean) k.get("is_bot") ? auc(s, "SELECT p, is_bot FROM j WHERE kind = '" + k.get("kind") + "' OR kind = 'human'") : null);
      }
      r.put("per_kind", kinds);
    }
    System.err.printf(Locale.ROOT, "classifier | generator: AUC %.4f, per kind %s%n", (double) r.get("roc_auc"), r.get("per_kind"));
    return r;
  }

  /** Mann-Whitney ROC-AUC with ties counted half, from (score, label) rows. */
  static double auc(Statement s, String rows) throws Exception {
    String sql = "WITH r AS (" + rows + "), g AS (SELECT p, sum(CASE WHEN is_bot THEN 1 ELSE 0 END) AS pos, sum(CASE WHEN is_bot THEN 0 ELSE 1 END) AS neg"
        + " FROM r GROUP BY p), c AS (SELECT pos, neg, coalesce(sum(neg) OVER (ORDER BY p ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below FROM g)"
        + " SELECT sum(pos * below + 0.5 * pos * neg) / (sum(pos) * sum(neg)) FROM c";
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  static String brief(Map<String, Object> m) {
    return String.format(Locale.ROOT, "accounts %s, AUC %.4f, acc %.4f, P %.4f, R %.4f, F1 %.4f", m.get("accounts"), num(m, "roc_auc"),
        num(m, "accuracy"), num(m, "precision"), num(m, "recall"), num(m, "f1"));
  }

  static double num(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path json) throws Exception {
    Path file = Files.isDirectory(json) ? Files.list(json).filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElse(json) : json;
    return new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS).readValue(file.toFile(), LinkedHashMap.class);
  }

  static void write(Map<String, Object> report) throws Exception {
    Bench.writeResult("classifier", report);
  }
}
