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
 * One pass over the trees per account, on the driver-built flat arrays, which also gives the
 * forest's own probability ({@link #scoreColumn}), so scoring walks the trees once.
 *
 * <p>Caveats: they explain the forest's raw (class-weighted, uncalibrated) score, of which
 * bot_probability is a monotone transform; they are local and order-dependent (a feature used
 * early in a path is credited with the interactions below it); a feature with the sentinel -1
 * (missing) is credited for its missingness.
 *
 * <p>{@link #scoreColumn}, or {@link #column} where MLlib's transform scores, is the one UDF of the
 * scoring step: walking trees has no built-in Spark expression.
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
  /** Per tree, per node: the node's class-0 and class-1 vote, each class count over the node's total, as MLlib's forest votes. */
  private final double[][] vote0;
  private final double[][] vote1;
  /** Every split continuous and every node's stats binary: {@link #walk} reproduces the forest's probability. */
  private final boolean walkable;
  private final String[] names;

  private Contributions(RandomForestClassificationModel forest, List<String> names) {
    var trees = forest.trees();
    int n = trees.length;
    feature = new int[n][];
    threshold = new double[n][];
    left = new int[n][];
    right = new int[n][];
    share = new double[n][];
    vote0 = new double[n][];
    vote1 = new double[n][];
    boolean binaryContinuous = forest.numClasses() == 2;
    for (int t = 0; t < n; t++) {
      List<Node> nodes = new ArrayList<>();
      collect(trees[t].rootNode(), nodes);
      int m = nodes.size();
      feature[t] = new int[m];
      threshold[t] = new double[m];
      left[t] = new int[m];
      right[t] = new int[m];
      share[t] = new double[m];
      vote0[t] = new double[m];
      vote1[t] = new double[m];
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
        // MLlib skips a leaf whose total is 0; adding 0.0 to a vote changes nothing.
        binaryContinuous &= stats.length == 2;
        if (total != 0 && stats.length == 2) {
          vote0[t][i] = stats[0] / total;
          vote1[t][i] = stats[1] / total;
        }
        if (node instanceof InternalNode in && in.split() instanceof ContinuousSplit split) {
          feature[t][i] = split.featureIndex();
          threshold[t][i] = split.threshold();
          left[t][i] = index.get(in.leftChild());
          right[t][i] = index.get(in.rightChild());
        } else {
          feature[t][i] = -1;
          // A categorical split ends the walk here, where MLlib's forest would go on.
          binaryContinuous &= !(node instanceof InternalNode);
        }
      }
    }
    this.names = names.toArray(String[]::new);
    this.walkable = binaryContinuous;
  }

  /** Whether {@link #walk} gives the forest's own probability: a binary forest with continuous splits only. */
  public boolean walkable() {
    return walkable;
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
    walk(x, c);
    return c;
  }

  /**
   * One walk of every tree along the path {@code x} takes: the mean contributions go into {@code c},
   * and the result is the forest's class-1 probability computed as MLlib's forest computes it (the
   * leaves' class votes summed over the trees in order, then normalised by their sum).
   */
  double walk(Vector x, double[] c) {
    double v0 = 0;
    double v1 = 0;
    for (int t = 0; t < feature.length; t++) {
      int[] f = feature[t];
      double[] th = threshold[t];
      double[] sh = share[t];
      int i = 0;
      while (f[i] >= 0) {
        int next = x.apply(f[i]) <= th[i] ? left[t][i] : right[t][i];
        c[f[i]] += sh[next] - sh[i];
        i = next;
      }
      v0 += vote0[t][i];
      v1 += vote1[t][i];
    }
    for (int k = 0; k < c.length; k++) {
      c[k] /= feature.length;
    }
    double sum = v0 + v1;
    return sum != 0 ? v1 / sum : v1;
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
    return top(contributions(x));
  }

  /** The largest positive of {@code c}, largest first, ties by feature name: a selection, not a sort of every feature. */
  List<Row> top(double[] c) {
    List<Row> out = new ArrayList<>(TOP);
    boolean[] taken = new boolean[c.length];
    for (int k = 0; k < TOP; k++) {
      int best = -1;
      for (int f = 0; f < c.length; f++) {
        if (!taken[f] && c[f] > 0 && (best < 0 || c[f] > c[best] || (c[f] == c[best] && names[f].compareTo(names[best]) < 0))) {
          best = f;
        }
      }
      if (best < 0) {
        break;
      }
      taken[best] = true;
      out.add(RowFactory.create(names[best], c[best]));
    }
    return out;
  }

  /** A column of {@link AccountScores#TOP_FEATURES} from the forest's feature-vector column. */
  public Column column(String vectorCol) {
    Contributions self = this;
    UserDefinedFunction f = udf((UDF1<Vector, List<Row>>) v -> v == null ? List.of() : self.top(v), AccountScores.TOP_FEATURES_TYPE);
    return f.apply(col(vectorCol));
  }

  public static final String P1 = "p1";
  /** The struct that {@link #scoreColumn} returns: the forest's class-1 probability and the top contributions. */
  public static final org.apache.spark.sql.types.StructType SCORE_TYPE = new org.apache.spark.sql.types.StructType()
      .add(P1, org.apache.spark.sql.types.DataTypes.DoubleType, false).add(AccountScores.TOP_FEATURES, AccountScores.TOP_FEATURES_TYPE);

  /**
   * The forest's class-1 probability and the top contributions from one walk of the trees, as a
   * struct of {@link #SCORE_TYPE}; only for a {@link #walkable} forest. MLlib's own forest walks the
   * same trees once more for the probability, and sums each leaf's class counts through a boxed
   * Scala sum: at 10M posts, 800,000 accounts, about half of the scoring step's time.
   */
  public Column scoreColumn(String vectorCol) {
    Contributions self = this;
    UserDefinedFunction f = udf((UDF1<Vector, Row>) v -> {
      if (v == null) {
        return null;
      }
      double[] c = new double[self.names.length];
      double p = self.walk(v, c);
      return RowFactory.create(p, self.top(c));
    }, SCORE_TYPE);
    return f.apply(col(vectorCol));
  }
}
