package io.chorus.bench;

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
import java.util.Map;

/**
 * The bot-share validation of issue 5: generator archives at several true bot shares, each run
 * through the whole pipeline, and bot_share compared with the archive's truth_bot_share table with
 * DuckDB: error of CC, ACC, PCC and PACC overall and per slice, and how often the 95% intervals cover
 * the truth in slices of at least {@link #MIN_ACCOUNTS} accounts.
 *
 * <p>Training ({@code --training}):
 * <ul>
 *   <li>{@code separate} (default): the classifier trains once on a labeled set drawn 50/50 from
 *       its own archive of the same size with a 50% bot share, and every test archive is scored
 *       with that model: the prior shift of Forman's setting, with a labeled set of thousands;
 *   <li>{@code own}: each archive trains on its own balanced labeled sample. At a 2% share of
 *       10,000 accounts that sample has about 100 accounts per class, and the false-positive rate,
 *       which dominates the correction at low prevalence, is known only to about +-1.5 points.
 * </ul>
 * Run with {@code scripts/bench.sh prevalence [--shares 0.02,0.1,0.3,0.5] [--accounts 20000 --posts 200000]
 * [--training separate|own]}.
 */
public final class PrevalenceEval {
  static final String DAY = "2024-03-15";
  static final long MIN_ACCOUNTS = 500;

  private PrevalenceEval() {}

