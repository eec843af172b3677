package io.chorus.config;

import io.chorus.ChorusException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed kebab-case flags ({@code --name value} or {@code --name=value}) checked against the specs of
 * one subcommand. Values given on the command line win; otherwise the spec default applies. Spark
 * settings are not flags: pass them with spark-submit's {@code --conf}.
 */
public final class Flags {
  private final String command;
  private final Map<String, FlagSpec> specs = new LinkedHashMap<>();
  private final Map<String, String> given = new LinkedHashMap<>();

  private Flags(String command, List<FlagSpec> specList) {
    this.command = command;
    specList.forEach(s -> specs.put(s.name(), s));
  }

  public static Flags parse(String command, List<FlagSpec> specList, String[] args) {
    Flags flags = new Flags(command, specList);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new ChorusException(
            "Unexpected argument '" + arg + "' for '" + command + "'. Flags look like --name value; run 'chorus " + command + " --help'.");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      FlagSpec spec = flags.specs.get(name);
      if (spec == null) {
        throw new ChorusException(
            "Unknown flag --" + name + " for '" + command + "'. Known flags: " + String.join(", ", flags.specs.keySet().stream().map(k -> "--" + k).toList())
                + ". Run 'chorus " + command + " --help'.");
      }
      if (spec.isSwitch()) {
        flags.given.put(name, value == null ? "true" : value);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new ChorusException("Flag --" + name + " needs a value, for example --" + name + " " + spec.defaultValue());
        }
        value = args[++i];
      }
      flags.given.put(name, value);
    }
    return flags;
  }

  public boolean has(String name) {
    return given.containsKey(name);
  }

  public String get(String name) {
    FlagSpec spec = specs.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("No flag --" + name + " declared for " + command);
    }
    return given.getOrDefault(name, spec.defaultValue());
  }

  /** Comma-separated list; empty when the value is empty. */
  public List<String> list(String name) {
    String v = get(name);
    if (v == null || v.isBlank()) {
      return Collections.emptyList();
    }
    return new ArrayList<>(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  public boolean bool(String name) {
    return Boolean.parseBoolean(get(name));
  }

  public long asLong(String name) {
    try {
      return Long.parseLong(get(name).replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ChorusException("Flag --" + name + " must be a whole number, got '" + get(name) + "'.");
    }
  }

  public double asDouble(String name) {
    try {
      return Double.parseDouble(get(name));
    } catch (NumberFormatException e) {
      throw new ChorusException("Flag --" + name + " must be a number, got '" + get(name) + "'.");
    }
  }

  /** The resolved values of every declared flag (for logs and the run manifest). */
  public Map<String, String> resolved() {
    Map<String, String> out = new LinkedHashMap<>();
    specs.keySet().forEach(k -> out.put(k, get(k)));
    return out;
  }
}
