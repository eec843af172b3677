package io.chorus;

import io.chorus.config.FlagSpec;
import io.chorus.config.Flags;
import io.chorus.config.JobConfig;
import io.chorus.coordination.CoordinationJob;
import io.chorus.estimate.EstimateJob;
import io.chorus.features.FeaturesJob;
import io.chorus.generate.GenerateConfig;
import io.chorus.generate.GenerateJob;
import io.chorus.influence.InfluenceJob;
import io.chorus.ingest.IngestJob;
import io.chorus.io.RunManifest;
import io.chorus.io.Tables;
import io.chorus.model.EvaluateJob;
import io.chorus.model.ScoreJob;
import io.chorus.model.TrainJob;
import io.chorus.pipeline.PipelineJob;
import io.chorus.pipeline.Summary;
import io.chorus.report.ReportConfig;
import io.chorus.report.ReportJob;
import io.chorus.spark.ShufflePartitions;
import io.chorus.spark.SparkSessions;
import io.chorus.spark.Stages;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** The single entry point: {@code chorus <subcommand> [--flag value ...]}. */
public final class Chorus {
  private static final List<FlagSpec> COMMON_TAIL = List.of(JobConfig.RUN_DATE_FLAG, JobConfig.QUIET_FLAG, JobConfig.VERBOSE_FLAG);

  interface Runner {
    RunManifest run(SparkSession spark, Flags flags);
  }

