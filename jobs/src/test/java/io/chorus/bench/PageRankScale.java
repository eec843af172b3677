package io.chorus.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.shiftRightUnsigned;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.chorus.influence.PageRank;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * PageRank at scale (issue 7): a weighted amplification-like graph of {@code --edges} distinct
 * edges over {@code --edges / 5} nodes, authors drawn with a heavy tail (a few accounts receive
 * most amplification, as on the platforms) and amplifiers uniformly, then {@link PageRank#compute}
 * as the influence stage runs it (damping 0.85, 20 iterations). Reports the wall time of the
 * computation and of the whole JVM, the rank sum (must be 1) and the top node's rank. Run with
 * {@code scripts/bench.sh pagerank [--edges 10000000]}; writes bench/results/pagerank-&lt;date&gt;.json.
 */
public final class PageRankScale {
  private PageRankScale() {}

  static Column uniform(String salt, Column key) {
    return shiftRightUnsigned(xxhash64(lit(salt), key), 11).cast("double").divide(9007199254740992.0);
  }

  public static void main(String[] args) throws Exception {
    long edges = 10_000_000L;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--edges")) {
        edges = Bench.size(args[++i]);
      } else {
        throw new IllegalArgumentException("unknown flag " + args[i] + " (known: --edges N, e.g. 10M)");
      }
    }
    Bench.Options o = Bench.parse(new String[0]);
    long nodes = Math.max(10, edges / 5);
    long t0 = System.nanoTime();
    Bench.ProcessRun r = Bench.child(o, PageRankScale.class.getName() + "$Job", String.valueOf(edges), String.valueOf(nodes));
    double wall = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    report.put("master", "local[2]");
    report.put("heap", o.heap());
    report.put("edges_drawn", edges);
    report.put("nodes", nodes);
    report.put("process_seconds", wall);
    report.put("peak_rss_mib", r.peakRssMib());
    for (String line : r.output().split("\n")) {
      if (line.startsWith("pagerank | ")) {
        for (String kv : line.substring("pagerank | ".length()).split(", ")) {
          String[] p = kv.split("=", 2);
          report.put(p[0], p[1].matches("-?[0-9.Ee+-]+") ? Double.parseDouble(p[1]) : p[1]);
        }
      }
    }
    Bench.writeResult("pagerank", report);
    System.err.println("pagerank | " + report);
  }

  /** The child JVM: builds the graph, caches it, times PageRank alone. */
  public static final class Job {
    private Job() {}

    public static void main(String[] args) {
      long edges = Long.parseLong(args[0]);
      long nodes = Long.parseLong(args[1]);
      SparkSession spark = io.chorus.spark.SparkSessions.create("bench-pagerank", null); // the settings of every Chorus command
      Column id = col("id");
      // Authors: node floor(nodes * u^3), a heavy tail; amplifiers uniform; weight 1-4 events.
      Dataset<Row> g = spark.range(edges)
          .select(floor(uniform("src", id).multiply(nodes)).cast("long").cast("string").as(PageRank.SRC),
              floor(pow(uniform("dst", id), 3).multiply(nodes)).cast("long").cast("string").as(PageRank.DST),
              floor(uniform("w", id).multiply(4)).plus(1).cast("double").as(PageRank.WEIGHT))
          .filter(col(PageRank.SRC).notEqual(col(PageRank.DST)))
          .groupBy(PageRank.SRC, PageRank.DST).agg(sum(PageRank.WEIGHT).as(PageRank.WEIGHT))
          .cache();
      long distinct = g.count();
      long t0 = System.nanoTime();
      Dataset<Row> ranks = PageRank.compute(g).cache();
      Row s = ranks.agg(count(lit(1)), sum(col(PageRank.RANK)), org.apache.spark.sql.functions.max(col(PageRank.RANK))).first();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "pagerank | distinct_edges=%d, ranked_nodes=%d, rank_sum=%.9f, max_rank=%.6g, pagerank_seconds=%.1f%n",
          distinct, s.getLong(0), s.getDouble(1), s.getDouble(2), seconds);
      spark.stop();
    }
  }
}
