package io.chorus.coordination;

import static io.chorus.schema.Coordination.*;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.xxhash64;

import io.chorus.schema.AccountScores;
import io.chorus.schema.Posts;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Coordinated behaviour after Pacheco et al., "Uncovering Coordinated Networks on Social Media"
 * (ICWSM 2021): a bipartite account-trace network, TF-IDF weights, projection onto account pairs by
 * cosine similarity, an edge filter, and clusters as connected components.
 *
 * <p>A trace is an item plus a time bucket. For co-repost, co-link and co-text the bucket is the
 * window ({@code windowSeconds}) counted from the item's first occurrence, as CooRnet's coordination
 * interval does: accounts that share within the same window of the item share the trace. Hashtag
 * sequences use the UTC day. Guards against the quadratic blow-up of viral items: a trace shared by
 * more than {@code maxTraceAccounts} accounts is dropped (it is popularity, not coordination, and
 * would emit that many squared pairs); TF-IDF weighting makes common traces count less; edges need
 * {@code minShared} shared traces and cosine at least {@code minSimilarity}; each account keeps its
 * {@code topEdges} strongest edges.
 */
public final class CoordinationDetector {
  static final String TRACE_KEY = "trace_key";
  static final String TS = "_ts";

  /**
   * Detector settings; {@link #DEFAULTS} documents the defaults.
   *
   * @param textSimilarity co-text: the word-bigram Jaccard similarity at or above which two texts
   *     count as the same item (1.0 keeps identical normalised texts only)
   */
  public record Params(long windowSeconds, int minShared, double minSimilarity, int maxTraceAccounts, int topEdges, List<String> traces,
      double textSimilarity) {
    /**
     * Synchrony is off by default: every account active in a time bin shares it, so its pairs
     * grow with the square of the posts per bin; busy archives need a narrow window for it.
     */
    public static final Params DEFAULTS =
        new Params(60, 3, 0.3, 500, 50, List.of(CO_REPOST, CO_LINK, CO_TEXT, HASHTAG_SEQUENCE), Params.DEFAULT_TEXT_SIMILARITY);
    public static final List<String> KNOWN_TRACES = List.of(CO_REPOST, CO_LINK, CO_TEXT, HASHTAG_SEQUENCE, SYNCHRONY);
    /** Normalised texts shorter than this are too generic to be a co-text trace. */
    public static final int MIN_TEXT_CHARS = 25;
    public static final double DEFAULT_TEXT_SIMILARITY = 0.7;

    /** Settings with the default text similarity. */
    public Params(long windowSeconds, int minShared, double minSimilarity, int maxTraceAccounts, int topEdges, List<String> traces) {
      this(windowSeconds, minShared, minSimilarity, maxTraceAccounts, topEdges, traces, DEFAULT_TEXT_SIMILARITY);
    }
  }

  /** LSH buckets holding more distinct texts than this are boilerplate; they are not compared pairwise. */
  static final int MAX_BUCKET_TEXTS = 1000;

  private CoordinationDetector() {}

  /**
   * Bucket of the window since the first occurrence of the item on its platform, from a long column
   * that hashes the item with its platform. A window over one long key is sorted by radix sort; over
   * two keys Spark's sort falls back to a comparison sort (TimSort) of every row.
   */
  static Column bucketSinceFirst(String itemOnPlatformCol, long windowSeconds) {
    Column t = unix_seconds(col(Posts.CREATED_AT));
    Column first = min(t).over(Window.partitionBy(col(itemOnPlatformCol)));
    return floor(t.minus(first).divide(windowSeconds)).cast("long");
  }

  static final String ITEM_HASH = "_item_hash";

