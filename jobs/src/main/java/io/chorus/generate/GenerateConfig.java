package io.chorus.generate;

import io.chorus.ChorusException;
import io.chorus.config.FlagSpec;
import io.chorus.config.Flags;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the synthetic archive generator.
 *
 * @param output root to write posts/, accounts/, labels/, watchlist/ and truth tables under
 * @param accounts accounts to generate
 * @param posts target number of posts (the result is within a fraction of a percent)
 * @param botShare share of ordinary (non-official, non-influencer) accounts that are bots
 * @param seed seed; the archive is a pure function of the config
 * @param days days covered, starting at {@code start}
 * @param start first UTC day of the archive
 * @param dirtyFraction share of posts given a planted defect (duplicate id, null account id,
 *     future timestamp, control character) for ingest to quarantine
 */
public record GenerateConfig(
    String output,
    long accounts,
    long posts,
    double botShare,
    long seed,
    int days,
    LocalDate start,
    double dirtyFraction,
    Map<String, String> flags) {

  public static final List<FlagSpec> FLAGS =
      List.of(
          FlagSpec.value("output", "./sample-data", "Folder to write the archive to"),
          FlagSpec.value("accounts", "20000", "Accounts to generate"),
          FlagSpec.value("posts", "250000", "Target number of posts"),
          FlagSpec.value("bot-share", "0.15", "Share of ordinary accounts that are bots (Varol et al. 2017 estimate 9-15%)"),
          FlagSpec.value("seed", "42", "Seed; same config, same archive"),
          FlagSpec.value("days", "14", "Days covered"),
          FlagSpec.value("start-date", "2024-03-01", "First UTC day"),
          FlagSpec.value("dirty-fraction", "0.002", "Share of posts given a planted defect for ingest to quarantine"),
          FlagSpec.toggle("quiet", "Silence progress lines"),
          FlagSpec.toggle("verbose", "Show stack traces on errors"));

  public GenerateConfig {
    if (accounts < 100) {
      throw new ChorusException("--accounts must be at least 100, got " + accounts + ".");
    }
    if (posts < accounts / 10) {
      throw new ChorusException("--posts must be at least a tenth of --accounts, got " + posts + ".");
    }
    if (botShare < 0 || botShare > 0.95) {
      throw new ChorusException("--bot-share must be within [0, 0.95], got " + botShare + ".");
    }
    if (days < 1 || days > 3650) {
      throw new ChorusException("--days must be within [1, 3650], got " + days + ".");
    }
    if (dirtyFraction < 0 || dirtyFraction > 0.5) {
      throw new ChorusException("--dirty-fraction must be within [0, 0.5], got " + dirtyFraction + ".");
    }
    flags = Map.copyOf(flags);
  }

  public static GenerateConfig from(Flags f) {
    LocalDate start;
    try {
      start = LocalDate.parse(f.get("start-date"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new ChorusException("--start-date must look like 2024-03-01, got '" + f.get("start-date") + "'.");
    }
    return new GenerateConfig(
        f.get("output"),
        f.asLong("accounts"),
        f.asLong("posts"),
        f.asDouble("bot-share"),
        f.asLong("seed"),
        (int) f.asLong("days"),
        start,
        f.asDouble("dirty-fraction"),
        f.resolved());
  }

  /** Official accounts (the watchlist): 0.5% of accounts, at least 8. */
  public long officials() {
    return Math.max(8, Math.round(accounts * 0.005));
  }

  /** Popular human accounts (influencers, media): 1% of accounts, at least 20. */
  public long popular() {
    return officials() + Math.max(20, Math.round(accounts * 0.01));
  }
}
