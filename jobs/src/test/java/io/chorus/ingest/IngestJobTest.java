package io.chorus.ingest;

import static io.chorus.Fixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.ChorusException;
import io.chorus.Fixtures;
import io.chorus.SparkTestBase;
import io.chorus.config.JobConfig;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.Posts;
import io.chorus.schema.Quarantine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest extends SparkTestBase {
  static final String DAY = "2024-03-15";

  static JobConfig config(Path in, Path out) {
    return new JobConfig(List.of(in.toString()), out.toString(), DAY, out + "/_model", List.of(), List.of(), List.of(),
        IngestJob.FORMAT_CANONICAL, null, 10, 100, 42, io.chorus.coordination.CoordinationDetector.Params.DEFAULTS, Map.of());
  }

  /** Each fixture row with the reason code ingest must give it (null: kept). */
  static final Object[][] CASES = {
    {post("ok1", "a1", "2024-03-01T10:00:00Z"), null},
    {post("ok2", "a2", "2024-03-01T10:01:00Z").repostOf("ok1", "a1"), null},
    {post("orphan", "a2", "2024-03-01T10:02:00Z").repostOf("gone", "a9"), null},
    {post("dup", "a3", "2024-03-01T10:03:00Z"), null},
    {post("dup", "a3", "2024-03-01T10:03:00Z"), "duplicate"},
    {post("dup", "a3", "2024-03-01T10:03:00Z"), "duplicate"},
    {post("noacct", null, "2024-03-01T10:04:00Z"), Validation.MISSING_FIELD},
    {post("", "a4", "2024-03-01T10:04:00Z"), Validation.MISSING_FIELD},
    {post("nots", "a4", null), Validation.MISSING_FIELD},
    {post("old", "a4", "2001-01-01T00:00:00Z"), Validation.TIMESTAMP_OUT_OF_RANGE},
    {post("future", "a4", "2100-01-01T00:00:00Z"), Validation.TIMESTAMP_OUT_OF_RANGE},
    {post("ctrl", "a4", "2024-03-01T10:05:00Z").text("bad \u0001 byte"), Validation.BAD_TEXT},
    {post("garbled", "a4", "2024-03-01T10:05:00Z").text("\uFFFD\uFFFD\uFFFD\uFFFDab"), Validation.BAD_TEXT},
    {post("lost-emoji", "a4", "2024-03-01T10:05:00Z").text("great match today \uFFFD"), null},
    {post("long", "a4", "2024-03-01T10:05:00Z").text("x".repeat(Validation.MAX_TEXT_CHARS + 1)), Validation.TEXT_TOO_LONG},
    {post("kind", "a4", "2024-03-01T10:05:00Z").set(Posts.KIND, "like"), Validation.BAD_KIND},
    {post("id with space", "a4", "2024-03-01T10:05:00Z"), Validation.BAD_TYPE},
  };

  @Test
  void everyRecordIsKeptQuarantinedWithItsReasonOrCountedAsDuplicate(@TempDir Path tmp) {
    Dataset<Row> fixture = Fixtures.posts(spark, java.util.Arrays.stream(CASES).map(c -> (Fixtures.PostBuilder) c[0]).toArray(Fixtures.PostBuilder[]::new));
    fixture.coalesce(1).write().mode(SaveMode.Overwrite).parquet(tmp.resolve("in/posts").toString());

    IngestJob.Conservation c = IngestJob.run(spark, config(tmp.resolve("in"), tmp.resolve("out")), new RunManifest("ingest", DAY, Map.of()));

    long expectedKept = java.util.Arrays.stream(CASES).filter(x -> x[1] == null).count();
    long expectedDup = java.util.Arrays.stream(CASES).filter(x -> "duplicate".equals(x[1])).count();
    assertThat(c.read()).isEqualTo(CASES.length);
    assertThat(c.kept()).isEqualTo(expectedKept);
    assertThat(c.duplicates()).isEqualTo(expectedDup);
    assertThat(c.quarantined()).isEqualTo(CASES.length - expectedKept - expectedDup);
    assertThat(c.holds()).isTrue();

    Map<String, Long> expectedReasons = java.util.Arrays.stream(CASES).filter(x -> x[1] != null && !"duplicate".equals(x[1]))
        .collect(Collectors.groupingBy(x -> (String) x[1], TreeMap::new, Collectors.counting()));
    Dataset<Row> q = Tables.read(spark, Quarantine.TABLE_SCHEMA, List.of(tmp.resolve("out/quarantine").toString()), DAY);
    Map<String, Long> actual = q.groupBy(Quarantine.REASON_CODE).count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1), (a, b) -> a, TreeMap::new));
    assertThat(actual).isEqualTo(expectedReasons);
    assertThat(q.filter("reason is null or raw is null or source_file is null").count()).isZero();
    assertThat(q.filter("raw like '%\"post_id\":\"noacct\"%'").count()).isEqualTo(1);
  }

  @Test
  void repostWithMissingParentIsKeptAndFlagged(@TempDir Path tmp) {
    Dataset<Row> fixture = Fixtures.posts(spark, (Fixtures.PostBuilder) CASES[0][0], (Fixtures.PostBuilder) CASES[1][0], (Fixtures.PostBuilder) CASES[2][0]);
    fixture.write().parquet(tmp.resolve("in/posts").toString());
    IngestJob.run(spark, config(tmp.resolve("in"), tmp.resolve("out")), new RunManifest("ingest", DAY, Map.of()));
    Map<String, Boolean> flags = Tables.read(spark, Posts.TABLE_SCHEMA, List.of(tmp.resolve("out/posts").toString()), DAY)
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs(Posts.POST_ID), r -> r.getAs(Posts.PARENT_MISSING)));
    assertThat(flags).containsEntry("ok1", false).containsEntry("ok2", false).containsEntry("orphan", true);
  }

  /**
   * Copies of one post that name different parents: the kept copy (the earliest) decides the flag,
   * not any copy.
   */
  @Test
  void theKeptCopyOfADuplicateDecidesItsParentFlag(@TempDir Path tmp) {
    Dataset<Row> fixture = Fixtures.posts(spark,
        post("root", "a1", "2024-03-01T09:00:00Z"),
        post("x", "a2", "2024-03-01T10:00:00Z").repostOf("gone", "a9"),     // earliest copy: kept, parent missing
        post("x", "a2", "2024-03-01T10:05:00Z").repostOf("root", "a1"),     // later copy: a duplicate
        post("y", "a3", "2024-03-01T11:00:00Z").repostOf("root", "a1"),     // earliest copy: kept, parent present
        post("y", "a3", "2024-03-01T11:05:00Z").repostOf("gone", "a9"));
    fixture.write().parquet(tmp.resolve("in/posts").toString());

    IngestJob.Conservation c = IngestJob.run(spark, config(tmp.resolve("in"), tmp.resolve("out")), new RunManifest("ingest", DAY, Map.of()));

    assertThat(c.kept()).isEqualTo(3);
    assertThat(c.duplicates()).isEqualTo(2);
    Map<String, Row> kept = Tables.read(spark, Posts.TABLE_SCHEMA, List.of(tmp.resolve("out/posts").toString()), DAY)
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs(Posts.POST_ID), r -> r));
    assertThat(kept.get("x").<String>getAs(Posts.PARENT_POST_ID)).isEqualTo("gone");
    assertThat(kept.get("x").<Boolean>getAs(Posts.PARENT_MISSING)).isTrue();
    assertThat(kept.get("y").<String>getAs(Posts.PARENT_POST_ID)).isEqualTo("root");
    assertThat(kept.get("y").<Boolean>getAs(Posts.PARENT_MISSING)).isFalse();
    assertThat(kept.get("root").<Boolean>getAs(Posts.PARENT_MISSING)).isFalse();
  }

  /**
   * Valid rows with copies (identical ones, and ones that differ in time and parent), reposts whose
   * parent is present, absent or null, and the post kept of each key with its expected parent flag.
   */
  static Dataset<Row> dedupeFixture() {
    return Fixtures.posts(spark,
        post("root", "a1", "2024-03-01T09:00:00Z"),
        post("same", "a1", "2024-03-01T09:30:00Z"),
        post("same", "a1", "2024-03-01T09:30:00Z"),
        post("x", "a2", "2024-03-01T10:05:00Z").repostOf("root", "a1"),
        post("x", "a2", "2024-03-01T10:00:00Z").repostOf("gone", "a9"),
        post("x", "a2", "2024-03-01T10:09:00Z").repostOf("root", "a1"),
        post("r", "a3", "2024-03-01T11:00:00Z").repostOf("root", "a1"),
        post("orphan", "a3", "2024-03-01T11:01:00Z").repostOf("gone", "a9"),
        post("nullparent", "a3", "2024-03-01T11:02:00Z").repostOf(null, null),
        post("x", "other", "2024-03-01T12:00:00Z").set(Posts.PLATFORM, "mastodon"))
        .withColumn(Validation.SOURCE_FILE, org.apache.spark.sql.functions.lit("f"));
  }

  static final Map<String, String> EXPECTED_KEPT = Map.of(  // platform/post_id -> created_at of the kept copy, parent_missing
      "twitter/root", "09:00 false", "twitter/same", "09:30 false", "twitter/x", "10:00 true", "twitter/r", "11:00 false",
      "twitter/orphan", "11:01 true", "twitter/nullparent", "11:02 true", "mastodon/x", "12:00 false");

  static Map<String, String> keptByKey(Dataset<Row> kept) {
    return kept.collectAsList().stream().collect(Collectors.toMap(
        r -> r.getAs(Posts.PLATFORM) + "/" + r.getAs(Posts.POST_ID),
        r -> r.<java.sql.Timestamp>getAs(Posts.CREATED_AT).toInstant().toString().substring(11, 16) + " " + r.getAs(Posts.PARENT_MISSING)));
  }

  /**
   * What ingest would write from {@code valid}, with the duplicated keys and the missing parents
   * broadcast or not; what it persists is added to {@code persisted}.
   */
  static IngestJob.Kept kept(Dataset<Row> valid, boolean fewDuplicated, boolean broadcastMissing, List<Dataset<Row>> persisted) {
    return IngestJob.keptPosts(spark, valid, persisted, fewDuplicated ? Long.MAX_VALUE : 0, broadcastMissing ? Long.MAX_VALUE : 0);
  }

  /** Whether the duplicated keys and missing parents are broadcast or not, the same posts are kept with the same flags. */
  @Test
  void everyWayOfDedupingAndFlaggingKeepsTheSamePosts() {
    Dataset<Row> valid = dedupeFixture();
    assertThat(Validation.duplicatedKeys(valid).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(1), r -> r.getLong(2)))).isEqualTo(Map.of("same", 2L, "x", 3L));
    for (boolean fewDuplicated : new boolean[] {true, false}) {
      for (boolean broadcastMissing : new boolean[] {true, false}) {
        List<Dataset<Row>> persisted = new java.util.ArrayList<>();
        IngestJob.Kept k = kept(valid, fewDuplicated, broadcastMissing, persisted);
        assertThat(k.duplicates()).isEqualTo(3);
        assertThat(keptByKey(k.posts())).as("few %s, broadcast %s", fewDuplicated, broadcastMissing).isEqualTo(EXPECTED_KEPT);
        persisted.forEach(Dataset::unpersist);
      }
    }
  }

  static int occurrences(String plan, String regex) {
    return plan.split(regex, -1).length - 1;
  }

  /**
   * When the duplicated keys are few, only their copies are ranked: each window is fed by the semi
   * join on those keys, and the windows hold the only sorts (before and after their shuffle). The
   * other posts meet the keys and the missing parents in broadcast joins, and are spread by key
   * unsorted. Otherwise every post is ranked, and meets the missing parents in a shuffled hash join.
   * The plan's text includes the persisted lookup of missing parents, which ranks the same rows: two
   * windows either way.
   */
  @Test
  void onlyTheCopiesOfDuplicatedPostsAreRankedWhenTheyAreFew() {
    Dataset<Row> valid = dedupeFixture();
    List<Dataset<Row>> persisted = new java.util.ArrayList<>();
    String few = kept(valid, true, true, persisted).posts().queryExecution().executedPlan().toString();
    assertThat(occurrences(few, "\\bWindow \\[")).as(few).isEqualTo(2).isEqualTo(occurrences(few, "LeftSemi"));
    assertThat(occurrences(few, "\\bSort \\[")).as("only the copies are sorted: " + few).isEqualTo(4);
    assertThat(few).as(few).contains("LeftAnti").contains("REPARTITION_BY_COL").doesNotContain("SortMergeJoin");
    String many = kept(valid, false, false, persisted).posts().queryExecution().executedPlan().toString();
    assertThat(occurrences(many, "\\bWindow \\[")).as(many).isEqualTo(2);
    assertThat(many).as(many).doesNotContain("LeftSemi").doesNotContain("REPARTITION_BY_COL").contains("ShuffledHashJoin");
    persisted.forEach(Dataset::unpersist);
  }

  @Test
  void aTypedRequiredColumnIsCheckedForNullWithoutFormattingItAsText() {
    // Formatting every canonical timestamp as text to trim it took most of the post checks' time.
    Dataset<Row> canonical = Fixtures.posts(spark, post("p", "a", "2024-03-01T10:00:00Z"));
    assertThat(Validation.blank(canonical, Posts.CREATED_AT).toString()).isEqualTo("isNull(created_at)");
    assertThat(Validation.blank(canonical, Posts.POST_ID).toString()).contains("trim");
    Dataset<Row> csv = canonical.withColumn(Posts.CREATED_AT, org.apache.spark.sql.functions.col(Posts.CREATED_AT).cast("string"));
    assertThat(Validation.blank(csv, Posts.CREATED_AT).toString()).contains("trim(");
  }

  @Test
  void missingRequiredColumnFailsWithTheColumnAndTheFix(@TempDir Path tmp) {
    Fixtures.posts(spark, (Fixtures.PostBuilder) CASES[0][0]).drop(Posts.CREATED_AT).write().parquet(tmp.resolve("in/posts").toString());
    assertThatThrownBy(() -> IngestJob.run(spark, config(tmp.resolve("in"), tmp.resolve("out")), new RunManifest("ingest", DAY, Map.of())))
        .isInstanceOf(ChorusException.class)
        .hasMessageContaining("'created_at'")
        .hasMessageContaining("in/posts")
        .hasMessageContaining("Fix:");
  }

  @Test
  void missingInputNamesThePathAndTheFix(@TempDir Path tmp) {
    assertThatThrownBy(() -> IngestJob.run(spark, config(tmp.resolve("nowhere"), tmp.resolve("out")), new RunManifest("ingest", DAY, Map.of())))
        .isInstanceOf(ChorusException.class)
        .hasMessageContaining("nowhere/posts")
        .hasMessageContaining("Fix:");
  }
}
