package io.chorus.influence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chorus.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * PageRank against closed forms: the stationary equations r = (1-d)/N + d (P^T r + D/N) solved
 * exactly by Gaussian elimination here, independently of the Spark power iteration.
 */
class PageRankTest extends SparkTestBase {
  static final double D = 0.85;
  static final StructType EDGES = new StructType().add("src", DataTypes.StringType).add("dst", DataTypes.StringType).add("weight", DataTypes.DoubleType);

  static Map<String, Double> spark(String[][] edges) {
    List<Row> rows = new ArrayList<>();
    for (String[] e : edges) {
      rows.add(RowFactory.create(e[0], e[1], e.length > 2 ? Double.parseDouble(e[2]) : 1.0));
    }
    return PageRank.compute(spark.createDataFrame(rows, EDGES), D, 400, 1e-8).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getDouble(1)));
  }

  /** Exact solution of the PageRank linear system for nodes 0..n-1. */
  static double[] exact(String[] nodes, String[][] edges) {
    int n = nodes.length;
    List<String> idx = List.of(nodes);
    double[][] w = new double[n][n];
    double[] out = new double[n];
    for (String[] e : edges) {
      double wt = e.length > 2 ? Double.parseDouble(e[2]) : 1.0;
      w[idx.indexOf(e[0])][idx.indexOf(e[1])] += wt;
      out[idx.indexOf(e[0])] += wt;
    }
    // (I - d P^T - d/N * 1 * dangling^T) r = (1-d)/N
    double[][] a = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double pji = out[j] > 0 ? w[j][i] / out[j] : 0;
        double dangling = out[j] == 0 ? 1.0 / n : 0;
        a[i][j] = (i == j ? 1 : 0) - D * (pji + dangling);
      }
      a[i][n] = (1 - D) / n;
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
          p = r;
        }
      }
      double[] t = a[c];
      a[c] = a[p];
      a[p] = t;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }

  static Map<String, Double> assertMatches(String[] nodes, String[][] edges) {
    Map<String, Double> got = spark(edges);
    double[] want = exact(nodes, edges);
    assertThat(got).hasSize(nodes.length);
    for (int i = 0; i < nodes.length; i++) {
      assertThat(got.get(nodes[i])).as(nodes[i]).isCloseTo(want[i], within(1e-6));
    }
    assertThat(got.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
    return got;
  }

  @Test
  void starOfLeavesPointingAtADanglingCentre() {
    String[][] edges = {{"l1", "c"}, {"l2", "c"}, {"l3", "c"}, {"l4", "c"}};
    Map<String, Double> got = assertMatches(new String[] {"c", "l1", "l2", "l3", "l4"}, edges);
    // By hand: leaves share x, centre y; x = (1-d)/5 + d*y/5 and y = (1-d)/5 + d*(4x + y/5),
    // so y = (1-d)(1+4d) / (5 - d - 4d^2).
    double y = (1 - D) * (1 + 4 * D) / (5 - D - 4 * D * D);
    double x = (1 - D) / 5 + D * y / 5;
    assertThat(got.get("l1")).isCloseTo(x, within(1e-6));
    assertThat(got.get("c")).isCloseTo(y, within(1e-6));
  }

  @Test
  void chain() {
    assertMatches(new String[] {"a", "b", "c", "d"}, new String[][] {{"a", "b"}, {"b", "c"}, {"c", "d"}});
  }

  @Test
  void twoNodeCycleWithADanglingNode() {
    String[][] edges = {{"a", "b"}, {"b", "a"}, {"b", "c"}};
    assertMatches(new String[] {"a", "b", "c"}, edges);
  }

  @Test
  void weightsSplitRankInProportion() {
    assertMatches(new String[] {"a", "b", "c"}, new String[][] {{"a", "b", "3"}, {"a", "c", "1"}, {"b", "a"}, {"c", "a"}, {"a", "b", "1"}});
  }
}
