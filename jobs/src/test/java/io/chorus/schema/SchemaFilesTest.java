package io.chorus.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * data-schemas/ mirrors io.chorus.schema: each table's v<N>.json is its StructType JSON and its
 * README.md lists every column. Regenerate after a reviewed change with
 * {@code mvn test -Dtest=SchemaFilesTest -Dgolden.update=true} (then add a new version, never edit a
 * published one).
 */
class SchemaFilesTest {
  static final Path ROOT = Path.of(System.getProperty("chorus.project.dir", "..")).resolve("data-schemas");
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static Stream<TableSchema> tables() {
    return Schemas.ALL.stream();
  }

  static Path dir(TableSchema t) {
    return ROOT.resolve(t.folder()).resolve(t.name());
  }

  static void check(Path file, String expected) throws IOException {
    if (UPDATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    assertThat(file).as("%s is missing: regenerate with -Dgolden.update=true", file).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as("%s is out of step with io.chorus.schema; regenerate with -Dgolden.update=true and add a new version", file)
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void jsonFileMatchesCode(TableSchema t) throws IOException {
    check(dir(t).resolve(SchemaDocs.jsonFile(t)), t.schema().prettyJson() + "\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void readmeListsEveryColumn(TableSchema t) throws IOException {
    check(dir(t).resolve("README.md"), SchemaDocs.readme(t));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void jsonFileParsesBackToTheSameSchema(TableSchema t) throws IOException {
    String json = Files.readString(dir(t).resolve(SchemaDocs.jsonFile(t)), StandardCharsets.UTF_8);
    assertThat(DataType.fromJson(json)).isEqualTo(t.schema());
  }

  @Test
  void ddlFilesMatchCode() throws IOException {
    check(ROOT.resolve("ddl/spark.sql"), Ddl.spark(Schemas.PUBLISHED));
    check(ROOT.resolve("ddl/trino.sql"), Ddl.trino(Schemas.PUBLISHED));
    check(ROOT.resolve("ddl/athena.sql"), Ddl.athena(Schemas.PUBLISHED));
  }

  @Test
  void everyColumnIsDocumented() {
    Schemas.ALL.forEach(t -> Stream.of(t.schema().fields()).forEach(f -> {
      assertThat(Fields.meaning(f)).as("%s.%s meaning", t.name(), f.name()).isNotBlank();
      assertThat(Fields.unit(f)).as("%s.%s unit", t.name(), f.name()).isNotBlank();
    }));
  }

  @Test
  void outputTableNamesAreTheFixedOnes() {
    assertThat(Schemas.ALL.stream().filter(t -> t.kind() == TableSchema.Kind.OUTPUT).map(TableSchema::name))
        .containsExactlyInAnyOrder("quarantine", "account_features", "account_scores", "bot_share", "account_influence",
            "topic_influence", "watchlist_influence", "coordination_edges", "coordination_clusters");
  }
}
