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
 * The coordination evaluation of issue 6.
 *
 * <ul>
 *   <li>On a generator archive, one coordination run per trace type alone, one with co-text on
 *       identical texts only (--text-similarity 1), and one with the default traces. Per run, with
 *       DuckDB against truth_accounts: account-level precision (flagged accounts that belong to any
 *       planted campaign), recall over the members of the campaigns that plant this trace by design
 *       (campaign_trace; every campaign for synchrony and for the default run), the share of
 *       organic humans flagged, and the wall time.
 *   <li>On the IRA archive when given: co-text alone on the ingested posts (retweets there carry no
 *       parent id, so they are compared by text), clusters by size and their make-up by the
 *       archive's account_category.
 * </ul>
 *
 * Run with {@code scripts/bench.sh coordination [--accounts 20000] [--posts 250000] [--ira DIR|none]}; {@code --archive DIR
 * --out DIR} evaluates an archive already generated and ingested (the scale archives of {@code scripts/bench.sh}) and
 * {@code --only "default traces"} keeps some of the runs.
 */
public final class CoordinationEval {
  static final String DAY = "2024-03-15";

  private CoordinationEval() {}

  public static void main(String[] args) throws Exception {
    long accounts = 20_000;
    long posts = 250_000;
    Path ira = Path.of("../shared/data/ira-troll-tweets");
    Path work = Path.of("bench/cache/coordination");
    List<String> sweep = List.of();
    boolean traces = true;
    Path archiveDir = null;
    Path outDir = null;
    List<String> only = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--accounts" -> accounts = Long.parseLong(args[++i]);
        case "--posts" -> posts = Long.parseLong(args[++i]);
        case "--ira" -> {
          String v = args[++i];
          ira = v.equals("none") ? null : Path.of(v);
        }
        case "--work" -> work = Path.of(args[++i]);
        case "--sweep-min-similarity" -> sweep = List.of(args[++i].split(","));
        case "--no-trace-runs" -> traces = false;
        case "--archive" -> archiveDir = Path.of(args[++i]);
        case "--out" -> outDir = Path.of(args[++i]);
        case "--only" -> only = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown flag " + args[i]
            + " (known: --accounts N --posts N --ira DIR|none --work DIR --sweep-min-similarity a,b --no-trace-runs"
            + " --archive DIR --out DIR --only RUN[,RUN])");
      }
    }
    Bench.Options o = Bench.parse(new String[0]);
    work = work.toAbsolutePath();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    // --archive/--out: an archive generated and ingested (and scored) elsewhere, e.g. the 10M-post
    // archive of scripts/bench.sh; it is used as it is, and the report says so
    Path archive = archiveDir != null ? archiveDir.toAbsolutePath() : work.resolve("archive");
    Path out = outDir != null ? outDir.toAbsolutePath() : work.resolve("out");
    if (archiveDir == null) {
      if (!Files.isDirectory(archive.resolve("posts"))) {
        Bench.chorus(o, "generate", "--accounts", String.valueOf(accounts), "--posts", String.valueOf(posts), "--seed", "404", "--output",
            archive.toString(), "--quiet");
      }
      report.put("archive", Map.of("accounts", accounts, "posts_target", posts, "seed", 404));
    } else {
      report.put("archive", Map.of("path", archive.toString(), "ingested", out.toString()));
    }
    if (outDir == null || !Files.isDirectory(out.resolve("posts/run_date=" + DAY))) {
      Bench.chorus(o, "ingest", "--input", archive.toString(), "--output", out.toString(), "--run-date", DAY, "--quiet");
    }
    List<Map<String, Object>> runs = new ArrayList<>();
    List<String[]> configs = new ArrayList<>();
    if (traces) {
      configs.addAll(List.of(
          new String[] {"co_repost", "--traces", "co_repost"},
          new String[] {"co_text", "--traces", "co_text"},
          new String[] {"co_text identical only", "--traces", "co_text", "--text-similarity", "1"},
          new String[] {"co_link", "--traces", "co_link"},
          new String[] {"hashtag_sequence", "--traces", "hashtag_sequence"},
          new String[] {"synchrony", "--traces", "synchrony"},
          new String[] {"default traces"}));
    }
    // Sensitivity of the edge filter: co-repost alone and the default traces at other cosine floors.
    for (String m : sweep) {
      configs.add(new String[] {"co_repost at min-similarity " + m, "--traces", "co_repost", "--min-similarity", m});
      configs.add(new String[] {"default traces at min-similarity " + m, "--traces", "co_repost,co_link,co_text,hashtag_sequence", "--min-similarity", m});
    }
    if (!only.isEmpty()) {
      List<String> keep = only;
      configs.removeIf(cfg -> !keep.contains(cfg[0]));
    }
    String prefix = archiveDir != null ? "coordination-" + archive.getFileName() : traces ? "coordination" : sweep.isEmpty() ? "coordination-ira" : "coordination-sweep";
    for (String[] cfg : configs) {
      List<String> a = new ArrayList<>(List.of("coordination", "--input", out.toString(), "--output", out.toString(), "--run-date", DAY, "--quiet"));
      a.addAll(List.of(cfg).subList(1, cfg.length));
      Bench.ProcessRun r = Bench.chorus(o, a.toArray(String[]::new));
      Map<String, Object> m = score(archive, out, cfg.length > 2 && !cfg[2].contains(",") ? cfg[2] : null);
      m.put("run", cfg[0]);
      m.put("flags", List.of(cfg).subList(1, cfg.length));
      m.put("seconds", r.seconds());
      runs.add(m);
      report.put("generator", runs);
      Bench.writeResult(prefix, report);
      System.err.println("coordination | " + m);
    }
    if (ira != null && Files.isDirectory(ira)) {
      report.put("ira", ira(o, ira, work.resolve("out-ira")));
      Bench.writeResult(prefix, report);
    }
  }

  /**
   * Precision, recall and organic share of the accounts in coordination_edges; recall over the
   * members of campaigns whose campaign_trace is {@code plantedTrace} (all members when null).
   */
  static Map<String, Object> score(Path archive, Path out, String plantedTrace) throws Exception {
    String edges = out.resolve("coordination_edges/run_date=" + DAY + "/*.parquet").toString();
    String clusters = out.resolve("coordination_clusters/run_date=" + DAY + "/*.parquet").toString();
    String truth = archive.resolve("truth/truth_accounts/*.parquet").toString();
    boolean specific = plantedTrace != null && List.of("co_repost", "co_text", "co_link").contains(plantedTrace);
    Map<String, Object> m = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("CREATE VIEW t AS SELECT * FROM read_parquet('" + truth + "')");
      s.execute("CREATE VIEW f AS SELECT account_a AS account_id FROM read_parquet('" + edges + "') UNION SELECT account_b FROM read_parquet('" + edges + "')");
      String target = specific ? "t.campaign_trace = '" + plantedTrace + "'" : "t.campaign_id IS NOT NULL";
      try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE f.account_id IS NOT NULL),"
          + " count(*) FILTER (WHERE f.account_id IS NOT NULL AND t.campaign_id IS NOT NULL),"
          + " count(*) FILTER (WHERE " + target + "), count(*) FILTER (WHERE " + target + " AND f.account_id IS NOT NULL),"
          + " count(*) FILTER (WHERE t.kind = 'human'), count(*) FILTER (WHERE t.kind = 'human' AND t.campaign_id IS NULL AND f.account_id IS NOT NULL)"
          + " FROM t LEFT JOIN f USING (account_id)")) {
        rs.next();
        long flagged = rs.getLong(1);
        m.put("flagged_accounts", flagged);
        m.put("precision", flagged == 0 ? null : rs.getLong(2) / (double) flagged);
        m.put("recall_over", specific ? "members of " + plantedTrace + " campaigns" : "members of every campaign");
        m.put("campaign_members", rs.getLong(3));
        m.put("recall", rs.getLong(3) == 0 ? null : rs.getLong(4) / (double) rs.getLong(3));
        m.put("organic_humans_flagged_share", rs.getLong(6) / (double) rs.getLong(5));
      }
      try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT cluster_id), coalesce(max(cluster_size), 0) FROM read_parquet('" + clusters + "')")) {
        rs.next();
        m.put("clusters", rs.getLong(1));
        m.put("largest_cluster", rs.getLong(2));
      }
    }
    return m;
  }

  /** Co-text on the IRA archive: clusters, their sizes and their make-up by account_category. */
  static Map<String, Object> ira(Bench.Options o, Path ira, Path out) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    if (!Files.isDirectory(out.resolve("posts"))) {
      Bench.chorus(o, "ingest", "--format", "ira-csv", "--input", ira.toString(), "--output", out.toString(), "--run-date", DAY, "--quiet");
    }
    Bench.ProcessRun run = Bench.chorus(o, "coordination", "--input", out.toString(), "--output", out.toString(), "--run-date", DAY,
        "--traces", "co_text", "--quiet");
    r.put("flags", List.of("--traces", "co_text", "--window-seconds", "60 (default)", "--text-similarity", "0.7 (default)"));
    r.put("coordination_seconds", run.seconds());
    r.put("stages", Ira.stageSeconds(run.output()));
    String clusters = out.resolve("coordination_clusters/run_date=" + DAY + "/*.parquet").toString();
    String attributes = out.resolve("account_attributes/run_date=" + DAY + "/*.parquet").toString();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("CREATE VIEW cl AS SELECT * FROM read_parquet('" + clusters + "')");
      s.execute("CREATE VIEW cat AS SELECT account_id, any_value(value) AS category FROM read_parquet('" + attributes + "')"
          + " WHERE attribute = 'account_category' GROUP BY account_id");
      try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT cluster_id), count(*), max(cluster_size), median(cluster_size) FROM cl")) {
        rs.next();
        r.put("clusters", rs.getLong(1));
        r.put("member_accounts", rs.getLong(2));
        r.put("largest_cluster", rs.getLong(3));
        r.put("median_cluster_size", rs.getDouble(4));
      }
      List<Map<String, Object>> sizes = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT CASE WHEN cluster_size = 2 THEN '2' WHEN cluster_size <= 5 THEN '3-5' WHEN cluster_size <= 20 THEN '6-20'"
          + " ELSE '21+' END AS b, count(DISTINCT cluster_id), count(*) FROM cl GROUP BY b ORDER BY min(cluster_size)")) {
        while (rs.next()) {
          sizes.add(Map.of("size", rs.getString(1), "clusters", rs.getLong(2), "accounts", rs.getLong(3)));
        }
      }
      r.put("size_distribution", sizes);
      List<Map<String, Object>> makeup = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT coalesce(category, 'unknown'), count(*), count(DISTINCT cluster_id)"
          + " FROM cl LEFT JOIN cat USING (account_id) GROUP BY 1 ORDER BY 2 DESC")) {
        while (rs.next()) {
          makeup.add(Map.of("account_category", rs.getString(1), "members", rs.getLong(2), "clusters", rs.getLong(3)));
        }
      }
      r.put("members_by_account_category", makeup);
      List<Map<String, Object>> top = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT cluster_id, any_value(cluster_size), string_agg(DISTINCT coalesce(category, 'unknown'), ',')"
          + " FROM cl LEFT JOIN cat USING (account_id) GROUP BY cluster_id ORDER BY 2 DESC, 1 LIMIT 10")) {
        while (rs.next()) {
          top.add(Map.of("cluster_id", rs.getString(1), "size", rs.getLong(2), "categories", rs.getString(3)));
        }
      }
      r.put("largest_clusters", top);
    }
    System.err.println("coordination | ira | " + r);
    return r;
  }
}
