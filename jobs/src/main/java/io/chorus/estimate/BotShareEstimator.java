package io.chorus.estimate;

import static io.chorus.spark.SplitMix.GAMMA;
import static io.chorus.spark.SplitMix.mix64;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.inline;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.chorus.model.BotModel;
import io.chorus.model.ModelMetadata;
import io.chorus.schema.AccountScores;
import io.chorus.schema.BotShare;
import io.chorus.schema.Posts;
import io.chorus.spark.Stages;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Bot prevalence per slice with four estimators:
 *
 * <ul>
 *   <li>CC, classify and count: share of accounts with is_likely_bot.
 *   <li>ACC, adjusted classify and count (Forman 2008): (CC - FPR) / (TPR - FPR).
 *   <li>PCC, probabilistic classify and count: mean bot_probability.
 *   <li>PACC, probabilistic ACC (Bella et al. 2010): (PCC - m0) / (m1 - m0), with m1 and m0 the mean
 *       scores of held-out bots and humans.
 * </ul>
 *
 * ACC and PACC assume prior shift within activity strata ({@link BotModel#ACTIVITY_STRATA}, the
 * account's posts in the archive): the class-conditional score distributions of, say, accounts with
 * 5-19 posts are the same in the archive as among the labeled accounts, only the bot share differs.
 * Each stratum is corrected with its own rates, and a slice's estimate is its strata's estimates
 * weighted by their accounts (posts for the posts unit); a stratum with fewer than
 * {@link UnitRates#MIN_STRATUM_CLASS} labeled accounts of a class uses the pooled rates. Intervals are 95% percentile
 * intervals of a Poisson bootstrap: replicate b weights each account by Poisson(1) drawn from a hash
 * of (seed, b, account), so the same account gets the same weight in every slice of a replicate, and
 * each replicate also redraws TPR, FPR, m1 and m0 from their normal sampling distributions given the
 * holdout sizes. The point estimate is replicate -1 (all weights 1, the measured rates). The posts
 * unit corrects with the rates weighted by the labeled accounts' posts ({@link Rates#postsOf}).
 */
public final class BotShareEstimator {
  public static final String CC = "CC";
  public static final String ACC = "ACC";
  public static final String PCC = "PCC";
  public static final String PACC = "PACC";
  /** Corrections are undefined when the classifier separates the classes less than this. */
  static final double MIN_SEPARATION = 0.05;
  static final double[] POISSON1_CDF = {0.367879, 0.735759, 0.919699, 0.981012, 0.996340, 0.999406, 0.999917, 0.999990};

  /** Topic slices kept by default: the hashtags with the most accounts. */
  public static final int DEFAULT_MAX_TOPICS = 500;
  static final String ST = BotShare.SLICE_TYPE;
  static final String SV = BotShare.SLICE_VALUE;
  static final String N = "_n";
  static final String B = "_b";
  static final String K = "_k";

  private BotShareEstimator() {}

  /** Measured error rates of the classifier, with their sampling spread. */
  public record Rates(double tpr, double fpr, double mPos, double mNeg, long nPos, long nNeg, double sdPos, double sdNeg) {
    public static Rates of(ModelMetadata md) {
      return new Rates(md.tpr(), md.fpr(), md.meanScorePositive(), md.meanScoreNegative(), md.holdoutPositives(), md.holdoutNegatives(),
          md.sdScorePositive(), md.sdScoreNegative());
    }

    /**
     * The rates weighted by each labeled account's posts, for the posts unit: a share of post volume
     * is corrected with the share of bot (human) posts the classifier flags. Models without them
     * fall back to the account rates.
     */
    public static Rates postsOf(ModelMetadata md) {
      Object posts = md.errorRates() == null ? null : md.errorRates().get("posts");
      return posts instanceof java.util.Map<?, ?> m ? of(m).orIfUnweighted(of(md)) : of(md);
    }

    /** Rates from a metadata map as {@code BotModel.rates} writes it. */
    static Rates of(java.util.Map<?, ?> m) {
      java.util.function.Function<String, Double> d = k -> ((Number) m.get(k)).doubleValue();
      return new Rates(d.apply("tpr"), d.apply("fpr"), d.apply("mean_score_positive"), d.apply("mean_score_negative"),
          Math.round(d.apply("effective_positives")), Math.round(d.apply("effective_negatives")), d.apply("sd_score_positive"), d.apply("sd_score_negative"));
    }

    /**
     * These rates, or {@code fallback} when a class had no weight: without posts among the labeled
     * accounts (profile-only sets) there is no post weighting. An effective size is 0 or at least 1.
     */
    Rates orIfUnweighted(Rates fallback) {
      return nPos < 1 || nNeg < 1 ? fallback : this;
    }
  }

  /**
   * Error rates per unit (accounts, post volume) and per activity stratum ({@link
   * BotModel#ACTIVITY_STRATA}); {@code strata.get(k)} holds stratum k's rates, and an empty list
   * means one stratum with the pooled rates.
   */
  public record UnitRates(Rates accounts, Rates posts, List<UnitRates> strata) {
    /** Fewer labeled accounts of a class than this in a stratum: the stratum uses the pooled rates. */
    public static final long MIN_STRATUM_CLASS = 10;

    public UnitRates(Rates accounts, Rates posts) {
      this(accounts, posts, List.of());
    }

    public static UnitRates of(ModelMetadata md) {
      Rates accounts = Rates.of(md);
      Rates posts = Rates.postsOf(md);
      Object strata = md.errorRates() == null ? null : md.errorRates().get("strata");
      List<UnitRates> perStratum = new ArrayList<>();
      if (strata instanceof List<?> list && list.size() == BotModel.ACTIVITY_STRATA.length) {
        for (Object o : list) {
          java.util.Map<?, ?> m = (java.util.Map<?, ?>) o;
          Rates a = Rates.of((java.util.Map<?, ?>) m.get("accounts"));
          Rates p = Rates.of((java.util.Map<?, ?>) m.get("posts")).orIfUnweighted(a);
          boolean usable = a.nPos() >= MIN_STRATUM_CLASS && a.nNeg() >= MIN_STRATUM_CLASS
              && a.tpr() - a.fpr() >= MIN_SEPARATION && a.mPos() - a.mNeg() >= MIN_SEPARATION;
          perStratum.add(usable ? new UnitRates(a, p) : new UnitRates(accounts, posts));
        }
      }
      return new UnitRates(accounts, posts, perStratum);
    }

    /** The same rates for both units. */
    public static UnitRates same(Rates r) {
      return new UnitRates(r, r);
    }

    /** Rates of stratum k (the pooled ones without strata). */
    UnitRates stratum(int k) {
      return strata.isEmpty() ? this : strata.get(k);
    }

    int nStrata() {
      return strata.isEmpty() ? 1 : strata.size();
    }
  }

  /**
   * One row per (slice, account) with the account's posts in the slice. Overall and platform slices
   * cover every scored account (posts may be 0); lang, day and topic cover the accounts posting there.
   */
  public static Dataset<Row> memberships(Dataset<Row> scores, Dataset<Row> posts) {
    return memberships(scores, posts, DEFAULT_MAX_TOPICS);
  }

  /**
   * As above, with topic slices limited to the {@code maxTopics} hashtags used by the most accounts
   * (ties by name): an archive with hundreds of thousands of hashtags would otherwise write a row
   * set per hashtag, nearly all of them low-support.
   */
  public static Dataset<Row> memberships(Dataset<Row> scores, Dataset<Row> posts, int maxTopics) {
    Dataset<Row> perAccount = postsPerAccount(posts);
    Dataset<Row> all = scores.select(AccountScores.PLATFORM, AccountScores.ACCOUNT_ID)
        .join(Stages.shuffleHash(perAccount), new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID}, "left")
        .withColumn(N, coalesce(col(N), lit(0L)));
    Dataset<Row> overall = all.select(lit("overall").as(ST), lit("all").as(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), col(N));
    Dataset<Row> platform = all.select(lit("platform").as(ST), col(Posts.PLATFORM).as(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), col(N));
    Dataset<Row> topicPosts = posts.filter(size(col(Posts.HASHTAGS)).gt(0))
        .select(lit("topic").as(ST), explode(org.apache.spark.sql.functions.array_distinct(col(Posts.HASHTAGS))).as(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID));
    Dataset<Row> sliced =
        posts.select(lit("lang").as(ST), coalesce(col(Posts.LANG), lit("und")).as(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID))
            .unionByName(posts.select(lit("day").as(ST), to_date(col(Posts.CREATED_AT)).cast("string").as(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID)))
            .unionByName(topicPosts.join(topTopics(topicPosts, maxTopics), SV))
            .groupBy(ST, SV, Posts.PLATFORM, Posts.ACCOUNT_ID)
            .agg(count(lit(1)).as(N));
    return overall.unionByName(platform).unionByName(sliced);
  }

  /** (platform, account_id, _n): each posting account's number of posts. */
  static Dataset<Row> postsPerAccount(Dataset<Row> posts) {
    return posts.groupBy(Posts.PLATFORM, Posts.ACCOUNT_ID).agg(count(lit(1)).as(N));
  }

  /** The {@code maxTopics} hashtags with the most distinct accounts: a bounded one-column table. */
  static Dataset<Row> topTopics(Dataset<Row> topicPosts, int maxTopics) {
    return topicPosts.groupBy(SV).agg(org.apache.spark.sql.functions.count_distinct(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID)).as("_accts"))
        .orderBy(col("_accts").desc(), col(SV))
        .limit(maxTopics)
        .select(SV);
  }

  /**
   * actor_group slices: per actor_type of the resolved watchlist (account_id, platform,
   * actor_type), the accounts that repost, quote or reply to an actor of that type, with their
   * number of such posts. "What share of the accounts amplifying embassies are bots?"
   */
  public static Dataset<Row> actorGroupMemberships(Dataset<Row> posts, Dataset<Row> resolvedWatchlist) {
    Dataset<Row> actors = resolvedWatchlist.select(
        col(Posts.PLATFORM).as("_wp"), col(Posts.ACCOUNT_ID).as("_wa"), col(io.chorus.schema.Watchlist.ACTOR_TYPE).as(SV));
    return posts
        .filter(col(Posts.KIND).isin(Posts.KIND_REPOST, Posts.KIND_QUOTE, Posts.KIND_REPLY).and(col(Posts.PARENT_ACCOUNT_ID).isNotNull()))
        .join(org.apache.spark.sql.functions.broadcast(actors),
            col(Posts.PLATFORM).equalTo(col("_wp")).and(col(Posts.PARENT_ACCOUNT_ID).equalTo(col("_wa"))))
        .filter(col(Posts.ACCOUNT_ID).notEqual(col(Posts.PARENT_ACCOUNT_ID)))
        .groupBy(col(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID))
        .agg(count(lit(1)).as(N))
        .select(lit("actor_group").as(ST), col(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), col(N));
  }

  /** cluster slices: the members of each coordination cluster, with all their posts. */
  public static Dataset<Row> clusterMemberships(Dataset<Row> posts, Dataset<Row> clusters) {
    Dataset<Row> perAccount = postsPerAccount(posts);
    return clusters
        .select(lit("cluster").as(ST), col(io.chorus.schema.Coordination.CLUSTER_ID).cast("string").as(SV),
            col(io.chorus.schema.Coordination.PLATFORM).as(Posts.PLATFORM), col(io.chorus.schema.Coordination.ACCOUNT_ID).as(Posts.ACCOUNT_ID))
        .join(Stages.shuffleHash(perAccount), new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID}, "left")
        .withColumn(N, coalesce(col(N), lit(0L)))
        .select(col(ST), col(SV), col(Posts.PLATFORM), col(Posts.ACCOUNT_ID), col(N));
  }

  /** An account's bootstrap stream: its key mixed with the seed. */
  static long stream(long seed, long key) {
    return mix64(key ^ mix64(seed));
  }

  /**
   * The Poisson(1) weight of the account with stream {@code h} in replicate {@code b} (0-based): a
   * uniform from the mixed (stream, b), inverted through the Poisson(1) CDF. The same account gets
   * the same weight in every slice of a replicate.
   */
  static int poissonWeight(long h, int b) {
    double u = (mix64(h + GAMMA * (b + 1)) >>> 11) * 0x1.0p-53;
    int k = 0;
    while (k < POISSON1_CDF.length && u >= POISSON1_CDF[k]) {
      k++;
    }
    return k;
  }

  /** The replicate sums per (slice, replicate, stratum) that {@link ReplicateSums} writes. */
  static final StructType REPLICATE_SUMS = new StructType()
      .add(ST, DataTypes.StringType).add(SV, DataTypes.StringType).add(B, DataTypes.IntegerType).add(K, DataTypes.IntegerType)
      .add("S", DataTypes.DoubleType).add("Sy", DataTypes.DoubleType).add("Sp", DataTypes.DoubleType)
      .add("Nn", DataTypes.DoubleType).add("Ny", DataTypes.DoubleType).add("Np", DataTypes.DoubleType)
      .add("_posts", DataTypes.LongType).add("_accounts", DataTypes.LongType);

  /**
   * Weighted sums per (slice, replicate, stratum) over member rows (slice_type, slice_value, _k,
   * _key, _n, _y, _p): replicate -1 weighs every account 1, replicate b by {@link #poissonWeight}
   * of the account's key. The rows are sorted by one 64-bit hash of (slice, stratum), which Spark
   * radix-sorts (a sort by the slice's text and the stratum compared rows one by one), then one pass
   * per run of equal groups adds every replicate into primitive arrays: the members are read once
   * instead of once per replicate, and memory holds one group's sums at a time.
   */
  static Dataset<Row> replicateSums(Dataset<Row> members, int replicates, long seed) {
    return replicateSums(members, replicates, seed, xxhash64(col(ST), col(SV), col(K)));
  }

  /**
   * {@link #replicateSums} with the rows ordered by {@code sortKey}. A key that two groups share
   * (a hash collision) interleaves their rows and the walk emits partial sums for each run; the
   * sums are additive, so a final aggregate per (slice, replicate, stratum) adds the runs up, and
   * the result does not depend on the order at all.
   */
  static Dataset<Row> replicateSums(Dataset<Row> members, int replicates, long seed, Column sortKey) {
    Dataset<Row> runs = members.select(col(ST), col(SV), col(K), col("_key"), col(N), col("_y"), col("_p"), sortKey.as("_sk"))
        .repartition(col("_sk"))
        .sortWithinPartitions("_sk")
        .mapPartitions(new ReplicateSums(replicates, seed), org.apache.spark.sql.Encoders.row(REPLICATE_SUMS));
    List<Column> sums = new ArrayList<>();
    for (String c : REPLICATE_SUMS.fieldNames()) {
      if (!List.of(ST, SV, B, K).contains(c)) {
        sums.add(sum(col(c)).as(c));
      }
    }
    return runs.groupBy(ST, SV, B, K).agg(sums.get(0), sums.subList(1, sums.size()).toArray(new Column[0]));
  }

  /** The walk of {@link #replicateSums} over one sorted partition. */
  static final class ReplicateSums implements org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row> {
    private final int replicates;
    private final long seed;

    ReplicateSums(int replicates, long seed) {
      this.replicates = replicates;
      this.seed = seed;
    }

    @Override
    public java.util.Iterator<Row> call(java.util.Iterator<Row> rows) {
      return new java.util.Iterator<>() {
        private Row pending = rows.hasNext() ? rows.next() : null;
        private java.util.Iterator<Row> group = java.util.Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!group.hasNext() && pending != null) {
            group = nextGroup().iterator();
          }
          return group.hasNext();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return group.next();
        }

        /** Consumes the rows of the group that starts at {@code pending}; its replicate rows. */
        private List<Row> nextGroup() {
          String st = pending.getString(0);
          String sv = pending.getString(1);
          int k = pending.getInt(2);
          int r = replicates + 1;  // index 0 is the point estimate (replicate -1)
          double[] sw = new double[r];
          double[] sy = new double[r];
          double[] sp = new double[r];
          double[] nn = new double[r];
          double[] ny = new double[r];
          double[] np = new double[r];
          long posts = 0;
          long accounts = 0;
          while (pending != null && pending.getInt(2) == k && java.util.Objects.equals(pending.getString(1), sv)
              && java.util.Objects.equals(pending.getString(0), st)) {
            long h = stream(seed, pending.getLong(3));
            long n = pending.getLong(4);
            double y = pending.getDouble(5);
            double p = pending.getDouble(6);
            posts += n;
            accounts++;
            for (int b = -1; b < replicates; b++) {
              int w = b < 0 ? 1 : poissonWeight(h, b);
              if (w != 0) {
                int i = b + 1;
                sw[i] += w;
                sy[i] += w * y;
                sp[i] += w * p;
                double wn = (double) w * n;
                nn[i] += wn;
                ny[i] += wn * y;
                np[i] += wn * p;
              }
            }
            pending = rows.hasNext() ? rows.next() : null;
          }
          List<Row> out = new ArrayList<>(r);
          for (int i = 0; i < r; i++) {
            out.add(RowFactory.create(st, sv, i - 1, k, sw[i], sy[i], sp[i], nn[i], ny[i], np[i],
                i == 0 ? posts : null, i == 0 ? accounts : null));
          }
          return out;
        }
      };
    }
  }

  /**
   * Replicate parameters: row -1 holds the measured rates, rows 0..B-1 redrawn ones; columns
   * tpr, fpr, m1, m0 for the accounts unit and the same with a "p_" prefix for the posts unit.
   */
  static Dataset<Row> replicates(SparkSession spark, UnitRates r, int replicates, long seed) {
    StructType schema = new StructType().add(B, DataTypes.IntegerType).add(K, DataTypes.IntegerType);
    for (String prefix : new String[] {"", "p_"}) {
      for (String c : new String[] {"tpr", "fpr", "m1", "m0"}) {
        schema = schema.add(prefix + c, DataTypes.DoubleType);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < r.nStrata(); k++) {
      UnitRates u = r.stratum(k);
      rows.add(RowFactory.create(-1, k, u.accounts().tpr(), u.accounts().fpr(), u.accounts().mPos(), u.accounts().mNeg(),
          u.posts().tpr(), u.posts().fpr(), u.posts().mPos(), u.posts().mNeg()));
      Random rnd = new Random(seed + 1_000_003L * k);
      for (int b = 0; b < replicates; b++) {
        double[] a = draw(u.accounts(), rnd);
        double[] p = draw(u.posts(), rnd);
        rows.add(RowFactory.create(b, k, a[0], a[1], a[2], a[3], p[0], p[1], p[2], p[3]));
      }
    }
    return spark.createDataFrame(rows, schema);
  }

  /** tpr, fpr, m1, m0 redrawn from their normal sampling distributions given the sample sizes. */
  static double[] draw(Rates r, Random rnd) {
    return new double[] {
      clamp(r.tpr() + rnd.nextGaussian() * Math.sqrt(r.tpr() * (1 - r.tpr()) / Math.max(1, r.nPos()))),
      clamp(r.fpr() + rnd.nextGaussian() * Math.sqrt(r.fpr() * (1 - r.fpr()) / Math.max(1, r.nNeg()))),
      clamp(r.mPos() + rnd.nextGaussian() * r.sdPos() / Math.sqrt(Math.max(1, r.nPos()))),
      clamp(r.mNeg() + rnd.nextGaussian() * r.sdNeg() / Math.sqrt(Math.max(1, r.nNeg())))
    };
  }

  static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }

  /** (observed - low) / (high - low), null when the classifier does not separate the classes. */
  public static Column adjust(Column observed, Column high, Column low) {
    return when(high.minus(low).geq(MIN_SEPARATION), observed.minus(low).divide(high.minus(low)));
  }

  public static Column clip(Column x) {
    return least(greatest(x, lit(0.0)), lit(1.0));
  }

  /** The bot_share rows (without run_date) for the standard slices. */
  public static Dataset<Row> estimate(Dataset<Row> scores, Dataset<Row> posts, UnitRates rates, int replicates, long seed, long minSupport) {
    return estimate(scores, posts, null, rates, replicates, seed, minSupport, DEFAULT_MAX_TOPICS);
  }

  /**
   * The bot_share rows (without run_date); {@code extraMemberships} (slice_type, slice_value,
   * platform, account_id, _n), when not null, adds slices such as actor_group and cluster.
   */
  public static Dataset<Row> estimate(Dataset<Row> scores, Dataset<Row> posts, Dataset<Row> extraMemberships, UnitRates rates, int replicates,
      long seed, long minSupport, int maxTopics) {
    SparkSession spark = scores.sparkSession();
    Dataset<Row> s = scores.select(
        col(AccountScores.PLATFORM), col(AccountScores.ACCOUNT_ID),
        col(AccountScores.BOT_PROBABILITY).as("_p"), col(AccountScores.IS_LIKELY_BOT).cast("double").as("_y"));
    Dataset<Row> slices = memberships(scores, posts, maxTopics);
    if (extraMemberships != null) {
      slices = slices.unionByName(extraMemberships);
    }
    Dataset<Row> total = postsPerAccount(posts).withColumnRenamed(N, "_total");
    Column stratum = rates.strata().isEmpty() ? lit(0) : BotModel.activityStratum(col("_total"));
    // The scores and the totals have one row per account: hash tables of each task's share, so the
    // member rows (about slices per account times accounts) are not sorted by their text ids.
    Dataset<Row> m = slices.join(Stages.shuffleHash(s), new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID})
        .join(Stages.shuffleHash(total), new String[] {Posts.PLATFORM, Posts.ACCOUNT_ID}, "left")
        .withColumn(K, stratum);
    Dataset<Row> members = m.select(col(ST), col(SV), col(K), xxhash64(col(Posts.PLATFORM), col(Posts.ACCOUNT_ID)).as("_key"),
        // A null count or score adds nothing to a sum, as in SQL's sum: 0 in the walk's primitive arrays.
        coalesce(col(N).cast("long"), lit(0L)).as(N), coalesce(col("_y"), lit(0.0)).as("_y"), coalesce(col("_p"), lit(0.0)).as("_p"));
    // Per slice, replicate and activity stratum; ACC and PACC correct each stratum with its own
    // rates, and the slice estimate is the stratum estimates weighted by the stratum's accounts
    // (posts for the posts unit).
    Dataset<Row> perStratum = replicateSums(members, replicates, seed)
        .join(org.apache.spark.sql.functions.broadcast(replicates(spark, rates, replicates, seed)), new String[] {B, K});
    String[][] units = {{BotShare.UNIT_ACCOUNTS, "S", "Sy", "Sp", ""}, {BotShare.UNIT_POSTS, "Nn", "Ny", "Np", "p_"}};
    List<Column> aggs = new ArrayList<>();
    for (String[] u : units) {
      Column wgt = col(u[1]);
      Column acc = adjust(col(u[2]).divide(wgt), col(u[4] + "tpr"), col(u[4] + "fpr"));
      Column pacc = adjust(col(u[3]).divide(wgt), col(u[4] + "m1"), col(u[4] + "m0"));
      aggs.add(sum(wgt).as(u[1]));
      aggs.add(sum(col(u[2])).as(u[2]));
      aggs.add(sum(col(u[3])).as(u[3]));
      aggs.add(sum(when(wgt.gt(0), wgt.multiply(acc))).as(u[1] + "_acc"));
      aggs.add(sum(when(wgt.gt(0), wgt.multiply(pacc))).as(u[1] + "_pacc"));
      // A stratum with members but no usable correction leaves the slice's corrected estimate undefined.
      aggs.add(max(when(wgt.gt(0).and(acc.isNull()), 1).otherwise(0)).as(u[1] + "_accna"));
      aggs.add(max(when(wgt.gt(0).and(pacc.isNull()), 1).otherwise(0)).as(u[1] + "_paccna"));
    }
    aggs.add(sum(col("_posts")).as("_posts"));
    aggs.add(sum(col("_accounts")).as("_accounts"));
    Dataset<Row> bySlice = perStratum.groupBy(ST, SV, B).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    // One row per (slice, replicate) becomes one per unit and method: a single generator, not a union
    // of eight reads of bySlice.
    List<Column> perMethod = new ArrayList<>();
    for (String[] u : units) {
      Column wgt = col(u[1]);
      Column cc = when(wgt.gt(0), col(u[2]).divide(wgt));
      Column pcc = when(wgt.gt(0), col(u[3]).divide(wgt));
      Column acc = when(wgt.gt(0).and(col(u[1] + "_accna").equalTo(0)), col(u[1] + "_acc").divide(wgt));
      Column pacc = when(wgt.gt(0).and(col(u[1] + "_paccna").equalTo(0)), col(u[1] + "_pacc").divide(wgt));
      Column[][] methods = {{lit(CC), cc}, {lit(ACC), acc}, {lit(PCC), pcc}, {lit(PACC), pacc}};
      for (Column[] method : methods) {
        perMethod.add(struct(lit(u[0]).as(BotShare.UNIT), method[0].as(BotShare.METHOD), method[1].cast("double").as("_raw")));
      }
    }
    Dataset<Row> long_ = bySlice.select(col(ST), col(SV), col(B), col("_posts"), col("_accounts"),
        inline(array(perMethod.toArray(Column[]::new))));
    Column isPoint = col(B).equalTo(-1);
    Dataset<Row> summary = long_.groupBy(ST, SV, BotShare.UNIT, BotShare.METHOD).agg(
        max(when(isPoint, col("_raw"))).as("_point"),
        percentile_approx(when(col(B).geq(0), clip(col("_raw"))), array(lit(0.025), lit(0.975)), lit(10_000)).as("_ci"),
        max(col("_posts")).as(BotShare.N_POSTS),
        max(col("_accounts")).as(BotShare.N_ACCOUNTS));
    return summary.select(
        col(ST), col(SV), col(BotShare.UNIT), col(BotShare.METHOD),
        clip(col("_point")).as(BotShare.ESTIMATE),
        element_at(col("_ci"), 1).as(BotShare.CI_LOW),
        element_at(col("_ci"), 2).as(BotShare.CI_HIGH),
        coalesce(col(BotShare.N_ACCOUNTS), lit(0L)).as(BotShare.N_ACCOUNTS),
        coalesce(col(BotShare.N_POSTS), lit(0L)).as(BotShare.N_POSTS),
        coalesce(col(BotShare.N_ACCOUNTS), lit(0L)).lt(minSupport).as(BotShare.LOW_SUPPORT),
        coalesce(col("_point").lt(0).or(col("_point").gt(1)), lit(false)).as(BotShare.CLIPPED));
  }
}
