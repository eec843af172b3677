package io.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.SparkTestBase;
import io.chorus.config.JobConfig;
import io.chorus.coordination.CoordinationDetector;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.schema.Quarantine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of valid records (truncation, wrong types, huge fields, nulls, removed fields,
 * control characters, repeats): ingest must not crash, must conserve every record, and must give every
 * quarantined row a reason. Seeded, so a failure reproduces.
 */
class FuzzIngestTest extends SparkTestBase {
  static final String DAY = "2024-03-15";
  static final ObjectMapper JSON = new ObjectMapper();
  static final int RECORDS = 400;

  static JobConfig config(Path in, Path out, String format) {
    return new JobConfig(List.of(in.toString()), out.toString(), DAY, out + "/_model", List.of(), List.of(), List.of(), format, null, 10, 100,
        42, CoordinationDetector.Params.DEFAULTS, Map.of());
  }

  static ObjectNode validTweet(int i, Random rnd) {
    ObjectNode t = JSON.createObjectNode();
    t.put("id_str", String.valueOf(5000 + i));
    t.put("created_at", "Mon Mar 04 1" + rnd.nextInt(10) + ":0" + rnd.nextInt(10) + ":00 +0000 2024");
    t.put("text", "post " + i + " #tag" + rnd.nextInt(5) + " @user" + rnd.nextInt(5));
    t.put("lang", "en");
    ObjectNode user = t.putObject("user");
    user.put("id_str", String.valueOf(100 + rnd.nextInt(30)));
    user.put("screen_name", "user" + rnd.nextInt(30));
    user.put("followers_count", rnd.nextInt(1000));
    user.put("created_at", "Fri Apr 06 10:58:22 +0000 2012");
    if (rnd.nextBoolean()) {
      ObjectNode rt = t.putObject("retweeted_status");
      rt.put("id_str", String.valueOf(5000 + rnd.nextInt(RECORDS)));
      rt.putObject("user").put("id_str", String.valueOf(100 + rnd.nextInt(30)));
    }
    ObjectNode entities = t.putObject("entities");
    entities.putArray("hashtags").addObject().put("text", "tag" + rnd.nextInt(5));
    return t;
  }

  /** Replaces one random field (at any depth) with a value of another kind, or removes it. */
  static void mutateField(ObjectNode node, Random rnd) {
    List<ObjectNode> parents = new ArrayList<>();
    List<String> names = new ArrayList<>();
    collect(node, parents, names);
    int k = rnd.nextInt(names.size());
    ObjectNode parent = parents.get(k);
    String name = names.get(k);
    switch (rnd.nextInt(8)) {
      case 0 -> parent.putNull(name);
      case 1 -> parent.remove(name);
      case 2 -> parent.put(name, rnd.nextLong());
      case 3 -> parent.put(name, "x".repeat(20_000 + rnd.nextInt(10_000)));
      case 4 -> parent.putObject(name).put("nested", 1);
      case 5 -> parent.putArray(name).add(1).add("two");
      case 6 -> parent.put(name, rnd.nextBoolean());
      default -> parent.put(name, "bad\u0001\u0007value");
    }
  }

