package io.chorus.report;

import io.chorus.config.FlagSpec;
import io.chorus.config.Flags;
import io.chorus.config.JobConfig;
import java.util.List;

/**
 * Configuration of {@code report}.
 *
 * @param output the {@code --output} root of a pipeline run
 * @param runDate partition to report on; null for the newest one under {@code output}
 * @param html page to write; null for {@code <output>/report-<run_date>.html}
 */
public record ReportConfig(String output, String runDate, String html) {
  public static final String HTML = "html";
  public static final List<FlagSpec> FLAGS = List.of(
      FlagSpec.value(JobConfig.OUTPUT, JobConfig.DEFAULT_OUTPUT, "Output root of a pipeline run (local path or s3a://)"),
      FlagSpec.value(HTML, "<output>/report-<run_date>.html", "HTML page to write"),
      FlagSpec.value(JobConfig.RUN_DATE, "the newest run under --output", "Run date to report on"),
      JobConfig.QUIET_FLAG,
      JobConfig.VERBOSE_FLAG);

  public static ReportConfig from(Flags f) {
    return new ReportConfig(f.has(JobConfig.OUTPUT) ? f.get(JobConfig.OUTPUT) : JobConfig.DEFAULT_OUTPUT,
        f.has(JobConfig.RUN_DATE) ? JobConfig.checkRunDate(f.get(JobConfig.RUN_DATE)) : null, f.has(HTML) ? f.get(HTML) : null);
  }
}
