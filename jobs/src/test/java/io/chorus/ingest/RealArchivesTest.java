package io.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chorus.SparkTestBase;
import io.chorus.config.JobConfig;
import io.chorus.coordination.CoordinationDetector;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.AccountAttributes;
import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import io.chorus.schema.Quarantine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real public archives in ../shared/data, read in place; skipped where that folder is absent. */
class RealArchivesTest extends SparkTestBase {
  static final Path DATA = Path.of(System.getProperty("chorus.shared.dir", "../../shared")).resolve("data");
  static final String DAY = "2024-03-15";

  static Path dataset(String relative) {
    Path p = DATA.resolve(relative);
    assumeTrue(Files.isDirectory(p), "skipped: real data not found at " + p + " (a fresh clone has no ../shared; see ../shared/data/README.md)");
    return p;
  }

  static JobConfig config(Path in, Path out, String format, boolean iraLabels) {
    return config(in, out, format, Map.of(IngestJob.IRA_LABELS, String.valueOf(iraLabels)));
  }

  static JobConfig config(Path in, Path out, String format, Map<String, String> flags) {
    return new JobConfig(List.of(in.toString()), out.toString(), DAY, out + "/_model", List.of(), List.of(), List.of(), format, null, 10, 100, 42,
        CoordinationDetector.Params.DEFAULTS, flags);
  }

  @Test
  void iraArchiveAccountsForEveryOneOfItsRows(@TempDir Path tmp) {
    Path in = dataset("ira-troll-tweets");
    long start = System.nanoTime();
    IngestJob.Conservation c = IngestJob.run(spark, config(in, tmp, Adapters.IRA_CSV, true), new RunManifest("ingest", DAY, Map.of()));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("ira-csv ingest: read %d kept %d quarantined %d duplicates %d in %.1f s (%.0f rows/s)%n",
        c.read(), c.kept(), c.quarantined(), c.duplicates(), seconds, c.read() / seconds);
    assertThat(c.read()).isEqualTo(1_078_404L); // 9 gzipped files, one header each
    assertThat(c.holds()).isTrue();
    Dataset<Row> posts = Tables.readWritten(spark, Posts.TABLE_SCHEMA, tmp.toString(), DAY);
    assertThat(posts.filter("kind = 'repost'").count()).isPositive();
    assertThat(posts.filter("kind = 'repost' and parent_missing").count()).isEqualTo(posts.filter("kind = 'repost'").count());
    assertThat(posts.filter("size(hashtags) > 0").count()).isPositive();
    Dataset<Row> q = Tables.readWritten(spark, Quarantine.TABLE_SCHEMA, tmp.toString(), DAY);
    assertThat(q.filter("reason_code is null or reason is null or raw is null").count()).isZero();
    assertThat(Tables.countWritten(spark, Accounts.TABLE_SCHEMA, tmp.toString(), DAY)).isPositive();
    assertThat(Tables.readWritten(spark, Labels.TABLE_SCHEMA, tmp.toString(), DAY).filter("label = 'bot' and source = 'ira'").count()).isPositive();
    Dataset<Row> attributes = Tables.readWritten(spark, AccountAttributes.TABLE_SCHEMA, tmp.toString(), DAY);
    // authors.csv holds every IRA author of the full release; each has exactly one account_category.
    long authors = spark.read().option("header", "true").csv(in.resolve("authors.csv").toString()).count();
    assertThat(attributes.filter("attribute = 'account_category'").count()).isEqualTo(authors);
    assertThat(attributes.filter("account_id = '10_gop' and attribute = 'account_category'").first().<String>getAs(AccountAttributes.VALUE))
        .isEqualTo("RightTroll");
  }