  static void collect(ObjectNode node, List<ObjectNode> parents, List<String> names) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      parents.add(node);
      names.add(e.getKey());
      if (e.getValue() instanceof ObjectNode child) {
        collect(child, parents, names);
      }
    }
  }

  @Test
  void mutatedTwitterJsonNeverCrashesAndConservesEveryRecord(@TempDir Path tmp) throws Exception {
    Random rnd = new Random(20261123L);
    Path in = Files.createDirectories(tmp.resolve("in"));
    List<String> lines = new ArrayList<>();
    ArrayNode array = JSON.createArrayNode();
    int mutated = 0;
    for (int i = 0; i < RECORDS; i++) {
      ObjectNode t = validTweet(i, rnd);
      boolean mutate = rnd.nextDouble() < 0.5;
      if (mutate) {
        mutated++;
        for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
          mutateField(t, rnd);
        }
      }
      String line = JSON.writeValueAsString(t);
      if (i % 4 == 0) {
        array.add(t); // a quarter go to a JSON array file (syntax intact, values mutated)
        continue;
      }
      if (rnd.nextDouble() < 0.1) {
        line = line.substring(0, rnd.nextInt(line.length())); // truncated record
      }
      lines.add(line);
      if (rnd.nextDouble() < 0.05) {
        lines.add(line); // an exact repeat
      }
    }
    Files.write(in.resolve("fuzz.jsonl"), lines, StandardCharsets.UTF_8);
    Files.writeString(in.resolve("fuzz-array.json"), JSON.writeValueAsString(array));

    IngestJob.Conservation c = IngestJob.run(spark, config(in, tmp.resolve("out"), TwitterV1.FORMAT), new RunManifest("ingest", DAY, Map.of()));

    long blankLines = lines.stream().filter(String::isBlank).count();
    assertThat(c.read()).isEqualTo(lines.size() - blankLines + array.size());
    assertThat(c.holds()).isTrue();
    assertThat(c.quarantined()).isPositive();
    assertThat(c.kept()).isGreaterThanOrEqualTo(RECORDS - mutated - lines.size() / 5); // most unmutated records survive
    Dataset<Row> q = Tables.readWritten(spark, Quarantine.TABLE_SCHEMA, tmp.resolve("out").toString(), DAY);
    assertThat(q.filter("reason_code is null or reason is null or raw is null or source_file is null").count()).isZero();
    assertThat(q.filter("length(raw) > " + Quarantine.RAW_MAX_CHARS).count()).isZero();
  }

  @Test
  void mutatedIraCsvNeverCrashesAndConservesEveryRecord(@TempDir Path tmp) throws Exception {
    Random rnd = new Random(7L);
    Path in = Files.createDirectories(tmp.resolve("in"));
    List<String> rows = new ArrayList<>();
    rows.add(String.join(",", Adapters.IRA_COLUMNS));
    for (int i = 0; i < RECORDS; i++) {
      String[] v = {"author" + rnd.nextInt(20), "\"text " + i + ", with a comma #tag\"", "United States", "English",
        "2017-09-0" + (1 + rnd.nextInt(9)) + " 19:5" + rnd.nextInt(10) + ":00", "2017-09-09 00:00:00", String.valueOf(rnd.nextInt(500)),
        String.valueOf(rnd.nextInt(500)), String.valueOf(rnd.nextInt(5000)), rnd.nextBoolean() ? "" : "R", "0"};
      if (rnd.nextDouble() < 0.5) {
        int k = rnd.nextInt(v.length);
        switch (rnd.nextInt(6)) {
          case 0 -> v[k] = "";
          case 1 -> v[k] = "not-a-" + k;
          case 2 -> v[k] = "\"" + "y".repeat(12_000) + "\"";
          case 3 -> v[k] = "bad\u0002ctrl";
          case 4 -> v[k] = "2999-01-01 00:00:00";
          default -> v = java.util.Arrays.copyOf(v, 1 + rnd.nextInt(v.length - 1)); // a short row
        }
      }
      rows.add(String.join(",", v));
    }
    Files.write(in.resolve("tweets-Z.csv"), rows, StandardCharsets.UTF_8);

    IngestJob.Conservation c = IngestJob.run(spark, config(in, tmp.resolve("out"), Adapters.IRA_CSV), new RunManifest("ingest", DAY, Map.of()));

    assertThat(c.read()).isEqualTo(RECORDS);
    assertThat(c.holds()).isTrue();
    assertThat(c.quarantined()).isPositive();
    Dataset<Row> q = Tables.readWritten(spark, Quarantine.TABLE_SCHEMA, tmp.resolve("out").toString(), DAY);
    assertThat(q.filter("reason_code is null or reason is null or raw is null or source_file is null").count()).isZero();
  }
}
