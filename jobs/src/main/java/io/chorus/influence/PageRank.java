package io.chorus.influence;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import io.chorus.spark.Stages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Weighted PageRank on DataFrames. Each node u passes d * rank(u) to its out-neighbours in
 * proportion to edge weight; dangling nodes (no out-edges) spread their rank uniformly; every node
 * also gets (1 - d) / N; ranks sum to 1.
 *
 * <p>Because dangling rank is spread like the teleport vector, the PageRank vector is the normalised
 * solution of x = (1 - d)/N + d P^T x (Langville and Meyer, "Deeper inside PageRank", 2004, section
 * 5). That iteration needs no global sum per step, so steps stay lazy; they are materialised (and
 * the L1 change checked) every {@link #CHECK_EVERY} steps.
 */
public final class PageRank {
  public static final double DAMPING = 0.85;
  /** Power iterations in the pipeline; the L1 error after k steps is at most 2 * 0.85^k. */
  public static final int MAX_ITERATIONS = 20;
  public static final double TOLERANCE = 1e-6;
  static final int CHECK_EVERY = 10;

  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String WEIGHT = "weight";
  public static final String NODE = "node";
  public static final String RANK = "pagerank";

  private PageRank() {}

  /**
   * Edges (src, dst, weight) to (node, pagerank). Parallel edges are summed. Nodes get dense ids
   * 0..N-1, and node id i lives in part i mod P at slot i / P, where P is max(default parallelism,
   * spark.sql.shuffle.partitions). The links are grouped by their source's part into one block of
   * primitive arrays per part and kept; the rank vector is one double[] per part. A step is then a
   * loop over each block's links into P dense arrays of contributions (one per destination part),
   * one shuffle of those arrays, and an element-wise sum: no per-link objects, hashing or
   * boxing. Memory per task is about 8 bytes per node (the contributions to every part).
   */
  public static Dataset<Row> compute(Dataset<Row> edges, double damping, int maxIterations, double tolerance) {
    SparkSession spark = edges.sparkSession();
    Dataset<Row> e = edges.groupBy(SRC, DST).agg(sum(col(WEIGHT).cast("double")).as(WEIGHT));
    Dataset<Row> out = e.groupBy(SRC).agg(sum(WEIGHT).as("_out"));
    // The joins below build on a per-node table (out-weights, ids): the edges are not sorted for them.
    Dataset<Row> shares = e.join(Stages.shuffleHash(out), SRC).select(col(SRC), col(DST), col(WEIGHT).divide(col("_out")).as("_share"));
    int parts = Math.max(spark.sparkContext().defaultParallelism(), Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")));
    HashPartitioner partitioner = new HashPartitioner(parts);
    StructType idSchema = new StructType().add(NODE, DataTypes.StringType).add("_id", DataTypes.LongType);
    JavaRDD<Row> idRows = e.select(col(SRC).as(NODE)).union(e.select(col(DST).as(NODE))).distinct().javaRDD()
        .zipWithIndex().map(t -> RowFactory.create(t._1().getString(0), t._2()));
    Dataset<Row> ids = spark.createDataFrame(idRows, idSchema).persist(StorageLevel.MEMORY_AND_DISK());
    long n = ids.count();
    StructType schema = new StructType().add(NODE, DataTypes.StringType).add(RANK, DataTypes.DoubleType);
    if (n == 0) {
      ids.unpersist();
      return spark.createDataFrame(java.util.List.of(), schema);
    }
    if (n / parts >= Integer.MAX_VALUE) {
      throw new io.chorus.ChorusException("PageRank: " + n + " nodes need more than " + parts
          + " parts. Fix: raise spark.sql.shuffle.partitions so that nodes / partitions stays below 2^31");
    }
    // A part's key is its index, and HashPartitioner sends an Integer key k < P to partition k.
    JavaPairRDD<Integer, Links> links = shares
        .join(Stages.shuffleHash(ids.withColumnRenamed(NODE, SRC).withColumnRenamed("_id", "_s")), SRC)
        .join(Stages.shuffleHash(ids.withColumnRenamed(NODE, DST).withColumnRenamed("_id", "_d")), DST)
        .select(col("_s"), col("_d"), col("_share")).javaRDD()
        .mapToPair(r -> new Tuple2<>((int) (r.getLong(0) % parts), r))
        .groupByKey(partitioner)
        .mapValues(rows -> Links.of(rows, parts))
        .persist(StorageLevel.MEMORY_AND_DISK());
    double base = (1 - damping) / n;
    List<Tuple2<Integer, double[]>> first = new ArrayList<>();
    for (int q = 0; q < parts; q++) {
      double[] v = new double[slots(n, parts, q)];
      java.util.Arrays.fill(v, 1.0 / n);
      first.add(new Tuple2<>(q, v));
    }
    JavaPairRDD<Integer, double[]> x = JavaPairRDD.fromJavaRDD(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(first, parts))
        .partitionBy(partitioner);
    JavaPairRDD<Integer, double[]> checked = x.persist(StorageLevel.MEMORY_AND_DISK());
    for (int i = 1; i <= maxIterations; i++) {
      JavaPairRDD<Integer, double[]> in = JavaPairRDD.fromJavaRDD(links.zipPartitions(x, (linkIt, rankIt) -> contributions(linkIt, rankIt, n, parts)))
          .reduceByKey(partitioner, PageRank::addInto);
      // Every part receives an array (possibly all zeros), so the new vector has all N nodes.
      x = in.mapValues(sumIn -> {
        double[] v = new double[sumIn.length];
        for (int k = 0; k < v.length; k++) {
          v[k] = base + damping * sumIn[k];
        }
        return v;
      });
      if (i % CHECK_EVERY == 0 || i == maxIterations) {
        x = x.persist(StorageLevel.MEMORY_AND_DISK());
        x.rdd().localCheckpoint();
        double delta = x.zipPartitions(checked, (now, before) -> {
          double d = 0;
          Map<Integer, double[]> prev = toMap(before);
          while (now.hasNext()) {
            Tuple2<Integer, double[]> t = now.next();
            double[] b = prev.get(t._1());
            for (int k = 0; k < t._2().length; k++) {
              d += Math.abs(t._2()[k] - b[k]);
            }
          }
          return List.of(d).iterator();
        }).fold(0.0, Double::sum);
        checked.unpersist();
        checked = x;
        if (delta < tolerance) {
          break;
        }
      }
    }
    double total = x.values().map(v -> java.util.Arrays.stream(v).sum()).fold(0.0, Double::sum);
    JavaRDD<Row> ranked = x.flatMap(t -> java.util.stream.IntStream.range(0, t._2().length)
        .mapToObj(k -> RowFactory.create((long) k * parts + t._1(), t._2()[k] / total)).iterator());
    StructType rankSchema = new StructType().add("_id", DataTypes.LongType).add(RANK, DataTypes.DoubleType);
    Dataset<Row> result = spark.createDataFrame(ranked, rankSchema).join(Stages.shuffleHash(ids), "_id").select(NODE, RANK).localCheckpoint();
    links.unpersist();
    checked.unpersist();
    ids.unpersist();
    return result;
  }

  /** A partition's (part, rank vector) pairs by part. */
  static Map<Integer, double[]> toMap(Iterator<Tuple2<Integer, double[]>> it) {
    Map<Integer, double[]> m = new HashMap<>();
    it.forEachRemaining(t -> m.put(t._1(), t._2()));
    return m;
  }

  /** Nodes in part q of P: the ids q, q + P, q + 2P, ... below n. */
  static int slots(long n, int parts, int q) {
    return (int) ((n - q + parts - 1) / parts);
  }

  /** One part's links as primitive arrays: source slot (in this part), destination id, share. */
  record Links(int[] srcSlot, long[] dst, double[] share) implements java.io.Serializable {
    static Links of(Iterable<Row> rows, int parts) {
      List<Row> all = new ArrayList<>();
      rows.forEach(all::add);
      int[] s = new int[all.size()];
      long[] d = new long[all.size()];
      double[] w = new double[all.size()];
      for (int k = 0; k < all.size(); k++) {
        Row r = all.get(k);
        s[k] = (int) (r.getLong(0) / parts);
        d[k] = r.getLong(1);
        w[k] = r.getDouble(2);
      }
      return new Links(s, d, w);
    }
  }

  /**
   * A part's contributions to every part: (part, dense array of share * rank(src) summed by
   * destination slot), one array per part, zeros where nothing arrives.
   */
  static Iterator<Tuple2<Integer, double[]>> contributions(Iterator<Tuple2<Integer, Links>> linkIt, Iterator<Tuple2<Integer, double[]>> rankIt,
      long n, int parts) {
    double[][] acc = new double[parts][];
    for (int q = 0; q < parts; q++) {
      acc[q] = new double[slots(n, parts, q)];
    }
    Map<Integer, double[]> rank = toMap(rankIt);
    while (linkIt.hasNext()) {
      Tuple2<Integer, Links> t = linkIt.next();
      double[] r = rank.get(t._1());
      Links l = t._2();
      for (int k = 0; k < l.dst().length; k++) {
        long d = l.dst()[k];
        acc[(int) (d % parts)][(int) (d / parts)] += l.share()[k] * r[l.srcSlot()[k]];
      }
    }
    List<Tuple2<Integer, double[]>> outParts = new ArrayList<>(parts);
    for (int q = 0; q < parts; q++) {
      outParts.add(new Tuple2<>(q, acc[q]));
    }
    return outParts.iterator();
  }

  /** Element-wise a += b (same length); returns a. */
  static double[] addInto(double[] a, double[] b) {
    for (int k = 0; k < a.length; k++) {
      a[k] += b[k];
    }
    return a;
  }

  public static Dataset<Row> compute(Dataset<Row> edges) {
    return compute(edges, DAMPING, MAX_ITERATIONS, TOLERANCE);
  }
}
