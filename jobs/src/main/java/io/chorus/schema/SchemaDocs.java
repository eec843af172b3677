package io.chorus.schema;

import java.util.Locale;
import org.apache.spark.sql.types.StructField;

/** Renders the README of a table in data-schemas/: one line per column with meaning, unit, nullability. */
public final class SchemaDocs {
  private SchemaDocs() {}

  public static String jsonFile(TableSchema t) {
    return "v" + t.version() + ".json";
  }

  public static String readme(TableSchema t) {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(t.name()).append(" (v").append(t.version()).append(")\n\n");
    b.append(t.description()).append('\n');
    if (t.partitioned()) {
      b.append("\nStored at `<output>/").append(t.name()).append("/run_date=YYYY-MM-DD/` (Parquet); readers see a `run_date` column.\n");
    }
    b.append("\n| column | type | nullable | unit | meaning |\n|---|---|---|---|---|\n");
    for (StructField f : t.schema().fields()) {
      b.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s |%n", f.name(), f.dataType().simpleString(), f.nullable() ? "yes" : "no",
          Fields.unit(f), Fields.meaning(f)));
    }
    b.append("\nGenerated from `").append(t.schema().fields().length).append("` columns in `io.chorus.schema`; `SchemaFilesTest` keeps this file in sync.\n");
    return b.toString();
  }
}