  /** The subcommands, with their flags, an example and what they run. */
  enum Command {
    GENERATE("generate", "Write a synthetic archive with planted truth (posts, accounts, labels, watchlist, truth/)",
        GenerateConfig.FLAGS, "chorus generate --accounts 20000 --posts 300000 --bot-share 0.15 --output ./sample-data",
        (spark, f) -> {
          GenerateConfig cfg = GenerateConfig.from(f);
          RunManifest m = GenerateJob.run(spark, cfg);
          System.out.println("chorus | generate | manifest " + m.write(spark, cfg.output()));
          return m;
        }),
    INGEST("ingest", "Validate an archive; write canonical posts, accounts and quarantine",
        flags(JobConfig.input("Archive folder(s) holding posts/ and accounts/, or a raw archive folder for --format"), JobConfig.output("Output root"),
            JobConfig.INGEST_FLAGS, JobConfig.ACCOUNTS_FLAG),
        "chorus ingest --input ./sample-data --output ./out --run-date 2024-03-15",
        (spark, f) -> stage("ingest", spark, f, IngestJob::run)),
    FEATURES("features", "Compute account_features from canonical posts and accounts",
        flags(JobConfig.input("Root(s) holding posts/ and accounts/ (an ingest output)"), JobConfig.output("Output root"), JobConfig.ACCOUNTS_FLAG),
        "chorus features --input ./out --output ./out --run-date 2024-03-15",
        (spark, f) -> stage("features", spark, f, FeaturesJob::run)),
    TRAIN("train", "Train the bot classifier on account_features and labels; write the model directory",
        flags(JobConfig.input("Root(s) holding account_features/"), JobConfig.output("Output root (default model under <output>/_model/run_date=<run-date>)"),
            JobConfig.LABELS_FLAG, JobConfig.MODEL_FLAG, JobConfig.CV_FOLDS_FLAG, JobConfig.SEED_FLAG),
        "chorus train --input ./out --labels ./sample-data/labels --model ./models/bot-v1 --run-date 2024-03-15",
        (spark, f) -> stage("train", spark, f, TrainJob::run)),
    EVALUATE("evaluate", "Evaluate the model (or cross-validate a fresh one with --cv K) on labeled accounts; write --report JSON",
        flags(JobConfig.input("Root(s) holding account_features/"), JobConfig.output("Output root (manifest)"), JobConfig.LABELS_FLAG,
            JobConfig.MODEL_FLAG, FlagSpec.value(EvaluateJob.CV, "0", "Folds of cross-validation (0: evaluate --model instead)"),
            FlagSpec.value(JobConfig.REPORT, "", "JSON report with ROC-AUC, PR-AUC, accuracy, precision, recall, F1, Brier, ECE, confusion"),
            JobConfig.CV_FOLDS_FLAG, JobConfig.SEED_FLAG),
        "chorus evaluate --input ./out --labels ./out/labels --cv 5 --report cv.json --run-date 2024-03-15",
        (spark, f) -> stage("evaluate", spark, f, (s, c, m) -> EvaluateJob.run(s, c, m))),
    SCORE("score", "Score every account in account_features; write account_scores",
        flags(JobConfig.input("Root(s) holding account_features/"), JobConfig.output("Output root"), JobConfig.MODEL_FLAG),
        "chorus score --input ./out --output ./out --model ./models/bot-v1 --run-date 2024-03-15",
        (spark, f) -> stage("score", spark, f, ScoreJob::run)),
    COORDINATION("coordination", "Detect coordinated accounts (co-repost, co-link, co-text, hashtag sequence); write coordination_edges and coordination_clusters",
        flags(JobConfig.input("Root(s) holding posts/ (and account_scores/)"), JobConfig.output("Output root"), JobConfig.COORDINATION_FLAGS),
        "chorus coordination --input ./out --output ./out --window-seconds 60 --min-shared 3 --run-date 2024-03-15",
        (spark, f) -> stage("coordination", spark, f, CoordinationJob::run)),
    ESTIMATE("estimate", "Estimate bot share per slice (overall, platform, lang, day, topic, actor_group, cluster) with corrected estimators and bootstrap intervals; write bot_share",
        flags(JobConfig.input("Root(s) holding account_scores/ and posts/"), JobConfig.output("Output root"), JobConfig.MODEL_FLAG,
            JobConfig.BOOTSTRAP_FLAG, JobConfig.MIN_SUPPORT_FLAG, JobConfig.MAX_TOPICS_FLAG, JobConfig.SEED_FLAG, JobConfig.WATCHLIST_FLAG,
            JobConfig.ACCOUNTS_FLAG),
        "chorus estimate --input ./out --output ./out --model ./out/_model/run_date=2024-03-15 --run-date 2024-03-15",
        (spark, f) -> stage("estimate", spark, f, EstimateJob::run)),
    INFLUENCE("influence", "Write account_influence, topic_influence and watchlist_influence",
        flags(JobConfig.input("Root(s) holding posts/, account_scores/ (and accounts/)"), JobConfig.output("Output root"), JobConfig.MODEL_FLAG,
            JobConfig.ACCOUNTS_FLAG, JobConfig.WATCHLIST_FLAG),
        "chorus influence --input ./out --output ./out --watchlist ./sample-data/watchlist --run-date 2024-03-15",
        (spark, f) -> stage("influence", spark, f, (s, c, m) -> InfluenceJob.run(s, c, m))),
    PIPELINE("pipeline", "ingest -> features -> train -> score -> coordination -> estimate -> influence, then write the run manifest",
        flags(JobConfig.input("Archive folder(s) holding posts/, accounts/, labels/, watchlist/"), JobConfig.output("Output root"),
            JobConfig.INGEST_FLAGS, JobConfig.MODEL_FLAG, JobConfig.LABELS_FLAG, JobConfig.ACCOUNTS_FLAG, JobConfig.WATCHLIST_FLAG,
            JobConfig.BOOTSTRAP_FLAG, JobConfig.MIN_SUPPORT_FLAG, JobConfig.MAX_TOPICS_FLAG, JobConfig.CV_FOLDS_FLAG, JobConfig.SEED_FLAG, JobConfig.COORDINATION_FLAGS,
            JobConfig.PSEUDONYMIZE_FLAG, JobConfig.REUSE_MODEL_FLAG),
        "chorus pipeline --input ./sample-data --output ./out --run-date 2024-03-15",
        (spark, f) -> stage("pipeline", spark, f, PipelineJob::run)),
    REPORT("report", "Write one self-contained HTML page (inline SVG charts, works offline) from a run's tables",
        ReportConfig.FLAGS, "chorus report --output ./out --html ./out/report.html",
        (spark, f) -> {
          String path = ReportJob.run(spark, ReportConfig.from(f));
          System.out.println("chorus | report | wrote " + path);
          return null;
        });

    final String name;
    final String description;
    final List<FlagSpec> flags;
    final String example;
    final Runner runner;

    Command(String name, String description, List<FlagSpec> flags, String example, Runner runner) {
      this.name = name;
      this.description = description;
      this.flags = flags;
      this.example = example;
      this.runner = runner;
    }

