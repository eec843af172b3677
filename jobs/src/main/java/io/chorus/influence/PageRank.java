package io.chorus.influence;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Weighted PageRank by power iteration on DataFrames. Each node u passes d * rank(u) to its
 * out-neighbours in proportion to edge weight; dangling nodes (no out-edges) spread their rank
 * uniformly; every node also gets (1 - d) / N. Ranks sum to 1. Iteration stops when the L1 change is
 * under {@code tolerance} or after {@code maxIterations}.
 */
public final class PageRank {
  public static final double DAMPING = 0.85;
  /** Power iterations in the pipeline; the L1 error after k steps is at most 2 * 0.85^k. */
  public static final int MAX_ITERATIONS = 20;
  public static final double TOLERANCE = 1e-6;

  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String WEIGHT = "weight";
  public static final String NODE = "node";
  public static final String RANK = "pagerank";

  private PageRank() {}

  /** Edges (src, dst, weight) to (node, pagerank). Parallel edges are summed. */
  public static Dataset<Row> compute(Dataset<Row> edges, double damping, int maxIterations, double tolerance) {
    Dataset<Row> e = edges.groupBy(SRC, DST).agg(sum(col(WEIGHT).cast("double")).as(WEIGHT));
    Dataset<Row> out = e.groupBy(SRC).agg(sum(WEIGHT).as("_out"));
    Dataset<Row> shares =
        e.join(out, SRC).select(col(SRC), col(DST), col(WEIGHT).divide(col("_out")).as("_share")).localCheckpoint();
    Dataset<Row> nodes =
        e.select(col(SRC).as(NODE)).union(e.select(col(DST).as(NODE))).distinct()
            .join(out.select(col(SRC).as(NODE), lit(true).as("_has_out")), new String[] {NODE}, "left")
            .localCheckpoint();
    long n = nodes.count();
    if (n == 0) {
      return nodes.select(col(NODE), lit(0.0).as(RANK));
    }
    Dataset<Row> ranks = nodes.withColumn(RANK, lit(1.0 / n)).localCheckpoint();
    for (int i = 0; i < maxIterations; i++) {
      Row dangling = ranks.filter(col("_has_out").isNull()).agg(sum(RANK)).first();
      double danglingMass = dangling.isNullAt(0) ? 0.0 : dangling.getDouble(0);
      Dataset<Row> contrib =
          shares.join(ranks.select(col(NODE).as(SRC), col(RANK)), SRC)
              .groupBy(col(DST).as(NODE))
              .agg(sum(col(RANK).multiply(col("_share"))).as("_in"));
      Dataset<Row> next =
          nodes.join(contrib, new String[] {NODE}, "left")
              .select(col(NODE), col("_has_out"),
                  lit((1 - damping) / n).plus(lit(damping).multiply(coalesce(col("_in"), lit(0.0)).plus(danglingMass / n))).as(RANK))
              .localCheckpoint();
      double delta = next.join(ranks.select(col(NODE), col(RANK).as("_old")), NODE).agg(sum(abs(col(RANK).minus(col("_old"))))).first().getDouble(0);
      ranks = next;
      if (delta < tolerance) {
        break;
      }
    }
    return ranks.select(NODE, RANK);
  }

  public static Dataset<Row> compute(Dataset<Row> edges) {
    return compute(edges, DAMPING, MAX_ITERATIONS, TOLERANCE);
  }
}
