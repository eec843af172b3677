package io.chorus.coordination;

import static io.chorus.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.Fixtures;
import io.chorus.SparkTestBase;
import io.chorus.schema.Coordination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CoordinationDetectorTest extends SparkTestBase {
  static final CoordinationDetector.Params CO_REPOST_ONLY =
      new CoordinationDetector.Params(60, 3, 0.5, 5, 50, List.of(Coordination.CO_REPOST));

  static String at(int minute, int second) {
    return String.format("2024-03-01T10:%02d:%02dZ", minute, second);
  }

  /** Originals o1..o3 by author; x1, x2, x3 repost each within seconds; late reposts it an hour later. */
  static List<Fixtures.PostBuilder> campaign() {
    List<Fixtures.PostBuilder> p = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      p.add(post("o" + i, "author", at(i * 10, 0)));
      p.add(post("x1-" + i, "x1", at(i * 10, 5)).repostOf("o" + i, "author"));
      p.add(post("x2-" + i, "x2", at(i * 10, 20)).repostOf("o" + i, "author"));
      p.add(post("x3-" + i, "x3", at(i * 10, 50)).repostOf("o" + i, "author"));
      p.add(post("late-" + i, "late", "2024-03-01T12:0" + i + ":00Z").repostOf("o" + i, "author"));
      p.add(post("org-" + i, "organic", at(i * 10, 30)).repostOf("o" + i, "author"));
    }
    return p;
  }

  static Map<String, Row> edgesByPair(Dataset<Row> edges) {
    return edges.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs(Coordination.ACCOUNT_A) + "-" + r.getAs(Coordination.ACCOUNT_B), r -> r));
  }

  @Test
  void accountsRepostingTheSameItemsWithinTheWindowArePairedAndLateOnesAreNot() {
    List<Fixtures.PostBuilder> p = campaign();
    p.removeIf(b -> b.row().getString(0).startsWith("org-"));
    Dataset<Row> posts = Fixtures.posts(spark, p.toArray(Fixtures.PostBuilder[]::new));
    Map<String, Row> edges = edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, CO_REPOST_ONLY), CO_REPOST_ONLY));
    assertThat(edges).containsOnlyKeys("x1-x2", "x1-x3", "x2-x3");
    assertThat(edges.get("x1-x2").<Long>getAs(Coordination.N_SHARED)).isEqualTo(3L);
    assertThat(edges.get("x1-x2").<Double>getAs(Coordination.WEIGHT)).isEqualTo(1.0);
    assertThat(edges.get("x1-x3").<java.sql.Timestamp>getAs(Coordination.FIRST_SEEN)).isEqualTo(Fixtures.ts(at(10, 5)));
    assertThat(edges.get("x1-x3").<java.sql.Timestamp>getAs(Coordination.LAST_SEEN)).isEqualTo(Fixtures.ts(at(30, 50)));
  }

  @Test
  void aTraceSharedByMoreAccountsThanTheCapIsDropped() {
    // Four accounts share each item's first window (x1, x2, organic, x3): above a cap of three the
    // item counts as popularity, not coordination; at a cap of five it is kept.
    Dataset<Row> posts = Fixtures.posts(spark, campaign().toArray(Fixtures.PostBuilder[]::new));
    CoordinationDetector.Params cap3 = new CoordinationDetector.Params(60, 3, 0.5, 3, 50, List.of(Coordination.CO_REPOST));
    assertThat(CoordinationDetector.edges(CoordinationDetector.traces(posts, cap3), cap3).count()).isZero();
    CoordinationDetector.Params cap5 = CO_REPOST_ONLY;
    assertThat(edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, cap5), cap5)))
        .containsOnlyKeys("organic-x1", "organic-x2", "organic-x3", "x1-x2", "x1-x3", "x2-x3");
  }

  @Test
  void fewerSharedTracesThanTheMinimumGiveNoEdge() {
    List<Fixtures.PostBuilder> p = campaign();
    p.removeIf(b -> b.row().getString(0).endsWith("-3") || b.row().getString(0).startsWith("org-"));
    Dataset<Row> posts = Fixtures.posts(spark, p.toArray(Fixtures.PostBuilder[]::new));
    assertThat(CoordinationDetector.edges(CoordinationDetector.traces(posts, CO_REPOST_ONLY), CO_REPOST_ONLY).count()).isZero();
  }

  @Test
  void identicalNormalisedTextsWithinTheWindowAreCoText() {
    CoordinationDetector.Params text = new CoordinationDetector.Params(60, 2, 0.5, 100, 50, List.of(Coordination.CO_TEXT));
    String a = "The minister lied about the new border plan today";
    String b = "Another long message that every troll pasted verbatim";
    Dataset<Row> posts = Fixtures.posts(spark,
        post("t1", "u1", at(1, 0)).text(a + " https://t.co/xyz"),
        post("t2", "u2", at(1, 30)).text("RT @someone: " + a.toUpperCase()),
        post("t3", "u1", at(5, 0)).text(b),
        post("t4", "u2", at(5, 10)).text("  " + b + "  "),
        post("t5", "u3", at(5, 20)).text(b + " and more words"),
        post("t6", "u3", at(1, 10)).text("too short"),
        post("t7", "u4", at(1, 10)).text("too short"));
    Map<String, Row> edges = edgesByPair(CoordinationDetector.edges(CoordinationDetector.traces(posts, text), text));
    assertThat(edges).containsOnlyKeys("u1-u2");
    assertThat(edges.get("u1-u2").<Long>getAs(Coordination.N_SHARED)).isEqualTo(2L);
  }

  @Test
  void componentsJoinChainsAndKeepSeparateGroupsApart() {
    Dataset<Row> posts = Fixtures.posts(spark, campaign().stream().filter(b -> !b.row().getString(0).startsWith("org-")).toArray(Fixtures.PostBuilder[]::new));
    Dataset<Row> edges = CoordinationDetector.edges(CoordinationDetector.traces(posts, CO_REPOST_ONLY), CO_REPOST_ONLY)
        .filter("not (account_a = 'x1' and account_b = 'x3')")
        .unionByName(spark.sql("select 'y1' as account_a, 'y2' as account_b, 'twitter' as platform, 'co_repost' as trace, 1.0D as weight, 3L as n_shared,"
            + " timestamp'2024-03-01 00:00:00' as first_seen, timestamp'2024-03-01 01:00:00' as last_seen"));
    Map<String, String> clusters = CoordinationDetector.components(edges).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(Coordination.ACCOUNT_ID), r -> r.getAs(Coordination.CLUSTER_ID)));
    assertThat(clusters).containsOnlyKeys("x1", "x2", "x3", "y1", "y2");
    assertThat(clusters.get("x1")).isEqualTo(clusters.get("x3")).isEqualTo("cl-x1");
    assertThat(clusters.get("y2")).isEqualTo("cl-y1");
    Dataset<Row> members = CoordinationDetector.clusters(edges, CoordinationDetector.components(edges), null);
    Row x3 = members.filter("account_id = 'x3'").first();
    assertThat(x3.<Long>getAs(Coordination.CLUSTER_SIZE)).isEqualTo(3L);
    assertThat(x3.getList(x3.fieldIndex(Coordination.TRACES))).containsExactly("co_repost");
  }
}