    static Command of(String name) {
      return Arrays.stream(values()).filter(c -> c.name.equals(name)).findFirst()
          .orElseThrow(() -> new ChorusException("Unknown command '" + name + "'. Commands: "
              + String.join(", ", Arrays.stream(values()).map(c -> c.name).toList()) + ". Run 'chorus --help'."));
    }
  }

  interface StageBody {
    void run(SparkSession spark, JobConfig cfg, RunManifest manifest);
  }

  static List<FlagSpec> flags(Object... specific) {
    List<FlagSpec> all = new java.util.ArrayList<>();
    for (Object o : specific) {
      if (o instanceof FlagSpec f) {
        all.add(f);
      } else if (o instanceof List<?> l) {
        l.forEach(x -> all.add((FlagSpec) x));
      }
    }
    all.addAll(COMMON_TAIL);
    return all;
  }

  static RunManifest stage(String command, SparkSession spark, Flags f, StageBody body) {
    JobConfig cfg = JobConfig.from(f);
    RunManifest manifest = new RunManifest(command, cfg.runDate(), cfg.flags());
    ShufflePartitions.sized(spark, command, cfg, manifest, () -> body.run(spark, cfg, manifest));
    String path = manifest.write(spark, cfg.output());
    if ("pipeline".equals(command)) {
      System.out.println(Summary.render(spark, cfg, manifest, path));
    } else {
      System.out.println("chorus | " + command + " | manifest " + path);
    }
    return manifest;
  }

  private Chorus() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static String usage() {
    StringBuilder b = new StringBuilder("Usage: chorus <command> [--flag value ...]\n\nCommands:\n");
    for (Command c : Command.values()) {
      b.append(String.format(Locale.ROOT, "  %-10s %s%n", c.name, c.description));
    }
    b.append("\nRun 'chorus <command> --help' for its flags. Spark settings go to spark-submit as --conf key=value.\n");
    return b.toString();
  }

  static String help(Command c) {
    StringBuilder b = new StringBuilder("chorus " + c.name + ": " + c.description + "\n\nFlags:\n");
    for (FlagSpec f : c.flags) {
      b.append(String.format(Locale.ROOT, "  --%-16s %s (default: %s)%n", f.name(), f.help(), f.isSwitch() ? "off" : f.defaultValue()));
    }
    b.append("\nExample:\n  ").append(c.example).append('\n');
    return b.toString();
  }

  /** Runs a command; returns the process exit code (0 ok, 2 user error, 1 failure). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      out.print(usage());
      return args.length == 0 ? 2 : 0;
    }
    boolean verbose = Arrays.asList(args).contains("--verbose");
    try {
      Command c = Command.of(args[0]);
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
        out.print(help(c));
        return 0;
      }
      Flags f = Flags.parse(c.name, c.flags, rest);
      Stages.setQuiet(f.bool(JobConfig.QUIET));
      SparkSession spark = SparkSessions.create(c.name, f.has(JobConfig.OUTPUT) ? f.get(JobConfig.OUTPUT) : null);
      try {
        if (c != Command.REPORT) {
          Tables.checkWritable(spark, f.get(JobConfig.OUTPUT));
        }
        c.runner.run(spark, f);
      } finally {
        spark.stop();
      }
      return 0;
    } catch (Throwable t) {
      ChorusException user = userError(t);
      if (user != null) {
        err.println("chorus: error: " + user.getMessage());
      } else {
        err.println("chorus: failed: " + t.getClass().getSimpleName() + ": " + firstLine(t.getMessage())
            + (verbose ? "" : "\n  (run again with --verbose for the stack trace)"));
      }
      if (verbose) {
        t.printStackTrace(err);
      }
      return user != null ? 2 : 1;
    }
  }

  static ChorusException userError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ChorusException ce) {
        return ce;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.nio.file.AccessDeniedException || c instanceof org.apache.hadoop.security.AccessControlException
          || c instanceof org.apache.hadoop.fs.ParentNotDirectoryException) {
        return new ChorusException("Permission denied: " + firstLine(c.getMessage()) + ". Fix: check write permission on --output (for s3a://,"
            + " the credentials and bucket policy), or read permission on --input.", t);
      }
    }
    return null;
  }

  static String firstLine(String m) {
    if (m == null) {
      return "";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
