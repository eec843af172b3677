package io.chorus.ingest;

import io.chorus.ChorusException;
import io.chorus.io.Tables;
import io.chorus.spark.Stages;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The files of a raw archive, checked before Spark parses them. A truncated gzip member or a Parquet
 * file without a valid footer otherwise fails a task deep inside a stage with a trace that does not
 * say which file to fix. The check runs as one Spark job over the file list (not the rows): gzip
 * files are decompressed to their end once, Parquet files have their footer read, and every file's
 * first non-blank character is returned so JSON arrays and JSON lines can be told apart.
 *
 * <p>With {@link OnCorrupt#FAIL} (the default) a bad file stops ingest with its path and the fix;
 * with {@link OnCorrupt#SKIP} it is left out, recorded in the quarantine table (record_type {@code
 * file}, reason_code {@value #CORRUPT_FILE}) and in the manifest. Rows in a skipped file cannot be
 * counted, so conservation covers the readable files.
 */
public final class ArchiveFiles {
  public static final String CORRUPT_FILE = "corrupt_file";
  public static final String ON_CORRUPT_FILE = "on-corrupt-file";

  /** What to do with a file that cannot be read to its end. */
  public enum OnCorrupt {
    FAIL,
    SKIP;

    public static OnCorrupt parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ChorusException("--" + ON_CORRUPT_FILE + " must be fail or skip, got '" + value + "'.");
      }
    }
  }

  /** One checked file: its first non-blank character (0 when empty) or the reason it is unreadable. */
  public record Checked(String path, char first, String problem) implements Serializable {
    public boolean ok() {
      return problem == null;
    }
  }

  /** A checked file set: readable files and skipped ones. */
  public record Files(List<Checked> readable, List<Checked> skipped) {
    public List<String> paths() {
      return readable.stream().map(Checked::path).toList();
    }

    public List<String> paths(char first) {
      return readable.stream().filter(c -> c.first() == first).map(Checked::path).toList();
    }
  }

  private ArchiveFiles() {}

  static boolean hidden(Path p) {
    String n = p.getName();
    return n.startsWith("_") || n.startsWith(".");
  }

  /**
   * Files under each input (a file, or a folder searched recursively) whose name ends with one of
   * {@code suffixes} (lower case, e.g. ".json", ".json.gz"); hidden files are ignored. Sorted by path.
   */
  public static List<String> list(SparkSession spark, List<String> inputs, List<String> suffixes) {
    List<String> out = new ArrayList<>();
    for (String input : inputs) {
      FileSystem fs = Tables.fs(spark, input);
      Path root = new Path(input);
      try {
        if (!fs.exists(root)) {
          throw new ChorusException("Input " + input + " does not exist. Fix: check --input.");
        }
        FileStatus st = fs.getFileStatus(root);
        if (st.isFile()) {
          out.add(st.getPath().toString());
          continue;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
          Path p = it.next().getPath();
          String name = p.getName().toLowerCase(Locale.ROOT);
          if (!hidden(p) && !hiddenParent(root, p) && suffixes.stream().anyMatch(name::endsWith)) {
            out.add(p.toString());
          }
        }
      } catch (IOException e) {
        throw new ChorusException("Cannot list " + input + ": " + e.getMessage() + ". Fix: check --input and its permissions.", e);
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  static boolean hiddenParent(Path root, Path p) {
    for (Path q = p.getParent(); q != null && !q.equals(root) && q.depth() > root.depth(); q = q.getParent()) {
      if (hidden(q)) {
        return true;
      }
    }
    return false;
  }

  /** Checks every file in one Spark job; applies {@code onCorrupt}. */
  public static Files check(SparkSession spark, List<String> paths, OnCorrupt onCorrupt, String fixHint) {
    if (paths.isEmpty()) {
      return new Files(List.of(), List.of());
    }
    SerializableConf conf = new SerializableConf(spark.sparkContext().hadoopConfiguration());
    int slices = Math.max(1, Math.min(paths.size(), spark.sparkContext().defaultParallelism() * 2));
    List<Checked> checked = new ArrayList<>(Stages.step(spark, "ingest", "check " + paths.size() + " input files",
        () -> JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(paths, slices).map(p -> checkOne(p, conf.get()))
            .collect())); // one row per file, not per record
    checked.sort(Comparator.comparing(Checked::path));
    List<Checked> bad = checked.stream().filter(c -> !c.ok()).toList();
    if (!bad.isEmpty() && onCorrupt == OnCorrupt.FAIL) {
      Checked b = bad.get(0);
      throw new ChorusException("Input file " + b.path() + " is unreadable: " + b.problem() + (bad.size() > 1 ? " (and " + (bad.size() - 1)
          + " more)" : "") + ". Fix: " + fixHint + ", or pass --" + ON_CORRUPT_FILE + " skip to leave it out and record it in the quarantine table.");
    }
    return new Files(checked.stream().filter(Checked::ok).toList(), bad);
  }

  static Checked checkOne(String file, Configuration conf) {
    Path p = new Path(file);
    String name = p.getName().toLowerCase(Locale.ROOT);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (name.endsWith(".parquet")) {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(p, conf))) {
          r.getFooter();
        }
        return new Checked(file, 'P', null);
      }
      try (InputStream raw = fs.open(p); InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
        char first = 0;
        byte[] buf = new byte[1 << 16];
        int n;
        boolean compressed = name.endsWith(".gz");
        while ((n = in.read(buf)) > 0) {
          for (int i = 0; first == 0 && i < n; i++) {
            if (!Character.isWhitespace(buf[i]) && buf[i] != (byte) 0xEF && buf[i] != (byte) 0xBB && buf[i] != (byte) 0xBF) {
              first = (char) (buf[i] & 0xFF);
            }
          }
          if (first != 0 && !compressed) {
            break; // plain text: nothing to verify beyond the first character
          }
        }
        return new Checked(file, first, null);
      }
    } catch (Exception e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
      return new Checked(file, (char) 0, msg.replace('\n', ' '));
    }
  }

  /** A Hadoop Configuration that can travel to executors. */
  static final class SerializableConf implements Serializable {
    private transient Configuration conf;

    SerializableConf(Configuration conf) {
      this.conf = conf;
    }

    Configuration get() {
      return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      conf = new Configuration(false);
      conf.readFields(in);
    }
  }
}
