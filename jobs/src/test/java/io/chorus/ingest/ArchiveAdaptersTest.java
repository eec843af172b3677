package io.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.ChorusException;
import io.chorus.SparkTestBase;
import io.chorus.config.JobConfig;
import io.chorus.coordination.CoordinationDetector;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import io.chorus.schema.Quarantine;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each archive layout on its committed fixture (src/test/resources/archives/&lt;format&gt;), with the
 * expected outcome of every record written beside the test.
 */
class ArchiveAdaptersTest extends SparkTestBase {
  static final String DAY = "2024-03-15";

  static Path fixture(String format) {
    try {
      return Path.of(ArchiveAdaptersTest.class.getResource("/archives/" + format).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JobConfig config(Path in, Path out, String format, Map<String, String> flags) {
    return new JobConfig(List.of(in.toString()), out.toString(), DAY, out + "/_model", List.of(), List.of(), List.of(), format, null, 10, 100,
        42, CoordinationDetector.Params.DEFAULTS, flags);
  }

  record Result(IngestJob.Conservation conservation, Dataset<Row> posts, Dataset<Row> accounts, Dataset<Row> quarantine, RunManifest manifest) {
    Map<String, Long> reasons() {
      return quarantine.groupBy(Quarantine.REASON_CODE).count().collectAsList().stream()
          .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1), (a, b) -> a, TreeMap::new));
    }

    Row post(String id) {
      return posts.filter(posts.col(Posts.POST_ID).equalTo(id)).first();
    }

    Row account(String id) {
      return accounts.filter(accounts.col(Accounts.ACCOUNT_ID).equalTo(id)).orderBy(accounts.col(Accounts.OBSERVED_AT).desc()).first();
    }
  }

  Result ingest(Path in, Path out, String format, Map<String, String> flags) {
    RunManifest m = new RunManifest("ingest", DAY, Map.of());
    IngestJob.Conservation c = IngestJob.run(spark, config(in, out, format, flags), m);
    assertThat(c.holds()).as("conservation %s", c).isTrue();
    Dataset<Row> q = Tables.readWritten(spark, Quarantine.TABLE_SCHEMA, out.toString(), DAY);
    assertThat(q.filter("reason_code is null or reason is null or raw is null or source_file is null").count()).isZero();
    Dataset<Row> accounts = Files.isDirectory(out.resolve(Accounts.TABLE)) ? Tables.readWritten(spark, Accounts.TABLE_SCHEMA, out.toString(), DAY)
        : spark.createDataFrame(List.of(), Accounts.SCHEMA);
    return new Result(c, Tables.readWritten(spark, Posts.TABLE_SCHEMA, out.toString(), DAY), accounts, q, m);
  }

