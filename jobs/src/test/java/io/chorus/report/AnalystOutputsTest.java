package io.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.ChildProcesses;
import io.chorus.SparkTestBase;
import io.chorus.config.JobConfig;
import io.chorus.coordination.CoordinationDetector;
import io.chorus.generate.GenerateConfig;
import io.chorus.generate.GenerateJob;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.pipeline.PipelineJob;
import io.chorus.schema.Influence;
import io.chorus.schema.Schemas;
import io.chorus.schema.TableSchema;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What analysts touch, checked against one generated sample run: the notebooks' SQL, the Spark SQL
 * DDL in data-schemas/ddl, and the HTML report rendered in headless Chromium.
 */
class AnalystOutputsTest extends SparkTestBase {
  static final String DAY = "2024-03-15";
  static final Path NOTEBOOKS = ChildProcesses.PROJECT.resolve("notebooks");
  static final Path DDL = ChildProcesses.PROJECT.resolve("data-schemas/ddl");
  static final Pattern QUERY = Pattern.compile("(\\w+)\\s*=\\s*spark\\.sql\\(\\s*\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
  @TempDir static Path tmp;
  static Path out;

  @BeforeAll
  static void sampleRun() {
    GenerateJob.run(spark, new GenerateConfig(tmp.resolve("archive").toString(), 1500, 15000, 0.15, 7, 7, LocalDate.parse("2024-03-01"), 0.003, Map.of()));
    out = tmp.resolve("out");
    JobConfig cfg = new JobConfig(List.of(tmp.resolve("archive").toString()), out.toString(), DAY, out + "/_model", List.of(), List.of(), List.of(),
        JobConfig.DEFAULT_FORMAT, null, 20, 100, 42, CoordinationDetector.Params.DEFAULTS, Map.of());
    RunManifest manifest = new RunManifest("pipeline", DAY, Map.of());
    PipelineJob.run(spark, cfg, manifest);
    manifest.write(spark, out.toString());
    for (TableSchema t : Schemas.PUBLISHED) {
      spark.read().parquet(Tables.tablePath(out.toString(), t)).createOrReplaceTempView(t.name());
    }
  }

  static Stream<Path> notebooks() throws Exception {
    try (var files = Files.list(NOTEBOOKS)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
      assertThat(all).extracting(p -> p.getFileName().toString()).containsExactly("01-bot-share-overview.ipynb",
          "02-influence-and-amplification.ipynb", "03-watchlist-digital-diplomacy.ipynb", "04-coordinated-campaigns.ipynb");
      return all.stream();
    }
  }

  /** One spark.sql query of a notebook, with the result columns the cells after it read. */
  record Query(String variable, String sql, int cell, Set<String> usedColumns) {}

  static List<String> codeCells(JsonNode notebook) {
    List<String> cells = new ArrayList<>();
    for (JsonNode c : notebook.path("cells")) {
      if ("code".equals(c.path("cell_type").asText())) {
        StringBuilder b = new StringBuilder();
        c.path("source").forEach(line -> b.append(line.asText()));
        cells.add(b.toString());
      }
    }
    return cells;
  }

  /**
   * The queries of a notebook: every {@code x = spark.sql("""...""")}; the columns later cells read
   * are {@code x["col"]}, {@code x_pd["col"]} and {@code x_pd[["a", "b"]]}, less those the notebook
   * assigns itself ({@code x_pd["col"] = ...}).
   */
  static List<Query> queries(String notebookJson) throws Exception {
    List<String> cells = codeCells(new ObjectMapper().readTree(notebookJson));
    List<Query> found = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      Matcher m = QUERY.matcher(cells.get(i));
      while (m.find()) {
        String var = m.group(1);
        Set<String> used = new LinkedHashSet<>();
        Set<String> derived = new HashSet<>();
        Pattern single = Pattern.compile("\\b" + var + "(?:_pd)?\\[\\s*\"(\\w+)\"\\s*\\](\\s*=(?!=))?");
        Pattern list = Pattern.compile("\\b" + var + "(?:_pd)?\\[\\[([^\\]]*)\\]\\]");
        for (String later : cells.subList(i, cells.size())) {
          Matcher s = single.matcher(later);
          while (s.find()) {
            (s.group(2) != null ? derived : used).add(s.group(1));
          }
          Matcher l = list.matcher(later);
          while (l.find()) {
            Matcher q = Pattern.compile("\"(\\w+)\"").matcher(l.group(1));
            while (q.find()) {
              used.add(q.group(1));
            }
          }
        }
        used.removeAll(derived);
        found.add(new Query(var, m.group(2), i, used));
      }
    }
    return found;
  }

