package io.chorus.report;

import static io.chorus.report.Svg.escape;

import io.chorus.estimate.BotShareEstimator;
import io.chorus.schema.BotShare;
import io.chorus.schema.Coordination;
import io.chorus.schema.Influence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * The report page: one HTML document with inline CSS and inline SVG, no script and no external
 * resource, so it opens offline and can be mailed as one file. Pure function of {@link ReportJob.Data}.
 */
public final class ReportHtml {
  private ReportHtml() {}

  static final String CSS = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:980px;color:#222}"
      + "h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}"
      + "table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:left}"
      + "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#555;font-size:13px}"
      + ".pill{display:inline-block;padding:0 6px;border-radius:8px;background:#eee;font-size:12px;margin-right:3px}";

  /** Who amplified: the three segments of the amplification bars, with their colours. */
  static final List<String> SOURCES = List.of("likely bot", "coordinated, not bot", "authentic");
  static final List<String> SOURCE_COLOURS = List.of(Svg.BOT, Svg.COORDINATED, Svg.AUTHENTIC);

  static String pct(Object v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * ((Number) v).doubleValue());
  }

  static String count(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
  }

  static <T> T get(Row r, String column) {
    return r.isNullAt(r.fieldIndex(column)) ? null : r.getAs(column);
  }

  static double dbl(Row r, String column) {
    Object v = get(r, column);
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  static String name(Row r) {
    String screen = get(r, Influence.SCREEN_NAME);
    return screen != null ? "@" + screen : get(r, Influence.ACCOUNT_ID);
  }

  public static String render(ReportJob.Data d) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
        .append("<title>Chorus report ").append(escape(d.runDate())).append("</title><style>").append(CSS).append("</style></head><body>");
    b.append("<h1>Chorus run report: ").append(escape(d.runDate())).append("</h1>");
    b.append("<p class=\"note\">Tables under <code>").append(escape(d.output())).append("</code>, partition <code>run_date=")
        .append(escape(d.runDate())).append("</code>. Every figure below is read from the published tables; see data-schemas/ for column meanings.</p>");
    botShare(b, d);
    amplified(b, d);
    watchlist(b, d);
    clusters(b, d);
    manifest(b, d);
    return b.append("</body></html>\n").toString();
  }

  static void botShare(StringBuilder b, ReportJob.Data d) {
    b.append("<h2 id=\"bot-share\">Bot share over time</h2>");
    b.append("<p class=\"note\">Recommended estimator ").append(BotShareEstimator.PACC)
        .append(" (probabilistic adjusted classify-and-count), corrected for the classifier's error rates; shaded: 95% bootstrap interval.</p>");
    TreeSet<String> days = new TreeSet<>();
    Map<String, List<Svg.Point>> byUnit = new LinkedHashMap<>();
    byUnit.put(BotShare.UNIT_ACCOUNTS, new ArrayList<>());
    byUnit.put(BotShare.UNIT_POSTS, new ArrayList<>());
    for (Row r : d.daily()) {
      if (get(r, BotShare.ESTIMATE) == null) {
        continue;
      }
      String day = get(r, BotShare.SLICE_VALUE);
      days.add(day);
      byUnit.computeIfAbsent(get(r, BotShare.UNIT), k -> new ArrayList<>())
          .add(new Svg.Point(day, dbl(r, BotShare.ESTIMATE), dbl(r, BotShare.CI_LOW), dbl(r, BotShare.CI_HIGH)));
    }
    List<Svg.Series> series = new ArrayList<>();
    byUnit.forEach((unit, points) -> series.add(new Svg.Series("share of " + unit, points)));
    b.append(Svg.bandChart("Daily bot share with 95% interval", new ArrayList<>(days), series));
    b.append("<table><tr><th>unit</th><th>method</th><th class=\"n\">estimate</th><th class=\"n\">95% interval</th><th class=\"n\">accounts</th><th class=\"n\">posts</th><th>flags</th></tr>");
    for (Row r : d.overall()) {
      List<String> flags = new ArrayList<>();
      if (Boolean.TRUE.equals(get(r, BotShare.LOW_SUPPORT))) {
        flags.add("low support");
      }
      if (Boolean.TRUE.equals(get(r, BotShare.CLIPPED))) {
        flags.add("clipped to [0, 1]");
      }
      b.append("<tr><td>").append(escape(get(r, BotShare.UNIT))).append("</td><td>").append(escape(get(r, BotShare.METHOD)))
          .append(BotShareEstimator.PACC.equals(get(r, BotShare.METHOD)) ? " (recommended)" : "")
          .append("</td><td class=\"n\">").append(pct(get(r, BotShare.ESTIMATE))).append("</td><td class=\"n\">")
          .append(pct(get(r, BotShare.CI_LOW))).append(" to ").append(pct(get(r, BotShare.CI_HIGH))).append("</td><td class=\"n\">")
          .append(count(get(r, BotShare.N_ACCOUNTS))).append("</td><td class=\"n\">").append(count(get(r, BotShare.N_POSTS)))
          .append("</td><td>").append(escape(String.join(", ", flags))).append("</td></tr>");
    }
    b.append("</table><p class=\"note\">CC counts accounts over the model threshold and is biased whenever the classifier errs; it is shown for comparison with published figures.</p>");
  }

  static void amplified(StringBuilder b, ReportJob.Data d) {
    b.append("<h2 id=\"amplified\">Top amplified accounts</h2>");
    b.append("<p class=\"note\">Amplification events received (reposts, quotes, replies, mentions; mentions are not endorsements), split by who amplified:"
        + " likely bots, coordinated accounts that are not likely bots, and authentic (likely human, not coordinated).</p>");
    List<Svg.Bar> bars = new ArrayList<>();
    for (Row r : d.topAccounts()) {
      double amp = dbl(r, Influence.AMPLIFICATIONS_RECEIVED);
      double bot = Math.round(dbl(r, Influence.BOT_AMPLIFICATION_SHARE) * amp);
      double authentic = dbl(r, Influence.AUTHENTIC_AMPLIFICATION);
      bars.add(new Svg.Bar(get(r, Influence.RANK) + ". " + name(r), List.of(bot, Math.max(0, amp - bot - authentic), authentic)));
    }
    b.append(Svg.stackedBars("Top amplified accounts by source of amplification", SOURCES, SOURCE_COLOURS, bars));
    b.append("<table><tr><th class=\"n\">rank</th><th>account</th><th class=\"n\">amplifications</th><th class=\"n\">unique amplifiers</th>"
        + "<th class=\"n\">PageRank</th><th class=\"n\">t-factor</th><th class=\"n\">bot share</th><th class=\"n\">coordinated share</th><th class=\"n\">own bot probability</th></tr>");
    for (Row r : d.topAccounts()) {
      b.append("<tr><td class=\"n\">").append(count(get(r, Influence.RANK))).append("</td><td>").append(escape(name(r))).append("</td><td class=\"n\">")
          .append(count(get(r, Influence.AMPLIFICATIONS_RECEIVED))).append("</td><td class=\"n\">").append(count(get(r, Influence.UNIQUE_AMPLIFIERS)))
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.5f", dbl(r, Influence.PAGERANK))).append("</td><td class=\"n\">")
          .append(count(get(r, Influence.T_FACTOR))).append("</td><td class=\"n\">").append(pct(get(r, Influence.BOT_AMPLIFICATION_SHARE)))
          .append("</td><td class=\"n\">").append(pct(get(r, Influence.COORDINATED_AMPLIFICATION_SHARE))).append("</td><td class=\"n\">")
          .append(pct(get(r, Influence.BOT_PROBABILITY))).append("</td></tr>");
    }
    b.append("</table>");
  }

  static void watchlist(StringBuilder b, ReportJob.Data d) {
    b.append("<h2 id=\"watchlist\">Watchlist: official actors</h2>");
    b.append("<p class=\"note\">Summed over the run's days; shares weighted by amplification. Largest ").append(ReportJob.TOP_ACTORS).append(" actors by amplification received.</p>");
    List<Svg.Bar> bars = new ArrayList<>();
    for (Row r : d.watchlist()) {
      double amp = dbl(r, Influence.AMPLIFICATIONS_RECEIVED);
      double bot = dbl(r, Influence.BOT_SHARE) * amp;
      double authentic = dbl(r, Influence.AUTHENTIC_SHARE) * amp;
      bars.add(new Svg.Bar(name(r) + " (" + get(r, Influence.COUNTRY) + ")", List.of(bot, Math.max(0, amp - bot - authentic), authentic)));
    }
    b.append(Svg.stackedBars("Amplification of official actors by source", SOURCES, SOURCE_COLOURS, bars));
    b.append("<table><tr><th>actor</th><th>type</th><th>country</th><th class=\"n\">own posts</th><th class=\"n\">amplifications</th>"
        + "<th class=\"n\">bot</th><th class=\"n\">coordinated</th><th class=\"n\">authentic</th></tr>");
    for (Row r : d.watchlist()) {
      b.append("<tr><td>").append(escape(name(r))).append("</td><td>").append(escape(get(r, Influence.ACTOR_TYPE))).append("</td><td>")
          .append(escape(get(r, Influence.COUNTRY))).append("</td><td class=\"n\">").append(count(get(r, Influence.OWN_POSTS)))
          .append("</td><td class=\"n\">").append(count(get(r, Influence.AMPLIFICATIONS_RECEIVED))).append("</td><td class=\"n\">")
          .append(pct(get(r, Influence.BOT_SHARE))).append("</td><td class=\"n\">").append(pct(get(r, Influence.COORDINATED_SHARE)))
          .append("</td><td class=\"n\">").append(pct(get(r, Influence.AUTHENTIC_SHARE))).append("</td></tr>");
    }
    b.append("</table>");
  }

  static void clusters(StringBuilder b, ReportJob.Data d) {
    b.append("<h2 id=\"clusters\">Largest coordination clusters</h2>");
    List<Svg.Bar> bars = new ArrayList<>();
    for (Row r : d.clusters()) {
      double size = dbl(r, Coordination.CLUSTER_SIZE);
      double bots = Math.round(size * dbl(r, Coordination.MEAN_BOT_PROBABILITY));
      bars.add(new Svg.Bar("cluster " + get(r, Coordination.CLUSTER_ID), List.of(bots, size - bots)));
    }
    b.append(Svg.stackedBars("Cluster sizes, split by members' mean bot probability", List.of("expected bots", "expected humans"),
        List.of(Svg.BOT, Svg.AUTHENTIC), bars));
    b.append("<table><tr><th>cluster</th><th class=\"n\">members</th><th>traces</th><th class=\"n\">mean bot probability</th><th>first activity</th>"
        + "<th>last activity</th><th>example member</th></tr>");
    for (Row r : d.clusters()) {
      List<Object> traces = r.isNullAt(r.fieldIndex(Coordination.TRACES)) ? List.of() : r.getList(r.fieldIndex(Coordination.TRACES));
      StringBuilder pills = new StringBuilder();
      traces.forEach(t -> pills.append("<span class=\"pill\">").append(escape(t)).append("</span>"));
      b.append("<tr><td>").append(escape(get(r, Coordination.CLUSTER_ID))).append("</td><td class=\"n\">").append(count(get(r, Coordination.CLUSTER_SIZE)))
          .append("</td><td>").append(pills).append("</td><td class=\"n\">").append(pct(get(r, Coordination.MEAN_BOT_PROBABILITY)))
          .append("</td><td>").append(escape(get(r, Coordination.FIRST_ACTIVITY))).append("</td><td>").append(escape(get(r, Coordination.LAST_ACTIVITY)))
          .append("</td><td>").append(escape(get(r, "example_account"))).append("</td></tr>");
    }
    b.append("</table>");
  }

  @SuppressWarnings("unchecked")
  static void manifest(StringBuilder b, ReportJob.Data d) {
    b.append("<h2 id=\"manifest\">Run manifest</h2>");
    Map<String, Object> m = d.manifest();
    if (m.isEmpty()) {
      b.append("<p class=\"note\">No manifest for this run date under _runs/.</p>");
      return;
    }
    b.append("<table>");
    for (String k : List.of("run_id", "command", "run_date", "started_at", "ended_at", "format", "manifest_path")) {
      if (m.containsKey(k)) {
        b.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(m.get(k))).append("</td></tr>");
      }
    }
    b.append("</table>");
    for (String section : List.of("ingest_conservation", "row_counts")) {
      if (m.get(section) instanceof Map<?, ?> counts) {
        b.append("<h3>").append(escape(section.replace('_', ' '))).append("</h3><table>");
        ((Map<String, Object>) counts).forEach((k, v) ->
            b.append("<tr><td>").append(escape(k)).append("</td><td class=\"n\">").append(v instanceof Number ? count(v) : escape(v)).append("</td></tr>"));
        b.append("</table>");
      }
    }
  }
}
