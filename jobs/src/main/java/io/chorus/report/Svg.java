package io.chorus.report;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the report, drawn as plain strings so the page needs no script, font or
 * network. Pure functions of their inputs.
 */
public final class Svg {
  /** Colours: bot, coordinated, authentic, and two series lines. */
  public static final String BOT = "#c0392b";
  public static final String COORDINATED = "#e67e22";
  public static final String AUTHENTIC = "#2e86c1";
  public static final List<String> SERIES = List.of("#8e44ad", "#16a085");

  private Svg() {}

  /** One x position of a series with its estimate and interval (fractions in [0, 1]). */
  public record Point(String label, double estimate, double low, double high) {}

  /** A named series of points sharing the chart's x labels. */
  public record Series(String name, List<Point> points) {}

  /** A bar split into segments (values in the same unit), with a label. */
  public record Bar(String label, List<Double> segments) {}

  public static String escape(Object o) {
    String s = o == null ? "" : o.toString();
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return b.toString();
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  static String open(int width, int height, String title) {
    return String.format(Locale.ROOT, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
        + "<title>%s</title>", width, height, width, height, escape(title));
  }

  static String empty(int width, int height, String title, String message) {
    return open(width, height, title) + String.format(Locale.ROOT,
        "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text></svg>",
        width, height, width / 2, height / 2, escape(message));
  }

  /**
   * Lines with shaded confidence bands over shared x labels, y in percent from 0 to a rounded
   * maximum of the interval tops.
   */
  public static String bandChart(String title, List<String> xLabels, List<Series> series) {
    int w = 760;
    int h = 300;
    int left = 52;
    int right = 150;
    int top = 16;
    int bottom = 56;
    if (xLabels.isEmpty() || series.stream().allMatch(s -> s.points().isEmpty())) {
      return empty(w, h, title, "no per-day rows in bot_share for this run");
    }
    double max = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> Math.max(p.high(), p.estimate())).max().orElse(0);
    double yMax = Math.max(0.05, Math.ceil(max * 10 + 1e-9) / 10);
    double plotW = w - left - right;
    double plotH = h - top - bottom;
    int n = xLabels.size();
    java.util.function.IntToDoubleFunction x = i -> left + (n == 1 ? plotW / 2 : plotW * i / (n - 1));
    java.util.function.DoubleUnaryOperator y = v -> top + plotH * (1 - Math.max(0, Math.min(v, yMax)) / yMax);
    StringBuilder b = new StringBuilder(open(w, h, title));
    double step = yMax >= 0.3 ? 0.1 : 0.05;
    int ticks = (int) Math.round(yMax / step);
    for (int t = 0; t <= ticks; t++) {
      double v = step * t;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%s\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">%s</text>",
          left, num(w - right), num(y.applyAsDouble(v)), num(y.applyAsDouble(v)), left - 6, num(y.applyAsDouble(v) + 4), escape(String.format(Locale.ROOT, "%.0f%%", 100 * v))));
    }
    int every = Math.max(1, (int) Math.ceil(n / 10.0));
    for (int i = 0; i < n; i += every) {
      b.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\" transform=\"rotate(-35 %s %d)\">%s</text>",
          num(x.applyAsDouble(i)), h - bottom + 16, num(x.applyAsDouble(i)), h - bottom + 16, escape(xLabels.get(i))));
    }
    for (int s = 0; s < series.size(); s++) {
      Series ser = series.get(s);
      String colour = SERIES.get(s % SERIES.size());
      StringBuilder upper = new StringBuilder();
      StringBuilder lower = new StringBuilder();
      StringBuilder line = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (Point p : ser.points()) {
        int i = xLabels.indexOf(p.label());
        if (i < 0) {
          continue;
        }
        String px = num(x.applyAsDouble(i));
        upper.append(px).append(',').append(num(y.applyAsDouble(p.high()))).append(' ');
        lower.insert(0, px + "," + num(y.applyAsDouble(p.low())) + " ");
        line.append(px).append(',').append(num(y.applyAsDouble(p.estimate()))).append(' ');
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"><title>%s %s: %s [%s, %s]</title></circle>",
            px, num(y.applyAsDouble(p.estimate())), colour, escape(ser.name()), escape(p.label()), pct(p.estimate()), pct(p.low()), pct(p.high())));
      }
      b.append(String.format(Locale.ROOT, "<polygon class=\"band\" points=\"%s%s\" fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\"/>", upper, lower, colour));
      b.append(String.format(Locale.ROOT, "<polyline class=\"series\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>", line.toString().trim(), colour));
      b.append(dots);
      int ly = top + 14 + 20 * s;
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
          w - right + 12, ly - 9, colour, w - right + 32, ly, escape(ser.name())));
    }
    return b.append("</svg>").toString();
  }

  /** Horizontal stacked bars, one row per bar, scaled to the largest total. */
  public static String stackedBars(String title, List<String> segmentNames, List<String> colours, List<Bar> bars) {
    int w = 760;
    int rowH = 22;
    int left = 210;
    int right = 90;
    int top = 28;
    int h = top + rowH * Math.max(1, bars.size()) + 10;
    if (bars.isEmpty()) {
      return empty(w, 60, title, "nothing to show for this run");
    }
    double max = bars.stream().mapToDouble(b -> b.segments().stream().mapToDouble(Double::doubleValue).sum()).max().orElse(0);
    double scale = max <= 0 ? 0 : (w - left - right) / max;
    StringBuilder b = new StringBuilder(open(w, h, title));
    double lx = left;
    for (int s = 0; s < segmentNames.size(); s++) {
      b.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"6\" width=\"12\" height=\"10\" fill=\"%s\"/><text x=\"%s\" y=\"15\" font-size=\"12\">%s</text>",
          num(lx), colours.get(s), num(lx + 16), escape(segmentNames.get(s))));
      lx += 24 + 7.5 * segmentNames.get(s).length();
    }
    for (int r = 0; r < bars.size(); r++) {
      Bar bar = bars.get(r);
      int y = top + r * rowH;
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">%s</text>", left - 8, y + 14, escape(bar.label())));
      double x = left;
      double total = 0;
      for (int s = 0; s < bar.segments().size(); s++) {
        double v = Math.max(0, bar.segments().get(s));
        total += v;
        double width = v * scale;
        if (width > 0) {
          b.append(String.format(Locale.ROOT, "<rect class=\"segment\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>",
              num(x), y + 3, num(width), rowH - 6, colours.get(s % colours.size()), escape(segmentNames.get(s)), escape(String.format(Locale.ROOT, "%,.0f", v))));
        }
        x += width;
      }
      b.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" font-size=\"12\" fill=\"#333\">%s</text>", num(x + 6), y + 14,
          escape(String.format(Locale.ROOT, "%,.0f", total))));
    }
    return b.append("</svg>").toString();
  }
}
