package io.chorus.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.chorus.schema.AccountScores;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/**
 * Per-account feature contributions of the random forest (Saabas's path attribution, as in the
 * treeinterpreter package): along the path an account takes through a tree, each split moves the
 * node's bot share (the weighted share of bots among the training accounts reaching it) from the
 * parent's value to the child's, and the change is credited to the split's feature. Averaged over
 * the trees, the contributions plus the forest's base value add up to the forest's raw bot vote.
 * One pass over the trees per account, on the driver-built flat arrays: cheap beside the forest
 * itself.
 *
 * <p>Caveats: they explain the forest's raw (class-weighted, uncalibrated) score, of which
 * bot_probability is a monotone transform; they are local and order-dependent (a feature used
 * early in a path is credited with the interactions below it); a feature with the sentinel -1
 * (missing) is credited for its missingness.
 *
 * <p>This is the one UDF of the scoring step: walking trees has no built-in Spark expression.
 */
public final class Contributions implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Contributions kept per account: the largest positive (toward "bot") ones. */
  public static final int TOP = 3;

  /** Per tree, per node: feature (-1 for a leaf), threshold, left and right child, bot share. */
  private final int[][] feature;
  private final double[][] threshold;
  private final int[][] left;
  private final int[][] right;
  private final double[][] share;
  private final String[] names;

  private Contributions(RandomForestClassificationModel forest, List<String> names) {
    var trees = forest.trees();
    int n = trees.length;
    feature = new int[n][];
    threshold = new double[n][];
    left = new int[n][];
    right = new int[n][];
    share = new double[n][];
    for (int t = 0; t < n; t++) {
      List<Node> nodes = new ArrayList<>();
      collect(trees[t].rootNode(), nodes);
      int m = nodes.size();
      feature[t] = new int[m];
      threshold[t] = new double[m];
      left[t] = new int[m];
      right[t] = new int[m];
      share[t] = new double[m];
      java.util.IdentityHashMap<Node, Integer> index = new java.util.IdentityHashMap<>();
      for (int i = 0; i < m; i++) {
        index.put(nodes.get(i), i);
      }
      for (int i = 0; i < m; i++) {
        Node node = nodes.get(i);
        double[] stats = node.impurityStats().stats();
        double total = 0;
        for (double s : stats) {
          total += s;
        }
        share[t][i] = total > 0 && stats.length > 1 ? stats[1] / total : 0;
        if (node instanceof InternalNode in && in.split() instanceof ContinuousSplit split) {
          feature[t][i] = split.featureIndex();
          threshold[t][i] = split.threshold();
          left[t][i] = index.get(in.leftChild());
          right[t][i] = index.get(in.rightChild());
        } else {
          feature[t][i] = -1;
        }
      }
    }
    this.names = names.toArray(String[]::new);
  }

  private static void collect(Node node, List<Node> out) {
    out.add(node);
    if (node instanceof InternalNode in) {
      collect(in.leftChild(), out);
      collect(in.rightChild(), out);
    }
  }

  /** The forest's contributions over the named features (the assembler's input order). */
  public static Contributions of(RandomForestClassificationModel forest, List<String> featureNames) {
    if (forest.numFeatures() != featureNames.size()) {
      throw new IllegalArgumentException("The forest has " + forest.numFeatures() + " features, the metadata names " + featureNames.size());
    }
    return new Contributions(forest, featureNames);
  }

  /** Mean contribution of each feature over the trees for one feature vector. */
  double[] contributions(Vector x) {
    double[] c = new double[names.length];
    for (int t = 0; t < feature.length; t++) {
      int i = 0;
      while (feature[t][i] >= 0) {
        int next = x.apply(feature[t][i]) <= threshold[t][i] ? left[t][i] : right[t][i];
        c[feature[t][i]] += share[t][next] - share[t][i];
        i = next;
      }
    }
    for (int f = 0; f < c.length; f++) {
      c[f] /= feature.length;
    }
    return c;
  }

  /** The forest's base value: the mean root bot share over the trees. */
  double base() {
    double b = 0;
    for (double[] s : share) {
      b += s[0];
    }
    return b / share.length;
  }

  /** Up to {@link #TOP} (feature, contribution) with the largest positive contributions, largest first. */
  List<Row> top(Vector x) {
    double[] c = contributions(x);
    Integer[] order = new Integer[c.length];
    for (int i = 0; i < c.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> c[b] != c[a] ? Double.compare(c[b], c[a]) : names[a].compareTo(names[b]));
    List<Row> out = new ArrayList<>();
    for (int k = 0; k < Math.min(TOP, order.length) && c[order[k]] > 0; k++) {
      out.add(RowFactory.create(names[order[k]], c[order[k]]));
    }
    return out;
  }

  /** A column of {@link AccountScores#TOP_FEATURES} from the forest's feature-vector column. */
  public Column column(String vectorCol) {
    Contributions self = this;
    UserDefinedFunction f = udf((UDF1<Vector, List<Row>>) v -> v == null ? List.of() : self.top(v), AccountScores.TOP_FEATURES_TYPE);
    return f.apply(col(vectorCol));
  }
}