  /**
   * The trace rows of one type: the trace key is a 64-bit hash of the trace type, the item on its
   * platform and its window, not the text "item|window". Each trace key is grouped, sorted and
   * joined on about 14 million network rows at 10M posts. A long compares by its sort prefix alone,
   * where item ids as text share their first eight characters and fall back to comparing bytes; and
   * since the key alone identifies the trace (type, platform, item, window), the document frequency
   * window and the projection's pair join sort by it alone, by radix sort. The first-occurrence
   * window is over the item's hash on its platform too. Two traces that collide in 64 bits would be
   * one: at 10^8 distinct traces the chance that any pair does is about 3 in 10^4.
   */
  static Dataset<Row> keyed(Dataset<Row> items, String trace, String itemCol, long windowSeconds) {
    return items.withColumn(ITEM_HASH, xxhash64(col(itemCol), col(Posts.PLATFORM)))
        .select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), lit(trace).as(TRACE),
            xxhash64(lit(trace), col(ITEM_HASH), bucketSinceFirst(ITEM_HASH, windowSeconds)).as(TRACE_KEY), col(Posts.CREATED_AT));
  }

  /** Lower case, no URLs, no leading "RT @name:", single spaces: {@link TextNormaliser}. */
  public static Column normaliseText(Column text) {
    return TextNormaliser.column(text);
  }

  /** Scheme, www., query, fragment and trailing slash removed; lower case. */
  public static Column normaliseUrl(Column url) {
    Column u = lower(url);
    u = regexp_replace(u, "^[a-z]+://", "");
    u = regexp_replace(u, "^www\\.", "");
    u = regexp_replace(u, "[?#].*$", "");
    return regexp_replace(u, "/+$", "");
  }

  /** (platform, account_id, trace, trace_key, created_at) for every enabled trace type. */
  public static Dataset<Row> traces(Dataset<Row> posts, Params p) {
    List<Dataset<Row>> parts = new ArrayList<>();
    if (p.traces().contains(CO_REPOST)) {
      parts.add(keyed(posts.filter(col(Posts.KIND).equalTo(Posts.KIND_REPOST).and(col(Posts.PARENT_POST_ID).isNotNull())),
          CO_REPOST, Posts.PARENT_POST_ID, p.windowSeconds()));
    }
    if (p.traces().contains(CO_LINK)) {
      Dataset<Row> links = posts.filter(col(Posts.KIND).notEqual(Posts.KIND_REPOST))
          .select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), col(Posts.CREATED_AT), explode(col(Posts.URLS)).as("_url"))
          .withColumn("_item", normaliseUrl(col("_url"))).filter(length(col("_item")).gt(0));
      parts.add(keyed(links, CO_LINK, "_item", p.windowSeconds()));
    }
    if (p.traces().contains(CO_TEXT)) {
      // Reposts with a known parent are co-repost's business; reposts without one (e.g. the IRA
      // archive, where a retweet does not name its original) are compared by text.
      Dataset<Row> texts = posts.filter(col(Posts.KIND).notEqual(Posts.KIND_REPOST).or(col(Posts.PARENT_POST_ID).isNull()))
          .withColumn("_norm", normaliseText(col(Posts.TEXT)))
          .filter(length(col("_norm")).geq(Params.MIN_TEXT_CHARS))
          .withColumn(TEXT_ID, xxhash64(col("_norm")));
      Dataset<Row> items = p.textSimilarity() >= 1.0 ? texts.withColumn("_item", col(TEXT_ID).cast("string"))
          : texts.join(nearDuplicateGroups(texts.select(PLATFORM, TEXT_ID, "_norm"), p.textSimilarity()), new String[] {PLATFORM, TEXT_ID}, "left")
              .withColumn("_item", coalesce(col("_item"), col(TEXT_ID).cast("string")));
      parts.add(keyed(items, CO_TEXT, "_item", p.windowSeconds()));
    }
    if (p.traces().contains(HASHTAG_SEQUENCE)) {
      parts.add(posts.filter(size(col(Posts.HASHTAGS)).geq(2))
          .select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), lit(HASHTAG_SEQUENCE).as(TRACE),
              xxhash64(lit(HASHTAG_SEQUENCE), col(Posts.PLATFORM), to_date(col(Posts.CREATED_AT)), col(Posts.HASHTAGS)).as(TRACE_KEY),
              col(Posts.CREATED_AT)));
    }
    if (p.traces().contains(SYNCHRONY)) {
      parts.add(posts.select(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), lit(SYNCHRONY).as(TRACE),
          xxhash64(lit(SYNCHRONY), col(Posts.PLATFORM), floor(unix_seconds(col(Posts.CREATED_AT)).divide(p.windowSeconds())).cast("long")).as(TRACE_KEY),
          col(Posts.CREATED_AT)));
    }
    return parts.stream().reduce(Dataset::unionByName)
        .orElseThrow(() -> new io.chorus.ChorusException("No coordination trace enabled. Fix: enable at least one of " + Params.DEFAULTS.traces()));
  }

  static final String TEXT_ID = "_text_id";

  /**
   * The verified pairs of a partition sorted by bucket, from rows (platform, _bk, _text_id, _hs)
   * where the bucket key {@code _bk} hashes the platform and the band hash: within each bucket of 2
   * to {@link #MAX_BUCKET_TEXTS} texts, every pair of the same platform whose shingle-hash Jaccard
   * similarity reaches the threshold, as (platform, account_a, account_b) with the smaller text id
   * first. Larger buckets are skipped as they stream past. A pair sharing several bands is emitted
   * once per band.
   */
  static final class BucketPairs implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final double threshold;
    private final List<long[]> sets = new ArrayList<>();
    private final List<Long> ids = new ArrayList<>();
    private final List<String> platforms = new ArrayList<>();
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private Row pending;

    BucketPairs(Iterator<Row> rows, double threshold) {
      this.rows = rows;
      this.threshold = threshold;
      this.pending = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && pending != null) {
        nextBucket();
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** Reads the bucket that starts at {@code pending} and queues its verified pairs. */
    private void nextBucket() {
      long bk = pending.getLong(1);
      sets.clear();
      ids.clear();
      platforms.clear();
      int size = 0;
      Row r = pending;
      while (r != null && r.getLong(1) == bk) {
        if (++size <= MAX_BUCKET_TEXTS) {
          platforms.add(r.getString(0));
          ids.add(r.getLong(2));
          sets.add(r.<Long>getList(3).stream().mapToLong(Long::longValue).sorted().distinct().toArray());
        }
        r = rows.hasNext() ? rows.next() : null;
      }
      pending = r;
      if (size > MAX_BUCKET_TEXTS) {
        return;
      }
      for (int i = 0; i < size; i++) {
        for (int j = i + 1; j < size; j++) {
          long x = ids.get(i);
          long y = ids.get(j);
          // The key hashes the platform: another platform's bucket here is a 64-bit collision.
          if (x != y && platforms.get(i).equals(platforms.get(j)) && jaccard(sets.get(i), sets.get(j)) >= threshold) {
            ready.add(RowFactory.create(platforms.get(i), String.valueOf(Math.min(x, y)), String.valueOf(Math.max(x, y))));
          }
        }
      }
    }
  }

  /** |a and b| / |a or b| of two sorted sets without repeats; 0 when both are empty. */
  static double jaccard(long[] a, long[] b) {
    int i = 0;
    int j = 0;
    int common = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    int union = a.length + b.length - common;
    return union == 0 ? 0 : (double) common / union;
  }

  /**
   * Near-duplicate groups of normalised texts by MinHash LSH: each distinct text gets a signature of
   * {@link TextSignatures#BANDS} bands of {@link TextSignatures#ROWS} MinHash rows over its word
   * bigrams ({@link TextSignatures}); texts sharing a band are
   * candidates, kept as pairs when their exact bigram Jaccard similarity (over 64-bit hashes of the
   * bigrams) reaches {@code threshold}; groups are the connected components of those pairs. A pair
   * at similarity s becomes a candidate with probability 1-(1-s^3)^8: 0.96 at 0.7, 0.999 at 0.85.
   * MLlib's MinHashLSH has one hash per table (no AND of rows), so on short texts its self-join
   * compares nearly every pair that shares a common word; banding keeps candidates to true
   * near-duplicates.
   *
   * <p>Candidates are verified inside their bucket: the (text, band) rows of buckets with at least
   * two texts, with each text's shingle hashes, are sorted by bucket, and {@link BucketPairs}
   * compares each text with the texts after it in its bucket. A pair that shares several bands is compared once per band, which costs less
   * than shuffling millions of candidate pairs through two joins to fetch their shingles.
   *
   * @param texts (platform, _text_id, _norm)
   * @return (platform, _text_id, _item) for the texts in a near-duplicate group; the item is the
   *     group id (other texts are their own item)
   */
  public static Dataset<Row> nearDuplicateGroups(Dataset<Row> texts, double threshold) {
    // Texts without a word (punctuation, symbols) have no shingles: only identical copies match them.
    // The signatures are read twice (the buckets, then the shingle hashes of their texts): persisted.
    // distinct() over the three columns is a hash aggregate; dropDuplicates(platform, id) kept the
    // text as first(_norm), a string buffer that made Spark fall back to sorting every row.
    Dataset<Row> sig = texts.select(col(PLATFORM), col(TEXT_ID), col("_norm")).distinct()
        .mapPartitions(TextSignatures.signatures(), Encoders.row(TextSignatures.schema()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    // Most (text, band) rows are alone in their bucket. Bucket sizes are counted on narrow rows, so
    // only the rows of buckets with at least two texts fetch their shingle hashes and reach the walk.
    // A bucket is one long key, the platform hashed with the band hash (which already mixes in the
    // band): a sort on one long column is a radix sort, where the three columns (band hash, band,
    // platform) made Spark's sort compare rows one by one. The walk applies the size cap.
    Dataset<Row> shared = sig.select(col(PLATFORM), col(TEXT_ID), explode(col(TextSignatures.BAND_HASHES)).as("_bh"))
        .select(col(PLATFORM), col(TEXT_ID), xxhash64(col(PLATFORM), col("_bh")).as("_bk"))
        .withColumn("_size", count(lit(1)).over(Window.partitionBy("_bk")))
        .filter(col("_size").geq(2));
    StructType pairSchema = new StructType().add(PLATFORM, DataTypes.StringType).add(ACCOUNT_A, DataTypes.StringType)
        .add(ACCOUNT_B, DataTypes.StringType);
    // One sort by bucket, then each bucket's texts are compared in a walk over the sorted rows (a
    // collect_list per bucket is an object aggregate that falls back to sorting twice, with the hash
    // arrays in every row).
    Dataset<Row> pairs = shared.join(sig.select(TEXT_ID, PLATFORM, TextSignatures.HASHES), new String[] {TEXT_ID, PLATFORM})
        .select(col(PLATFORM), col("_bk"), col(TEXT_ID), col(TextSignatures.HASHES))
        .repartition(col("_bk"))
        .sortWithinPartitions("_bk")
        .mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new BucketPairs(rows, threshold), Encoders.row(pairSchema));
    // components() is eager (its result is checkpointed), so the persisted signatures can go.
    Dataset<Row> groups = components(pairs).select(col(PLATFORM), col(ACCOUNT_ID).cast("long").as(TEXT_ID), col(CLUSTER_ID).as("_item"));
    sig.unpersist();
    return groups;
  }

  /** The bipartite projection: filtered, weighted account pairs per trace type. */
  public static Dataset<Row> edges(Dataset<Row> traces, Params p) {
    return projection(weightedTraces(accountTraces(traces), p), p);
  }

  /**
   * The bipartite network: one row per (platform, trace, trace_key, account_id) with the account's
   * first and last post on it.
   */
  public static Dataset<Row> accountTraces(Dataset<Row> traces) {
    return traces.groupBy(PLATFORM, TRACE, TRACE_KEY, Posts.ACCOUNT_ID)
        .agg(min(Posts.CREATED_AT).as("_first"), max(Posts.CREATED_AT).as("_last"));
  }

  /**
   * The links of the bipartite network {@link #accountTraces} whose trace is shared by 2 to
   * {@code maxTraceAccounts} accounts, each with its TF-IDF weight {@code _w = log(n / df)}: n
   * accounts have the trace type on the platform, df of them share this trace. {@link #projection}
   * reads the result three times (both sides of the pair join, and the norms), so jobs persist it.
   * The document frequency is a window over the trace key (one shuffle and sort of the network,
   * where an aggregate joined back needed two sorts). The key alone identifies the trace (it hashes
   * the type and the platform, {@link #keyed}), so the window sorts by one long: a radix sort.
   *
   * @return (platform, trace, trace_key, account_id, _w, _first, _last)
   */
  public static Dataset<Row> weightedTraces(Dataset<Row> t, Params p) {
    Dataset<Row> nAccounts = t.groupBy(PLATFORM, TRACE).agg(count_distinct(col(Posts.ACCOUNT_ID)).as("_n"));
    return t.withColumn("_df", count(lit(1)).over(Window.partitionBy(TRACE_KEY)))
        .filter(col("_df").between(2, p.maxTraceAccounts()))
        // One row per (platform, trace type): a handful.
        .join(broadcast(nAccounts), new String[] {PLATFORM, TRACE})
        .select(col(PLATFORM), col(TRACE), col(TRACE_KEY), col(Posts.ACCOUNT_ID), log(col("_n").divide(col("_df"))).as("_w"),
            col("_first"), col("_last"));
  }

  /** {@link #edges} from the weighted links of {@link #weightedTraces}. */
  public static Dataset<Row> projection(Dataset<Row> weighted, Params p) {
    Dataset<Row> norms = weighted.groupBy(PLATFORM, TRACE, Posts.ACCOUNT_ID).agg(sqrt(sum(col("_w").multiply(col("_w")))).as("_norm"));
    // Both sides are the same plan under two aliases. Persisted, it keeps the window's partitioning
    // by trace key, so at 10M the pair join read it with no exchange (event log). The norms
    // aggregate was still computed once per norm join, a few seconds.
    Dataset<Row> a = weighted.alias("a");
    Dataset<Row> b = weighted.alias("b");
    // The key alone identifies the trace, its type and platform included ({@link #keyed}): the join
    // sorts both sides by one long, a radix sort, where three keys made it compare rows one by one.
    Column sameTrace = col("a." + TRACE_KEY).equalTo(col("b." + TRACE_KEY));
    Dataset<Row> pairs = a.join(b, sameTrace).filter(col("a." + Posts.ACCOUNT_ID).lt(col("b." + Posts.ACCOUNT_ID)))
        .groupBy(col("a." + PLATFORM).as(PLATFORM), col("a." + TRACE).as(TRACE), col("a." + Posts.ACCOUNT_ID).as(ACCOUNT_A),
            col("b." + Posts.ACCOUNT_ID).as(ACCOUNT_B))
        .agg(count(lit(1)).as(N_SHARED), sum(col("a._w").multiply(col("b._w"))).as("_dot"),
            min(least(col("a._first"), col("b._first"))).as(FIRST_SEEN), max(greatest(col("a._last"), col("b._last"))).as(LAST_SEEN))
        .filter(col(N_SHARED).geq(p.minShared()));
    Dataset<Row> scored = pairs
        .join(norms.withColumnRenamed(Posts.ACCOUNT_ID, ACCOUNT_A).withColumnRenamed("_norm", "_na"), new String[] {ACCOUNT_A, TRACE, PLATFORM})
        .join(norms.withColumnRenamed(Posts.ACCOUNT_ID, ACCOUNT_B).withColumnRenamed("_norm", "_nb"), new String[] {ACCOUNT_B, TRACE, PLATFORM})
        // A trace every account shares has zero weight; accounts with only such traces have no direction.
        .filter(col("_na").multiply(col("_nb")).gt(0))
        .withColumn(WEIGHT, least(lit(1.0), col("_dot").divide(col("_na").multiply(col("_nb")))))
        .filter(col(WEIGHT).geq(p.minSimilarity()));
    Column rankA = row_number().over(Window.partitionBy(ACCOUNT_A, TRACE, PLATFORM).orderBy(col(WEIGHT).desc(), col(ACCOUNT_B)));
    Column rankB = row_number().over(Window.partitionBy(ACCOUNT_B, TRACE, PLATFORM).orderBy(col(WEIGHT).desc(), col(ACCOUNT_A)));
    return scored.withColumn("_ra", rankA).withColumn("_rb", rankB)
        .filter(col("_ra").leq(p.topEdges()).or(col("_rb").leq(p.topEdges())))
        .select(ACCOUNT_A, ACCOUNT_B, PLATFORM, TRACE, WEIGHT, N_SHARED, FIRST_SEEN, LAST_SEEN);
  }

  /**
   * Connected components of the edge graph (all trace types together) by min-label propagation on
   * co-partitioned pair RDDs; iterations equal the largest component's diameter. Returns
   * (platform, account_id, cluster_id) where the cluster id is the smallest member key.
   */
  public static Dataset<Row> components(Dataset<Row> edges) {
    SparkSession spark = edges.sparkSession();
    JavaPairRDD<String, String> links = edges.select(concat_ws("\u0001", col(PLATFORM), col(ACCOUNT_A)), concat_ws("\u0001", col(PLATFORM), col(ACCOUNT_B)))
        .distinct().javaRDD()
        .flatMapToPair(r -> List.of(new Tuple2<>(r.getString(0), r.getString(1)), new Tuple2<>(r.getString(1), r.getString(0))).iterator());
    org.apache.spark.HashPartitioner partitioner = new org.apache.spark.HashPartitioner(Math.max(1, spark.sparkContext().defaultParallelism()));
    links = links.partitionBy(partitioner).persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<String, String> labels = links.keys().distinct().mapToPair(k -> new Tuple2<>(k, k)).partitionBy(partitioner)
        .persist(StorageLevel.MEMORY_AND_DISK());
    for (int i = 0; i < 1000; i++) {
      JavaPairRDD<String, String> offered = links.join(labels).mapToPair(t -> new Tuple2<>(t._2()._1(), t._2()._2()))
          .reduceByKey(partitioner, (x, y) -> x.compareTo(y) <= 0 ? x : y);
      JavaPairRDD<String, Tuple2<String, String>> both = labels.join(offered);
      JavaPairRDD<String, String> next = both.mapValues(t -> t._1().compareTo(t._2()) <= 0 ? t._1() : t._2())
          .persist(StorageLevel.MEMORY_AND_DISK());
      next.rdd().localCheckpoint();
      long changed = next.join(labels).filter(t -> !t._2()._1().equals(t._2()._2())).count();
      labels.unpersist();
      labels = next;
      if (changed == 0) {
        break;
      }
    }
    StructType schema = new StructType().add("_k", DataTypes.StringType).add("_label", DataTypes.StringType);
    Dataset<Row> out = spark.createDataFrame(labels.map(t -> RowFactory.create(t._1(), t._2())), schema)
        .select(org.apache.spark.sql.functions.split(col("_k"), "\u0001").as("_kp"), col("_label"))
        .select(org.apache.spark.sql.functions.element_at(col("_kp"), 1).as(PLATFORM), org.apache.spark.sql.functions.element_at(col("_kp"), 2).as(ACCOUNT_ID),
            org.apache.spark.sql.functions.concat(lit("cl-"), org.apache.spark.sql.functions.substring_index(col("_label"), "\u0001", -1)).as(CLUSTER_ID))
        .localCheckpoint();
    links.unpersist();
    labels.unpersist();
    return out;
  }

  /** One row per cluster member with its traces, the cluster size, mean bot probability and activity span. */
  public static Dataset<Row> clusters(Dataset<Row> edges, Dataset<Row> components, Dataset<Row> scoresOrNull) {
    Dataset<Row> ends = edges.select(col(PLATFORM), col(ACCOUNT_A).as(ACCOUNT_ID), col(TRACE), col(FIRST_SEEN), col(LAST_SEEN))
        .unionByName(edges.select(col(PLATFORM), col(ACCOUNT_B).as(ACCOUNT_ID), col(TRACE), col(FIRST_SEEN), col(LAST_SEEN)));
    Dataset<Row> perMember = ends.groupBy(PLATFORM, ACCOUNT_ID)
        .agg(org.apache.spark.sql.functions.sort_array(collect_set(TRACE)).as(TRACES), min(FIRST_SEEN).as("_f"), max(LAST_SEEN).as("_l"))
        .join(components, new String[] {PLATFORM, ACCOUNT_ID});
    Dataset<Row> withScores = scoresOrNull == null ? perMember.withColumn("_p", lit(null).cast("double"))
        : perMember.join(scoresOrNull.select(col(AccountScores.PLATFORM), col(AccountScores.ACCOUNT_ID), col(AccountScores.BOT_PROBABILITY).as("_p")),
            new String[] {PLATFORM, ACCOUNT_ID}, "left");
    Dataset<Row> perCluster = withScores.groupBy(PLATFORM, CLUSTER_ID)
        .agg(count(lit(1)).as(CLUSTER_SIZE), avg("_p").as(MEAN_BOT_PROBABILITY), min("_f").as(FIRST_ACTIVITY), max("_l").as(LAST_ACTIVITY));
    return withScores.join(perCluster, new String[] {PLATFORM, CLUSTER_ID})
        .select(CLUSTER_ID, ACCOUNT_ID, PLATFORM, TRACES, CLUSTER_SIZE, MEAN_BOT_PROBABILITY, FIRST_ACTIVITY, LAST_ACTIVITY);
  }
}