  /** Problems of one notebook against the sample run: queries that fail, or lack columns later cells read. */
  static List<String> problems(String notebookJson) throws Exception {
    List<String> problems = new ArrayList<>();
    for (Query q : queries(notebookJson)) {
      try {
        Dataset<Row> df = q.sql().contains(":run_date") ? spark.sql(q.sql(), Map.<String, Object>of("run_date", DAY)) : spark.sql(q.sql());
        Set<String> have = new HashSet<>(Arrays.asList(df.columns()));
        for (String c : q.usedColumns()) {
          if (!have.contains(c)) {
            problems.add(q.variable() + ": later cells read column '" + c + "' which the query does not return " + have);
          }
        }
        if (df.limit(1).count() == 0) {
          problems.add(q.variable() + ": returns no rows on the sample run");
        }
      } catch (Exception e) {
        problems.add(q.variable() + ": " + e.getClass().getSimpleName() + ": " + Tables.firstLine(e));
      }
    }
    return problems;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notebooks")
  void notebookIsCommittedWithoutOutputsAndReadsOnlyPublishedTables(Path notebook) throws Exception {
    JsonNode nb = new ObjectMapper().readTree(notebook.toFile());
    assertThat(nb.path("nbformat").asInt()).isEqualTo(4);
    for (JsonNode c : nb.path("cells")) {
      if ("code".equals(c.path("cell_type").asText())) {
        assertThat(c.path("outputs").size()).as("outputs in %s", notebook).isZero();
        assertThat(c.path("execution_count").isNull()).as("execution_count in %s", notebook).isTrue();
      }
    }
    String code = String.join("\n", codeCells(nb));
    Matcher tables = Pattern.compile("TABLES = \\[([^\\]]*)\\]").matcher(code);
    assertThat(tables.find()).as("%s declares TABLES", notebook).isTrue();
    List<String> published = Schemas.PUBLISHED.stream().map(TableSchema::name).toList();
    Matcher names = Pattern.compile("\"(\\w+)\"").matcher(tables.group(1));
    while (names.find()) {
      assertThat(published).as("%s reads a table no run publishes", notebook).contains(names.group(1));
    }
    assertThat(code).doesNotContain("import io.chorus").doesNotContain("spark.read.csv");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notebooks")
  void everyNotebookQueryRunsAndReturnsTheColumnsLaterCellsUse(Path notebook) throws Exception {
    String json = Files.readString(notebook, StandardCharsets.UTF_8);
    List<Query> queries = queries(json);
    long calls = Pattern.compile("spark\\.sql\\(").matcher(String.join("\n", codeCells(new ObjectMapper().readTree(json)))).results().count();
    assertThat(queries).as("every spark.sql call in %s is an assigned triple-quoted query", notebook).hasSize((int) calls).hasSizeGreaterThanOrEqualTo(4);
    assertThat(queries).allSatisfy(q -> assertThat(q.usedColumns()).as("%s: later cells read no column of it", q.variable()).isNotEmpty());
    assertThat(problems(json)).as(notebook.toString()).isEmpty();
  }

  @Test
  void aNotebookOutOfStepWithTheSchemaFails() throws Exception {
    String json = Files.readString(NOTEBOOKS.resolve("02-influence-and-amplification.ipynb"), StandardCharsets.UTF_8);
    assertThat(problems(json)).isEmpty();
    // a renamed column in a query, and a column a later cell reads that the query never returns
    assertThat(problems(json.replace("unique_amplifiers", "distinct_amplifiers"))).anyMatch(p -> p.contains("distinct_amplifiers"));
    assertThat(problems(json.replace("topic_amplifiers_pd[[\\\"topic\\\"", "topic_amplifiers_pd[[\\\"subject\\\"")))
        .anyMatch(p -> p.contains("'subject'"));
  }

  @Test
  void sparkDdlCreatesTablesThatReadTheRun() throws Exception {
    spark.sql("CREATE DATABASE IF NOT EXISTS chorus LOCATION '" + tmp.resolve("warehouse").toUri() + "'");
    spark.conf().set(io.chorus.schema.Ddl.SPARK_OUTPUT_VARIABLE, out.toUri().toString().replaceAll("/$", ""));
    try {
      String file = Files.readString(DDL.resolve("spark.sql"), StandardCharsets.UTF_8);
      String[] statements = file.replaceAll("(?m)^--.*$", "").split(";\\s*\\n");
      int run = 0;
      for (String s : statements) {
        if (!s.isBlank()) {
          spark.sql(s);
          run++;
        }
      }
      assertThat(run).isEqualTo(1 + 2 * Schemas.PUBLISHED.size());
      for (TableSchema t : Schemas.PUBLISHED) {
        Dataset<Row> table = spark.sql("SELECT * FROM chorus." + t.name() + " WHERE run_date = DATE'" + DAY + "'");
        List<String> expected = new ArrayList<>(Arrays.asList(t.schema().fieldNames()));
        expected.add(Schemas.RUN_DATE);
        assertThat(table.columns()).as(t.name()).containsExactlyElementsOf(expected);
        long files = spark.read().parquet(Tables.tablePath(out.toString(), t) + "/run_date=" + DAY).count();
        assertThat(table.count()).as(t.name()).isEqualTo(files);
      }
      assertThat(spark.sql("SELECT count(*) FROM chorus.bot_share WHERE slice_type = 'overall'").first().getLong(0)).isPositive();
    } finally {
      spark.sql("DROP DATABASE IF EXISTS chorus CASCADE");
    }
  }

  @Test
  void reportIsOneOfflinePageWithEverySection() throws Exception {
    Path html = tmp.resolve("report.html");
    String written = ReportJob.run(spark, new ReportConfig(out.toString(), null, html.toString()));
    assertThat(written).isEqualTo(html.toString());
    String page = Files.readString(html, StandardCharsets.UTF_8);
    assertThat(page).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://").doesNotContain("<link")
        .contains("id=\"bot-share\"", "id=\"amplified\"", "id=\"watchlist\"", "id=\"clusters\"", "id=\"manifest\"")
        .contains("run_date=" + DAY);
    Row first = spark.table(Influence.ACCOUNT_TABLE).filter("rank = 1").first();
    assertThat(page).contains("1. @" + first.getAs(Influence.SCREEN_NAME));
    long actors = spark.table(Influence.WATCHLIST_TABLE).select(Influence.ACCOUNT_ID).distinct().count();
    assertThat(actors).isPositive();
    int actorRows = page.split("<h2 id=\"watchlist\">")[1].split("<h2")[0].split("<tr><td>").length - 1;
    assertThat(actorRows).isEqualTo((int) Math.min(actors, ReportJob.TOP_ACTORS));

    Optional<Path> chromium = HeadlessChromium.find();
    if (chromium.isEmpty()) {
      assertThat(System.getenv("CHORUS_REQUIRE_BROWSER")).as("Chromium is required (scripts/test.sh installs it) but was not found").isNull();
      assumeThat(chromium).as("Chromium not installed (apt-get install chromium); scripts/test.sh installs it").isPresent();
    }
    String svgs = "JSON.stringify([...document.querySelectorAll('svg')].map(s => ({marks: s.querySelectorAll('rect,polyline,polygon,circle,line').length,"
        + " w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height})))";
    try (HeadlessChromium browser = new HeadlessChromium(chromium.get(), tmp)) {
      HeadlessChromium.Page shown = browser.load(html.toUri().toString(), svgs, 1100);
      assertThat(shown.errors()).as("console errors").isEmpty();
      assertThat(shown.evaluated()).hasSize(4);
      for (JsonNode svg : shown.evaluated()) {
        assertThat(svg.path("marks").asInt()).as("marks in %s", svg).isGreaterThan(3);
        assertThat(svg.path("w").asDouble()).isPositive();
        assertThat(svg.path("h").asDouble()).isPositive();
      }
      Files.write(tmp.resolve("report.png"), shown.png());
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(shown.png()));
      assertThat(png.getHeight()).isGreaterThan(1500);
      assertThat(inkShare(png)).as("share of non-white pixels").isGreaterThan(0.03);

      // the same checks catch a broken page: a script error, a blocked load and an empty chart
      Path broken = tmp.resolve("broken.html");
      Files.writeString(broken, "<html><body><svg width=\"10\" height=\"10\"></svg><script>notDefined();</script>"
          + "<img src=\"file:///nonexistent/chorus.png\"></body></html>");
      HeadlessChromium.Page bad = browser.load(broken.toUri().toString(), svgs, 400);
      assertThat(bad.errors()).anyMatch(e -> e.contains("notDefined"));
      assertThat(bad.evaluated().get(0).path("marks").asInt()).isZero();
      assertThat(inkShare(ImageIO.read(new ByteArrayInputStream(bad.png())))).isLessThan(0.01);
    }
  }

  static double inkShare(BufferedImage img) {
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        if (rgb != 0xffffff) {
          ink++;
        }
      }
    }
    return ink / (((img.getHeight() + 1) / 2.0) * ((img.getWidth() + 1) / 2.0));
  }
}
