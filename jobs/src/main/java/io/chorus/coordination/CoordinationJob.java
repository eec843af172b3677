package io.chorus.coordination;

import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountScores;
import io.chorus.schema.Coordination;
import io.chorus.schema.Posts;
import io.chorus.spark.Stages;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes coordination_edges and coordination_clusters from canonical posts (and account_scores when present). */
public final class CoordinationJob {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinationJob.class);

  private CoordinationJob() {}

  public static void run(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    Stages.withDefaultConf(spark, Stages.TWO_LEVEL_AGG_MAP, "false", () -> detect(spark, cfg, manifest));
  }

  private static void detect(SparkSession spark, JobConfig cfg, RunManifest manifest) {
    LOG.info("Starting coordination with {}", cfg);
    Stages.Timer timer = Stages.start("coordination");
    String d = cfg.runDate();
    Dataset<Row> posts = Tables.read(spark, Posts.TABLE_SCHEMA, cfg.tablePaths(List.of(), Posts.TABLE), d);
    Dataset<Row> scores = Tables.readOptional(spark, AccountScores.TABLE_SCHEMA, cfg.tablePaths(List.of(), AccountScores.TABLE), d).orElse(null);
    CoordinationDetector.Params p = cfg.coordination();
    // traces() groups near-duplicate texts eagerly (an iterative connected components). The network
    // is read twice (document frequencies, trace-type sizes) and its weighted links three times by
    // the projection: each is computed once and persisted.
    Dataset<Row> network = Stages.step(spark, "coordination", "traces (near-duplicate texts by MinHash LSH) and the bipartite account-trace network", () -> {
      Dataset<Row> n = CoordinationDetector.accountTraces(CoordinationDetector.traces(posts, p)).persist(StorageLevel.MEMORY_AND_DISK());
      LOG.info("coordination: {} account-trace rows", n.count());
      return n;
    });
    Dataset<Row> weighted;
    try {
      weighted = Stages.step(spark, "coordination", "TF-IDF weights of the traces shared by 2 to " + p.maxTraceAccounts() + " accounts", () -> {
        Dataset<Row> w = CoordinationDetector.weightedTraces(network, p).persist(StorageLevel.MEMORY_AND_DISK());
        LOG.info("coordination: {} weighted account-trace rows", w.count());
        return w;
      });
    } finally {
      network.unpersist();
    }
    try {
      Stages.step(spark, "coordination", "projection onto account pairs and edge filter", () ->
          Tables.write(CoordinationDetector.projection(weighted, p), Coordination.EDGES_TABLE_SCHEMA, cfg.output(), d));
    } finally {
      weighted.unpersist();
    }
    Dataset<Row> edges = Tables.readWritten(spark, Coordination.EDGES_TABLE_SCHEMA, cfg.output(), d);
    Dataset<Row> components = Stages.step(spark, "coordination", "connected components", () -> CoordinationDetector.components(edges));
    Stages.step(spark, "coordination", "clusters", () ->
        Tables.write(CoordinationDetector.clusters(edges, components, scores), Coordination.CLUSTERS_TABLE_SCHEMA, cfg.output(), d));
    long nEdges = edges.count();
    long members = Tables.countWritten(spark, Coordination.CLUSTERS_TABLE_SCHEMA, cfg.output(), d);
    manifest.count(Coordination.EDGES_TABLE, nEdges);
    manifest.count(Coordination.CLUSTERS_TABLE, members);
    timer.done(posts.count(), nEdges + members);
  }
}