  public static void main(String[] args) throws Exception {
    List<Double> shares = List.of(0.02, 0.10, 0.30, 0.50);
    long accounts = 20_000;
    long posts = 200_000;
    Path work = Path.of("bench/cache/prevalence");
    String training = "separate";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--shares" -> shares = java.util.Arrays.stream(args[++i].split(",")).map(Double::parseDouble).toList();
        case "--accounts" -> accounts = Long.parseLong(args[++i]);
        case "--posts" -> posts = Long.parseLong(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--training" -> {
          training = args[++i];
          if (!List.of("separate", "own").contains(training)) {
            throw new IllegalArgumentException("--training takes separate or own, got " + training);
          }
        }
        default -> throw new IllegalArgumentException(
            "unknown flag " + args[i] + " (known: --shares a,b,c --accounts N --posts N --work DIR --training separate|own)");
      }
    }
    Bench.Options o = Bench.parse(new String[0]);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    report.put("archives", Map.of("accounts", accounts, "posts", posts, "min_accounts_for_coverage", MIN_ACCOUNTS));
    report.put("training", training);
    List<String> modelFlags = List.of();
    if (training.equals("separate")) {
      Path archive = work.toAbsolutePath().resolve("train-archive-0.5");
      Path out = work.toAbsolutePath().resolve("train-out");
      if (!Files.isDirectory(archive.resolve("posts"))) {
        Bench.chorus(o, "generate", "--accounts", String.valueOf(accounts), "--posts", String.valueOf(posts), "--bot-share", "0.5",
            "--seed", "299", "--output", archive.toString(), "--quiet");
      }
      Bench.ProcessRun r = Bench.chorus(o, "pipeline", "--input", archive.toString(), "--output", out.toString(), "--run-date", DAY, "--quiet");
      Path model = out.resolve("_model/run_date=" + DAY);
      Map<String, Object> md = ClassifierEval.read(model.resolve("metadata.json"));
      report.put("model", Map.of("path", model.toString(), "train_accounts", md.get("trainAccounts"), "train_bots", md.get("trainBots"),
          "rate_sample_positives", md.get("holdoutPositives"), "rate_sample_negatives", md.get("holdoutNegatives"), "pipeline_seconds", r.seconds()));
      // --labels naming no table: the test archives' own labels are not used, and the pipeline scores with --model.
      modelFlags = List.of("--model", model.toString(), "--labels", work.toAbsolutePath().resolve("no-labels").toString());
    }
    List<Map<String, Object>> runs = new ArrayList<>();
    for (int i = 0; i < shares.size(); i++) {
      double share = shares.get(i);
      Path archive = work.toAbsolutePath().resolve("archive-" + share);
      Path out = work.toAbsolutePath().resolve("out-" + share);
      if (!Files.isDirectory(archive.resolve("posts"))) {
        Bench.chorus(o, "generate", "--accounts", String.valueOf(accounts), "--posts", String.valueOf(posts), "--bot-share", String.valueOf(share),
            "--seed", String.valueOf(300 + i), "--output", archive.toString(), "--quiet");
      }
      List<String> cmd = new ArrayList<>(List.of("pipeline", "--input", archive.toString(), "--output", out.toString(), "--run-date", DAY, "--quiet"));
      cmd.addAll(modelFlags);
      Bench.ProcessRun r = Bench.chorus(o, cmd.toArray(new String[0]));
      Map<String, Object> m = compare(archive, out);
      m.put("generator_bot_share", share);
      m.put("pipeline_seconds", r.seconds());
      runs.add(m);
      report.put("runs", runs);
      write(report);
      System.err.println("prevalence | " + share + " | " + m.get("overall"));
    }
  }

  static Map<String, Object> compare(Path archive, Path out) throws Exception {
    String share = out.resolve("bot_share/run_date=" + DAY + "/*.parquet").toString();
    String truth = archive.resolve("truth/truth_bot_share/*.parquet").toString();
    Map<String, Object> m = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("CREATE VIEW j AS SELECT b.slice_type, b.slice_value, b.unit, b.method, b.estimate, b.ci_low, b.ci_high, b.n_accounts, b.clipped,"
          + " t.true_share FROM read_parquet('" + share + "') b JOIN read_parquet('" + truth + "') t USING (slice_type, slice_value, unit)");
      List<Map<String, Object>> overall = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT unit, method, true_share, estimate, ci_low, ci_high FROM j WHERE slice_type = 'overall' ORDER BY unit, method")) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("unit", rs.getString(1));
          row.put("method", rs.getString(2));
          row.put("true_share", rs.getDouble(3));
          row.put("estimate", rs.getDouble(4));
          row.put("error", rs.getDouble(4) - rs.getDouble(3));
          row.put("ci95", List.of(rs.getDouble(5), rs.getDouble(6)));
          row.put("covers", rs.getDouble(5) <= rs.getDouble(3) && rs.getDouble(3) <= rs.getDouble(6));
          overall.add(row);
        }
      }
      m.put("overall", overall);
      List<Map<String, Object>> slices = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT unit, method, count(*), avg(estimate - true_share), avg(abs(estimate - true_share)),"
          + " max(abs(estimate - true_share)), avg(CASE WHEN ci_low <= true_share AND true_share <= ci_high THEN 1.0 ELSE 0.0 END),"
          + " count(DISTINCT slice_type) FROM j WHERE slice_type <> 'overall' AND n_accounts >= " + MIN_ACCOUNTS
          + " GROUP BY unit, method ORDER BY unit, method")) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("unit", rs.getString(1));
          row.put("method", rs.getString(2));
          row.put("slices", rs.getLong(3));
          row.put("mean_error", rs.getDouble(4));
          row.put("mean_abs_error", rs.getDouble(5));
          row.put("max_abs_error", rs.getDouble(6));
          row.put("coverage", rs.getDouble(7));
          slices.add(row);
        }
      }
      m.put("slices_min_accounts", slices);
      List<Map<String, Object>> byType = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT slice_type, method, count(*), avg(abs(estimate - true_share)),"
          + " avg(CASE WHEN ci_low <= true_share AND true_share <= ci_high THEN 1.0 ELSE 0.0 END) FROM j WHERE unit = 'accounts'"
          + " AND slice_type <> 'overall' AND n_accounts >= " + MIN_ACCOUNTS + " GROUP BY slice_type, method ORDER BY slice_type, method")) {
        while (rs.next()) {
          byType.add(Map.of("slice_type", rs.getString(1), "method", rs.getString(2), "slices", rs.getLong(3), "mean_abs_error", rs.getDouble(4),
              "coverage", rs.getDouble(5)));
        }
      }
      m.put("accounts_by_slice_type", byType);
    }
    return m;
  }

  static void write(Map<String, Object> report) throws Exception {
    Bench.writeResult("prevalence", report);
  }
}