  static Map<String, String> labels(Path out) {
    return spark.read().parquet(out.resolve("labels").toString()).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(Labels.ACCOUNT_ID), r -> r.getAs(Labels.LABEL)));
  }

  @Test
  void twitterV1JsonLinesAndArraysWithProbesAndLabels(@TempDir Path tmp) {
    Result r = ingest(fixture("twitter-v1"), tmp, TwitterV1.FORMAT, Map.of());
    // tweets.jsonl: 12 records, more.json: 2. Kept: 1001-1004, the big id, 1009, 2001, 2002 (8).
    // Duplicate: the second 1001. Quarantined: 1005 bad time, 1006 no user, 1007 broken JSON, 1008 bad count.
    // Profile only: the goth_lyrics probe.
    assertThat(r.conservation()).isEqualTo(new IngestJob.Conservation(14, 8, 4, 1, 1));
    // 1005 and 1008 also carry a user snapshot, rejected for the same reason (record_type accounts); label "maybe".
    assertThat(r.reasons()).isEqualTo(new TreeMap<>(Map.of(Validation.BAD_TIMESTAMP, 2L, Validation.MISSING_FIELD, 1L,
        Validation.MALFORMED_RECORD, 1L, Validation.BAD_TYPE, 2L, Adapters.BAD_LABEL, 1L)));

    Row original = r.post("1001");
    assertThat(original.<String>getAs(Posts.KIND)).isEqualTo(Posts.KIND_ORIGINAL);
    assertThat(original.<String>getAs(Posts.ACCOUNT_ID)).isEqualTo("11");
    assertThat(original.<java.sql.Timestamp>getAs(Posts.CREATED_AT)).isEqualTo(io.chorus.Fixtures.ts("2024-03-04T10:00:00Z"));
    assertThat(original.getList(original.fieldIndex(Posts.HASHTAGS))).containsExactly("election2024");
    assertThat(original.getList(original.fieldIndex(Posts.MENTIONS))).containsExactly("alice");
    assertThat(original.getList(original.fieldIndex(Posts.URLS))).containsExactly("https://example.org/vote");
    assertThat(original.<String>getAs(Posts.SOURCE)).isEqualTo("Twitter Web App");
    assertThat(original.<Long>getAs(Posts.AUTHOR_FOLLOWERS_COUNT)).isEqualTo(120L);

    Row repost = r.post("1002");
    assertThat(List.<Object>of(repost.<String>getAs(Posts.KIND), repost.getAs(Posts.PARENT_POST_ID), repost.getAs(Posts.PARENT_ACCOUNT_ID),
        repost.getAs(Posts.PARENT_MISSING))).containsExactly(Posts.KIND_REPOST, "1001", "11", false);
    Row reply = r.post("1003");
    assertThat(List.<Object>of(reply.<String>getAs(Posts.KIND), reply.getAs(Posts.PARENT_POST_ID), reply.getAs(Posts.PARENT_ACCOUNT_ID),
        reply.getAs(Posts.PARENT_MISSING))).containsExactly(Posts.KIND_REPLY, "999", "13", true);
    assertThat(r.post("1004").<String>getAs(Posts.KIND)).isEqualTo(Posts.KIND_QUOTE);
    assertThat(r.post("1234567890123456789").<String>getAs(Posts.ACCOUNT_ID)).isEqualTo("9007199254740993"); // no digit lost
    Row extended = r.post("1009");
    assertThat(extended.<String>getAs(Posts.TEXT)).isEqualTo("the whole long text #Full");
    assertThat(extended.getList(extended.fieldIndex(Posts.HASHTAGS))).containsExactly("full");
    assertThat(r.post("2002").<Boolean>getAs(Posts.PARENT_MISSING)).isFalse();

    Row probe = r.account("969398693249126400");
    assertThat(probe.<String>getAs(Accounts.SCREEN_NAME)).isEqualTo("goth_lyrics");
    assertThat(probe.<java.sql.Timestamp>getAs(Accounts.OBSERVED_AT)).isEqualTo(io.chorus.Fixtures.ts("2019-06-05T21:43:20Z"));
    assertThat(probe.<java.sql.Timestamp>getAs(Accounts.ACCOUNT_CREATED_AT)).isEqualTo(io.chorus.Fixtures.ts("2018-03-02T02:27:13Z"));
    assertThat(probe.<Long>getAs(Accounts.STATUSES_COUNT)).isEqualTo(3792L);
    Row bob = r.accounts().filter("account_id = '11' and observed_at = timestamp'2024-03-04 10:00:00'").first(); // the 1001 snapshot
    assertThat(bob.<java.sql.Timestamp>getAs(Accounts.ACCOUNT_CREATED_AT)).isEqualTo(io.chorus.Fixtures.ts("2007-04-06T10:58:22Z"));
    assertThat(labels(tmp)).isEqualTo(Map.of("11", "human", "969398693249126400", "bot"));
  }

  @Test
  void twitterV2PagesFlattenedTweetsAndUserObjects(@TempDir Path tmp) {
    Result r = ingest(fixture("twitter-v2"), tmp, TwitterV2.FORMAT, Map.of(IngestJob.OBSERVED_AT, "2022-02-01"));
    // Records: 3 page tweets + flattened 3004 + user record + 3005 + single-data 3006 + 3007; the meta-only page has none.
    assertThat(r.conservation()).isEqualTo(new IngestJob.Conservation(8, 5, 2, 0, 1));
    assertThat(r.reasons()).isEqualTo(new TreeMap<>(Map.of(Validation.MISSING_FIELD, 1L, Validation.BAD_TIMESTAMP, 1L)));
    Row original = r.post("3001");
    assertThat(original.getList(original.fieldIndex(Posts.HASHTAGS))).containsExactly("diplomacy");
    assertThat(original.getList(original.fieldIndex(Posts.URLS))).containsExactly("https://embassy.example/talks");
    assertThat(original.<String>getAs(Posts.AUTHOR_SCREEN_NAME)).isEqualTo("embassy");
    assertThat(original.<Long>getAs(Posts.AUTHOR_FOLLOWERS_COUNT)).isEqualTo(50000L);
    Row repost = r.post("3002");
    assertThat(List.<Object>of(repost.<String>getAs(Posts.KIND), repost.getAs(Posts.PARENT_POST_ID), repost.getAs(Posts.PARENT_ACCOUNT_ID)))
        .containsExactly(Posts.KIND_REPOST, "3001", "21");
    Row reply = r.post("3003");
    assertThat(List.<Object>of(reply.<String>getAs(Posts.KIND), reply.getAs(Posts.PARENT_ACCOUNT_ID))).containsExactly(Posts.KIND_REPLY, "21");
    assertThat(reply.getList(reply.fieldIndex(Posts.MENTIONS))).containsExactly("embassy");
    Row quote = r.post("3004");
    assertThat(quote.<String>getAs(Posts.KIND)).isEqualTo(Posts.KIND_QUOTE);
    assertThat(quote.<java.sql.Timestamp>getAs(Posts.CREATED_AT)).isEqualTo(io.chorus.Fixtures.ts("2024-03-04T10:00:00Z")); // epoch ms
    assertThat(r.post("3006").<String>getAs(Posts.ACCOUNT_ID)).isEqualTo("21");

    Row boaz = r.account("u1217628182611927040");
    assertThat(boaz.<java.sql.Timestamp>getAs(Accounts.OBSERVED_AT)).isEqualTo(io.chorus.Fixtures.ts("2022-02-01T00:00:00Z"));
    assertThat(boaz.<java.sql.Timestamp>getAs(Accounts.ACCOUNT_CREATED_AT)).isEqualTo(io.chorus.Fixtures.ts("2020-01-16T02:02:55Z"));
    assertThat(List.<Object>of(boaz.<Long>getAs(Accounts.FOLLOWERS_COUNT), boaz.<Long>getAs(Accounts.FRIENDS_COUNT), boaz.<Long>getAs(Accounts.STATUSES_COUNT)))
        .containsExactly(7316L, 215L, 3098L);
    Row fan = r.account("22");
    assertThat(fan.<Boolean>getAs(Accounts.DEFAULT_PROFILE_IMAGE)).isTrue();
    assertThat(fan.<java.sql.Timestamp>getAs(Accounts.OBSERVED_AT)).isEqualTo(io.chorus.Fixtures.ts("2022-02-01T00:00:00Z"));
    assertThat(r.account("23").<String>getAs(Accounts.SCREEN_NAME)).isEqualTo("quoter");
    assertThat(labels(tmp)).isEqualTo(Map.of("u1217628182611927040", "human", "22", "bot"));
  }

  @Test
  void mastodonStatusesWithReblogsAndHtml(@TempDir Path tmp) {
    Result r = ingest(fixture("mastodon"), tmp, Mastodon.FORMAT, Map.of());
    assertThat(r.conservation()).isEqualTo(new IngestJob.Conservation(4, 3, 1, 0, 0));
    assertThat(r.reasons()).isEqualTo(Map.of(Validation.BAD_TIMESTAMP, 2L)); // the post and its account snapshot
    Row original = r.post("110000000000000001");
    assertThat(original.<String>getAs(Posts.PLATFORM)).isEqualTo("mastodon");
    assertThat(original.<String>getAs(Posts.TEXT)).isEqualTo("Our minister meets partners #Summit with @press & more: ministry.example/news");
    assertThat(original.getList(original.fieldIndex(Posts.HASHTAGS))).containsExactly("summit");
    assertThat(original.getList(original.fieldIndex(Posts.MENTIONS))).containsExactly("press");
    assertThat(original.getList(original.fieldIndex(Posts.URLS))).containsExactly("https://ministry.example/news");
    Row reblog = r.post("110000000000000002");
    assertThat(List.<Object>of(reblog.<String>getAs(Posts.KIND), reblog.getAs(Posts.PARENT_POST_ID), reblog.getAs(Posts.PARENT_ACCOUNT_ID),
        reblog.getAs(Posts.TEXT))).containsExactly(Posts.KIND_REPOST, "110000000000000001", "501", "Our minister meets partners");
    assertThat(r.post("110000000000000003").<String>getAs(Posts.KIND)).isEqualTo(Posts.KIND_REPLY);
    Row amp = r.account("503");
    assertThat(List.<Object>of(amp.<String>getAs(Accounts.SCREEN_NAME), amp.getAs(Accounts.DEFAULT_PROFILE_IMAGE), amp.getAs(Accounts.STATUSES_COUNT)))
        .containsExactly("amp1@other.example", true, 90000L);
    assertThat(r.account("501").<String>getAs(Accounts.DESCRIPTION)).isEqualTo("Official account");
  }

  @Test
  void caverleeUserFilesWithLabelsFromFileNames(@TempDir Path tmp) {
    Result r = ingest(fixture("caverlee-tsv"), tmp, Adapters.CAVERLEE_TSV, Map.of());
    assertThat(r.conservation().read()).isZero();
    // 5 rows: 3 valid, one count "abc" (bad_type), one cut short (malformed).
    assertThat(r.accounts().count()).isEqualTo(3);
    assertThat(r.reasons()).isEqualTo(new TreeMap<>(Map.of(Validation.BAD_TYPE, 1L, Validation.MALFORMED_RECORD, 1L)));
    Row polluter = r.account("6301");
    assertThat(List.<Object>of(polluter.<Long>getAs(Accounts.FRIENDS_COUNT), polluter.getAs(Accounts.FOLLOWERS_COUNT), polluter.getAs(Accounts.STATUSES_COUNT),
        polluter.getAs(Accounts.SCREEN_NAME_LENGTH), polluter.getAs(Accounts.DESCRIPTION_LENGTH))).containsExactly(3269L, 3071L, 861L, 8, 132);
    assertThat(polluter.<java.sql.Timestamp>getAs(Accounts.OBSERVED_AT)).isEqualTo(io.chorus.Fixtures.ts("2010-01-17T20:38:25Z"));
    Map<String, String> labels = labels(tmp);
    assertThat(labels).containsEntry("6301", "bot").containsEntry("10836", "bot").containsEntry("614", "human");
  }

  @Test
  void iraCsvWithAuthorsAsAttributesAndLabels(@TempDir Path tmp) {
    Result r = ingest(fixture("ira-csv"), tmp, Adapters.IRA_CSV, Map.of(IngestJob.IRA_LABELS, "true"));
    // 8 rows: 3 kept (original, R, Q), one exact repeat, bad date, no author, followers "many", broken quoting.
    assertThat(r.conservation()).isEqualTo(new IngestJob.Conservation(8, 3, 4, 1, 0));
    assertThat(r.reasons()).isEqualTo(new TreeMap<>(Map.of(Validation.BAD_TIMESTAMP, 1L, Validation.MISSING_FIELD, 1L, Validation.BAD_TYPE, 1L,
        Validation.MALFORMED_RECORD, 1L)));
    Row original = r.posts().filter("kind = 'original'").first();
    assertThat(original.<String>getAs(Posts.TEXT)).isEqualTo("Breaking: \"talks\" fail, says @StateDept #news https://t.co/abc");
    assertThat(original.getList(original.fieldIndex(Posts.HASHTAGS))).containsExactly("news");
    assertThat(original.getList(original.fieldIndex(Posts.MENTIONS))).containsExactly("statedept");
    assertThat(original.<String>getAs(Posts.LANG)).isEqualTo("en");
    assertThat(r.posts().filter("kind = 'repost' and parent_missing").count()).isEqualTo(1);
    assertThat(r.posts().filter("kind = 'quote' and account_id = 'xfan'").count()).isEqualTo(1);
    assertThat(labels(tmp)).isEqualTo(Map.of("xraynews", "bot", "xfan", "bot"));
    Map<String, String> category = spark.read().parquet(tmp.resolve("account_attributes").toString()).filter("attribute = 'account_category'")
        .collectAsList().stream().collect(Collectors.toMap(x -> x.getAs("account_id"), x -> x.getAs("value")));
    assertThat(category).isEqualTo(Map.of("xraynews", "NewsFeed", "xfan", "NonEnglish"));
  }

  @Test
  void cresciCsvAccountsAndLabelsFromTheDatasetColumn(@TempDir Path tmp) {
    Result r = ingest(fixture("cresci-csv"), tmp, Adapters.CRESCI_CSV, Map.of());
    assertThat(r.accounts().count()).isEqualTo(2);
    assertThat(r.reasons()).isEqualTo(Map.of(Validation.BAD_TYPE, 1L)); // followers_count "x"
    Row ann = r.account("101");
    assertThat(List.<Object>of(ann.getAs(Accounts.SCREEN_NAME), ann.getAs(Accounts.FOLLOWERS_COUNT), ann.getAs(Accounts.DEFAULT_PROFILE),
        ann.getAs(Accounts.DESCRIPTION))).containsExactly("ann_reads", 350L, false, "Reader, walker");
    // profile completeness: Ann links a site, geotags, has no banner; 102 left every field empty
    Row x7x = r.account("102");
    assertThat(List.<Object>of(ann.getAs(Accounts.HAS_URL), ann.getAs(Accounts.GEO_ENABLED), ann.getAs(Accounts.HAS_BANNER), ann.getAs(Accounts.LOCATION),
        x7x.getAs(Accounts.HAS_URL), x7x.getAs(Accounts.GEO_ENABLED), x7x.getAs(Accounts.LOCATION)))
        .containsExactly(true, true, false, "Rome", false, false, "");
    assertThat(labels(tmp)).containsEntry("101", "human").containsEntry("102", "bot");
  }

  static void gzip(Path from, Path to, int keepBytes) throws Exception {
    byte[] whole;
    try (var bos = new java.io.ByteArrayOutputStream(); OutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(Files.readAllBytes(from));
      gz.close();
      whole = bos.toByteArray();
    }
    Files.write(to, java.util.Arrays.copyOf(whole, keepBytes < 0 ? whole.length : Math.min(keepBytes, whole.length)));
  }

  @Test
  void truncatedGzipFailsNamingTheFileOrIsSkippedAndRecorded(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path source = fixture("twitter-v1").resolve("tweets.jsonl");
    gzip(source, in.resolve("good.jsonl.gz"), -1);
    gzip(source, in.resolve("cut.jsonl.gz"), 200);

    assertThatThrownBy(() -> IngestJob.run(spark, config(in, tmp.resolve("fail"), TwitterV1.FORMAT, Map.of()), new RunManifest("ingest", DAY, Map.of())))
        .isInstanceOf(ChorusException.class)
        .hasMessageContaining("cut.jsonl.gz")
        .hasMessageContaining("--on-corrupt-file skip");

    Map<String, String> flags = new HashMap<>(Map.of(ArchiveFiles.ON_CORRUPT_FILE, "skip"));
    Result r = ingest(in, tmp.resolve("skip"), TwitterV1.FORMAT, flags);
    assertThat(r.conservation()).isEqualTo(new IngestJob.Conservation(12, 6, 4, 1, 1)); // good.jsonl.gz only: tweets.jsonl's outcome
    Row skipped = r.quarantine().filter("reason_code = 'corrupt_file'").first();
    assertThat(skipped.<String>getAs(Quarantine.SOURCE_FILE)).endsWith("cut.jsonl.gz");
    assertThat(skipped.<String>getAs(Quarantine.RECORD_TYPE)).isEqualTo("file");
    assertThat(r.manifest().toMapForSummary().toString()).contains("skipped_files").contains("cut.jsonl.gz");
  }

  @Test
  void parquetFileWithoutFooterFailsOrIsSkipped(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    io.chorus.Fixtures.posts(spark, io.chorus.Fixtures.post("p1", "a1", "2024-03-01T10:00:00Z"), io.chorus.Fixtures.post("p2", "a1", "2024-03-01T10:01:00Z"))
        .coalesce(1).write().parquet(in.resolve("posts").toString());
    Path good = Files.list(in.resolve("posts")).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    byte[] bytes = Files.readAllBytes(good);
    Files.write(in.resolve("posts/part-99999-broken.parquet"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> IngestJob.run(spark, config(in, tmp.resolve("fail"), IngestJob.FORMAT_CANONICAL, Map.of()),
        new RunManifest("ingest", DAY, Map.of()))).isInstanceOf(ChorusException.class).hasMessageContaining("part-99999-broken.parquet");
    Result r = ingest(in, tmp.resolve("skip"), IngestJob.FORMAT_CANONICAL, Map.of(ArchiveFiles.ON_CORRUPT_FILE, "skip"));
    assertThat(r.conservation()).isEqualTo(new IngestJob.Conservation(2, 2, 0, 0, 0));
    assertThat(r.reasons()).isEqualTo(Map.of(ArchiveFiles.CORRUPT_FILE, 1L));
  }
}
