package io.chorus.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.chorus.ChorusException;
import io.chorus.schema.Schemas;
import io.chorus.schema.TableSchema;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The only place that knows paths, formats and partitioning. Output tables live at {@code
 * <root>/<table>/run_date=<yyyy-MM-dd>/}: a run writes exactly its own partition folder with
 * overwrite, so a rerun replaces it and no other partition is touched, whatever the committer.
 * Any Hadoop URI works (file://, s3a://, hdfs://).
 */
public final class Tables {
  private Tables() {}

  public static FileSystem fs(SparkSession spark, String path) {
    try {
      return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new ChorusException("Cannot open the file system of " + path + ": " + e.getMessage(), e);
    }
  }

  public static boolean exists(SparkSession spark, String path) {
    try {
      return fs(spark, path).exists(new Path(path));
    } catch (IOException e) {
      throw new ChorusException("Cannot check " + path + ": " + e.getMessage(), e);
    }
  }

  static String partitionPath(String tablePath, String runDate) {
    return tablePath + "/" + Schemas.RUN_DATE + "=" + runDate;
  }

  /**
   * The folder to read for one table path: the run's partition when the table is partitioned by
   * run_date, the folder itself when it is a plain table, empty when it does not exist.
   */
  static Optional<String> resolve(SparkSession spark, String tablePath, String runDate) {
    if (!exists(spark, tablePath)) {
      return Optional.empty();
    }
    String partition = partitionPath(tablePath, runDate);
    if (exists(spark, partition)) {
      return Optional.of(partition);
    }
    List<String> partitions = runDates(spark, tablePath);
    if (!partitions.isEmpty()) {
      throw new ChorusException(
          "Table " + tablePath + " has no partition for run_date " + runDate + " (it has " + partitions
              + "). Fix: pass --run-date with one of those, or run the producing stage for " + runDate + ".");
    }
    return Optional.of(tablePath);
  }

  /** run_date partitions present under a table folder, sorted; empty when the folder does not exist. */
  public static List<String> runDates(SparkSession spark, String tablePath) {
    if (!exists(spark, tablePath)) {
      return List.of();
    }
    try {
      FileStatus[] children = fs(spark, tablePath).listStatus(new Path(tablePath));
      List<String> out = new ArrayList<>();
      for (FileStatus s : children) {
        String n = s.getPath().getName();
        if (s.isDirectory() && n.startsWith(Schemas.RUN_DATE + "=")) {
          out.add(n.substring(Schemas.RUN_DATE.length() + 1));
        }
      }
      out.sort(String::compareTo);
      return out;
    } catch (IOException e) {
      throw new ChorusException("Cannot list " + tablePath + ": " + e.getMessage(), e);
    }
  }

  /** The folders to read for each table path (see {@link #resolve}); missing tables are left out. */
  public static List<String> resolveAll(SparkSession spark, List<String> tablePaths, String runDate) {
    List<String> folders = new ArrayList<>();
    for (String p : tablePaths) {
      resolve(spark, p, runDate).ifPresent(folders::add);
    }
    return folders;
  }

  /**
   * The Parquet rows of {@code folders}, unioned by name; empty when there are none. A folder holding
   * one of the {@code skipped} files is read from its files in {@code readable} instead (partition
   * columns still discovered from the folder); any other folder is read whole.
   */
  public static Optional<Dataset<Row>> readFiles(SparkSession spark, List<String> folders, List<String> readable, List<String> skipped) {
    Dataset<Row> out = null;
    for (String folder : folders) {
      String prefix = fs(spark, folder).makeQualified(new Path(folder)).toString() + "/";
      boolean partial = skipped.stream().anyMatch(f -> f.startsWith(prefix));
      List<String> keep = readable.stream().filter(f -> f.startsWith(prefix)).toList();
      if (partial && keep.isEmpty()) {
        continue;
      }
      Dataset<Row> df;
      try {
        df = partial ? spark.read().option("basePath", folder).parquet(keep.toArray(new String[0])) : spark.read().parquet(folder);
      } catch (Exception e) {
        throw new ChorusException(
            "Cannot read Parquet at " + folder + ": " + firstLine(e) + ". Fix: check the path holds Parquet files"
                + " (convert other layouts with 'chorus ingest --format ...').", e);
      }
      out = out == null ? df : out.unionByName(df, true);
    }
    return Optional.ofNullable(out);
  }

  /** Raw Parquet rows of every existing table path, unioned by name; empty when none exists. */
  public static Optional<Dataset<Row>> readRaw(SparkSession spark, List<String> tablePaths, String runDate) {
    return readFiles(spark, resolveAll(spark, tablePaths, runDate), List.of(), List.of());
  }

  /** Reads a table and conforms it to its schema; a clear error names the paths when none exists. */
  public static Dataset<Row> read(SparkSession spark, TableSchema table, List<String> tablePaths, String runDate) {
    return readOptional(spark, table, tablePaths, runDate)
        .orElseThrow(
            () ->
                new ChorusException(
                    "Table '" + table.name() + "' not found at " + String.join(", ", tablePaths) + ". Fix: point --input at a"
                        + " folder holding " + table.name() + "/ (for a sample archive run 'scripts/chorus generate'),"
                        + " or run the stage that writes it first."));
  }

  public static Optional<Dataset<Row>> readOptional(
      SparkSession spark, TableSchema table, List<String> tablePaths, String runDate) {
    return readRaw(spark, tablePaths, runDate).map(df -> conform(df, table, String.join(",", tablePaths)));
  }

  /**
   * Selects the schema's columns in order, casting each to its declared type and adding absent
   * optional columns as nulls. A missing required column fails before any Spark job runs.
   */
  public static Dataset<Row> conform(Dataset<Row> df, TableSchema table, String where) {
    List<String> have = Arrays.asList(df.columns());
    List<Column> cols = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      if (have.contains(f.name())) {
        cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
      } else if (f.nullable()) {
        cols.add(lit(null).cast(f.dataType()).as(f.name()));
      } else {
        throw new ChorusException(
            "Table '" + table.name() + "' at " + where + " lacks required column '" + f.name() + "' (" + f.dataType().simpleString()
                + "). It has: " + String.join(", ", have) + ". Fix: add or rename the column, or convert the archive with"
                + " 'chorus ingest --format <layout>'. Schema: data-schemas/" + table.folder() + "/" + table.name() + "/");
      }
    }
    return df.select(cols.toArray(new Column[0]));
  }

  /** Prefix of a partition being written; names starting with '_' are invisible to Parquet readers and partition discovery. */
  static final String STAGING = "_staging-";

  /**
   * Writes one run_date partition of an output table, replacing it if present, so that no reader
   * ever sees a partial partition.
   *
   * <p>On file systems with an atomic directory rename (local, HDFS) the partition is written to a
   * hidden staging folder {@code <table>/_staging-<run_date>-<uuid>}, then the old partition is
   * removed and the staging folder renamed into place: a reader sees the old partition, briefly
   * none, or the new one, and a killed run leaves at most a hidden staging folder (removed by the
   * next write of that partition). On s3a, the S3A magic committer makes the files visible only at
   * job commit (see SparkSessions).
   */
  public static void write(Dataset<Row> df, TableSchema table, String root, String runDate) {
    Dataset<Row> conformed = conform(df, table, "(computed)");
    String tablePath = tablePath(root, table);
    String target = partitionPath(tablePath, runDate);
    if ("s3a".equals(new Path(target).toUri().getScheme())) {
      conformed.write().mode(SaveMode.Overwrite).parquet(target);
      return;
    }
    FileSystem fs = fs(df.sparkSession(), tablePath);
    Path staging = new Path(tablePath, STAGING + runDate + "-" + java.util.UUID.randomUUID());
    try {
      removeStaleStaging(fs, new Path(tablePath), runDate);
      conformed.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
      Path dest = new Path(target);
      if (fs.exists(dest) && !fs.delete(dest, true)) {
        throw new IOException("could not remove the previous partition " + dest);
      }
      if (!fs.rename(staging, dest)) {
        throw new IOException("rename of " + staging + " to " + dest + " failed");
      }
    } catch (IOException e) {
      throw new ChorusException("Cannot publish " + target + ": " + e.getMessage() + ". Fix: check write permission on --output; rerun the same"
          + " --run-date to replace the partition.", e);
    }
  }

  /** Staging folders of the same run date left by a killed run. */
  static void removeStaleStaging(FileSystem fs, Path table, String runDate) throws IOException {
    if (!fs.exists(table)) {
      return;
    }
    for (FileStatus s : fs.listStatus(table)) {
      if (s.isDirectory() && s.getPath().getName().startsWith(STAGING + runDate + "-")) {
        fs.delete(s.getPath(), true);
      }
    }
  }

  /** The run's partition of a table this run wrote under {@code root}. */
  public static Dataset<Row> readWritten(SparkSession spark, TableSchema table, String root, String runDate) {
    return read(spark, table, List.of(tablePath(root, table)), runDate);
  }

  /** Rows in the run's partition of a table this run wrote: counts reported are counts written. */
  public static long countWritten(SparkSession spark, TableSchema table, String root, String runDate) {
    return readWritten(spark, table, root, runDate).count();
  }

  /**
   * Writes {@code value} as indented JSON to one file (manifests, model metadata, reports). Throws
   * IOException so callers can say which file failed and how to fix it.
   */
  public static void writeJson(SparkSession spark, String path, Object value) throws IOException {
    byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(value);
    try (OutputStream out = fs(spark, path).create(new Path(path), true)) {
      out.write(json);
    }
  }

  /** Writes an unpartitioned table (generator output). */
  public static void writePlain(Dataset<Row> df, TableSchema table, String root) {
    conform(df, table, "(computed)").write().mode(SaveMode.Overwrite).parquet(tablePath(root, table));
  }

  /**
   * Fails fast, before any Spark job, when {@code root} cannot be written: creates it and writes and
   * deletes one empty probe file.
   */
  public static void checkWritable(SparkSession spark, String root) {
    Path probe = new Path(root, "_chorus_write_check_" + java.util.UUID.randomUUID());
    try {
      FileSystem fs = fs(spark, root);
      fs.mkdirs(new Path(root));
      fs.create(probe, true).close();
      fs.delete(probe, false);
    } catch (IOException | RuntimeException e) {
      throw new ChorusException("Cannot write to --output " + root + ": " + firstLine(e) + ". Fix: choose a folder you can write to"
          + " (it must not be a file), or for s3a:// check the credentials and that the bucket policy allows s3:PutObject and s3:DeleteObject.", e);
    }
  }

  public static String tablePath(String root, TableSchema table) {
    return root + "/" + table.name();
  }

  public static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