  static Map<String, Long> labelCounts(Path out) {
    return Tables.readWritten(spark, Labels.TABLE_SCHEMA, out.toString(), DAY).groupBy(Labels.LABEL).count().collectAsList().stream()
        .collect(java.util.stream.Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
  }

  @Test
  void caverleeHas41499AccountsFromTwoFiles(@TempDir Path tmp) {
    Path in = dataset("labeled-profiles/caverlee-2011");
    IngestJob.run(spark, config(in, tmp, Adapters.CAVERLEE_TSV, false), new RunManifest("ingest", DAY, Map.of()));
    assertThat(Tables.countWritten(spark, Accounts.TABLE_SCHEMA, tmp.toString(), DAY)).isEqualTo(41_499L);
    // 44 user ids are in both files: both of their labels are quarantined as conflicting, nothing else is.
    Dataset<Row> q = Tables.readWritten(spark, Quarantine.TABLE_SCHEMA, tmp.toString(), DAY);
    assertThat(q.count()).isEqualTo(88L);
    assertThat(q.filter("reason_code = 'conflicting_label'").count()).isEqualTo(88L);
    assertThat(labelCounts(tmp)).isEqualTo(Map.of("bot", 22_223L - 44, "human", 19_276L - 44));
  }

  @Test
  void botwikiHas698ProfilesAsProbes(@TempDir Path tmp) {
    Path in = dataset("labeled-profiles/botwiki-2019");
    IngestJob.Conservation c = IngestJob.run(spark, config(in, tmp, TwitterV1.FORMAT, false), new RunManifest("ingest", DAY, Map.of()));
    assertThat(c).isEqualTo(new IngestJob.Conservation(698, 0, 0, 0, 698)); // {created_at, user} probes: profiles, no posts
    assertThat(Tables.readWritten(spark, Accounts.TABLE_SCHEMA, tmp.toString(), DAY).select("account_id").distinct().count()).isEqualTo(698L);
    assertThat(labelCounts(tmp)).isEqualTo(Map.of("bot", 704L)); // the TSV labels 704 ids, 6 without a profile in the JSON
  }

  @Test
  void twibot22SampleHas1000UsersAndTheirLabels(@TempDir Path tmp) {
    Path in = dataset("labeled-profiles/twibot22-sample");
    Map<String, String> flags = Map.of(IngestJob.OBSERVED_AT, "2022-02-01");
    IngestJob.Conservation c = IngestJob.run(spark, config(in, tmp, TwitterV2.FORMAT, flags), new RunManifest("ingest", DAY, Map.of()));
    assertThat(c.profileOnly()).isEqualTo(1000L);
    assertThat(c.holds()).isTrue();
    assertThat(Tables.countWritten(spark, Accounts.TABLE_SCHEMA, tmp.toString(), DAY)).isEqualTo(1000L);
    assertThat(labelCounts(tmp)).isEqualTo(Map.of("human", 854L, "bot", 146L));
  }

  @Test
  void cresciHas3900AccountsHalfOfThemFakeFollowers(@TempDir Path tmp) {
    Path in = dataset("labeled-profiles/cresci-2015");
    IngestJob.Conservation c = IngestJob.run(spark, config(in, tmp, Adapters.CRESCI_CSV, false), new RunManifest("ingest", DAY, Map.of()));
    assertThat(c.read()).isZero(); // a profile set: no posts
    assertThat(Tables.countWritten(spark, Accounts.TABLE_SCHEMA, tmp.toString(), DAY)).isEqualTo(3900L);
    Dataset<Row> labels = Tables.readWritten(spark, Labels.TABLE_SCHEMA, tmp.toString(), DAY);
    assertThat(labels.filter("label = 'bot'").count()).isEqualTo(1950L);
    assertThat(labels.filter("label = 'human'").count()).isEqualTo(1950L);
    Row braddd = Tables.readWritten(spark, Accounts.TABLE_SCHEMA, tmp.toString(), DAY).filter("screen_name = 'braddd'").first();
    assertThat(braddd.<java.sql.Timestamp>getAs(Accounts.ACCOUNT_CREATED_AT)).isEqualTo(io.chorus.Fixtures.ts("2007-04-06T10:58:22Z"));
    assertThat(braddd.<Long>getAs(Accounts.STATUSES_COUNT)).isEqualTo(20370L);
  }
}
