package io.chorus.influence;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

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
   * Edges (src, dst, weight) to (node, pagerank). Parallel edges are summed. The links (by source)
   * and the node list are hash-partitioned once into max(default parallelism,
   * spark.sql.shuffle.partitions) parts and kept. A step is then local work plus one shuffle: each
   * link partition is joined to the same partition of the rank vector through an in-memory hash map
   * (no sort or spilling cogroup of the 10M links), the contributions are summed by destination
   * with map-side combining, and the new vector is built partition by partition from the node list.
   * Memory per task is one partition of the rank vector (nodes / partitions entries): raise
   * spark.sql.shuffle.partitions for graphs of hundreds of millions of nodes.
   */
  public static Dataset<Row> compute(Dataset<Row> edges, double damping, int maxIterations, double tolerance) {
    SparkSession spark = edges.sparkSession();
    Dataset<Row> e = edges.groupBy(SRC, DST).agg(sum(col(WEIGHT).cast("double")).as(WEIGHT));
    Dataset<Row> out = e.groupBy(SRC).agg(sum(WEIGHT).as("_out"));
    Dataset<Row> shares = e.join(out, SRC).select(col(SRC), col(DST), col(WEIGHT).divide(col("_out")).as("_share"));
    int parts = Math.max(spark.sparkContext().defaultParallelism(), Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")));
    HashPartitioner partitioner = new HashPartitioner(parts);
    JavaPairRDD<String, Tuple2<String, Double>> links = shares.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getString(0), new Tuple2<>(r.getString(1), r.getDouble(2))))
        .partitionBy(partitioner).persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<String, Boolean> nodes = e.select(col(SRC).as(NODE)).union(e.select(col(DST).as(NODE))).distinct().javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getString(0), Boolean.TRUE))
        .partitionBy(partitioner).persist(StorageLevel.MEMORY_AND_DISK());
    long n = nodes.count();
    StructType schema = new StructType().add(NODE, DataTypes.StringType).add(RANK, DataTypes.DoubleType);
    if (n == 0) {
      links.unpersist();
      nodes.unpersist();
      return spark.createDataFrame(java.util.List.of(), schema);
    }
    double base = (1 - damping) / n;
    // Partition i of links, nodes, every rank vector and every contribution sum holds the keys the
    // partitioner sends to i, so zipping partitions by index pairs the right keys.
    JavaPairRDD<String, Double> x = nodes.mapValues(v -> 1.0 / n);
    JavaPairRDD<String, Double> checked = x.persist(StorageLevel.MEMORY_AND_DISK());
    for (int i = 1; i <= maxIterations; i++) {
      JavaPairRDD<String, Double> in = JavaPairRDD.fromJavaRDD(links.zipPartitions(x, PageRank::contributions))
          .reduceByKey(partitioner, Double::sum);
      x = JavaPairRDD.fromJavaRDD(nodes.zipPartitions(in, (nodeIt, inIt) -> {
        Map<String, Double> received = toMap(inIt);
        return Iterators.map(nodeIt, t -> new Tuple2<>(t._1(), base + damping * received.getOrDefault(t._1(), 0.0)));
      }));
      if (i % CHECK_EVERY == 0 || i == maxIterations) {
        x = x.persist(StorageLevel.MEMORY_AND_DISK());
        x.rdd().localCheckpoint();
        double delta = x.zipPartitions(checked, (now, before) -> {
          Map<String, Double> prev = toMap(before);
          double d = 0;
          while (now.hasNext()) {
            Tuple2<String, Double> t = now.next();
            d += Math.abs(t._2() - prev.getOrDefault(t._1(), 0.0));
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
    double total = x.values().fold(0.0, Double::sum);
    JavaRDD<Row> rows = x.map(t -> RowFactory.create(t._1(), t._2() / total));
    Dataset<Row> result = spark.createDataFrame(rows, schema).localCheckpoint();
    links.unpersist();
    nodes.unpersist();
    checked.unpersist();
    return result;
  }

  /** One partition's rank vector as a hash map. */
  static Map<String, Double> toMap(Iterator<Tuple2<String, Double>> it) {
    Map<String, Double> m = new HashMap<>();
    while (it.hasNext()) {
      Tuple2<String, Double> t = it.next();
      m.put(t._1(), t._2());
    }
    return m;
  }

  /** (dst, share * rank(src)) for each link of a partition, with the ranks of the same partition. */
  static Iterator<Tuple2<String, Double>> contributions(Iterator<Tuple2<String, Tuple2<String, Double>>> linkIt,
      Iterator<Tuple2<String, Double>> rankIt) {
    Map<String, Double> rank = toMap(rankIt);
    return Iterators.map(linkIt, l -> new Tuple2<>(l._2()._1(), l._2()._2() * rank.getOrDefault(l._1(), 0.0)));
  }

  /** A lazy mapped iterator (partitions are streamed, not copied). */
  static final class Iterators {
    private Iterators() {}

    static <A, B> Iterator<B> map(Iterator<A> it, java.util.function.Function<A, B> f) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public B next() {
          return f.apply(it.next());
        }
      };
    }
  }

  public static Dataset<Row> compute(Dataset<Row> edges) {
    return compute(edges, DAMPING, MAX_ITERATIONS, TOLERANCE);
  }
}
