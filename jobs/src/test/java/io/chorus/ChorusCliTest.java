package io.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChorusCliTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Chorus.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(Chorus.Command.class)
  void helpListsEveryFlagWithItsDefaultAndAnExample(Chorus.Command c) {
    Result r = run(c.name, "--help");
    assertThat(r.code()).isZero();
    for (var f : c.flags) {
      assertThat(r.out()).contains("--" + f.name()).contains(f.help());
    }
    assertThat(r.out()).contains("default:").contains("Example:").contains("chorus " + c.name);
  }

  @Test
  void usageListsTheFirstSetOfSubcommands() {
    Result r = run("--help");
    assertThat(r.out()).contains("generate", "ingest", "features", "train", "score", "estimate", "influence", "pipeline");
  }

  @Test
  void unknownCommandAndFlagAreOneReadableLine() {
    Result cmd = run("frobnicate");
    assertThat(cmd.code()).isEqualTo(2);
    assertThat(cmd.err()).startsWith("chorus: error: Unknown command 'frobnicate'").doesNotContain("\tat ");
    Result flag = run("ingest", "--inptu", "x");
    assertThat(flag.code()).isEqualTo(2);
    assertThat(flag.err()).contains("Unknown flag --inptu").contains("--input").doesNotContain("\tat ");
  }

  @Test
  void missingInputIsAUserErrorWithoutStackTraceUnlessVerbose(@TempDir Path tmp) {
    Result r = run("ingest", "--input", tmp.resolve("missing").toString(), "--output", tmp.resolve("out").toString(), "--quiet");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("missing/posts").contains("Fix:").doesNotContain("\tat ");
    Result verbose = run("ingest", "--input", tmp.resolve("missing").toString(), "--output", tmp.resolve("out").toString(), "--quiet", "--verbose");
    assertThat(verbose.err()).contains("\tat ");
  }

  @Test
  void unknownFormatMissingModelUnwritableOutputAndMissingRunAreOneLineWithTheFix(@TempDir Path tmp) throws Exception {
    Result format = run("ingest", "--input", tmp.toString(), "--output", tmp.resolve("out").toString(), "--format", "tweets-csv", "--quiet");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("Unknown --format 'tweets-csv'").contains("twitter-v1").doesNotContain("\tat ");

    java.nio.file.Files.createDirectories(tmp.resolve("run/account_features/run_date=2024-03-15"));
    Result model = run("score", "--input", tmp.resolve("run").toString(), "--output", tmp.resolve("out").toString(), "--model",
        tmp.resolve("no-model").toString(), "--run-date", "2024-03-15", "--quiet");
    assertThat(model.code()).isEqualTo(2);
    assertThat(model.err()).contains("No model at " + tmp.resolve("no-model")).contains("Fix:").contains("chorus train").doesNotContain("\tat ");

    java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("a-file"), "not a folder");
    Result unwritable = run("features", "--input", tmp.toString(), "--output", file.resolve("out").toString(), "--quiet");
    assertThat(unwritable.code()).isEqualTo(2);
    assertThat(unwritable.err()).startsWith("chorus: error: Cannot write to --output " + file.resolve("out")).contains("Fix:")
        .doesNotContain("\tat ");

    Result report = run("report", "--output", tmp.resolve("nothing-here").toString(), "--quiet");
    assertThat(report.code()).isEqualTo(2);
    assertThat(report.err()).contains("No run found under").contains("Fix:").doesNotContain("\tat ");
  }

  @Test
  void badRunDateNamesTheFlag(@TempDir Path tmp) {
    Result r = run("features", "--input", tmp.toString(), "--run-date", "15/03/2024", "--quiet");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--run-date must look like 2024-03-01");
  }
}
