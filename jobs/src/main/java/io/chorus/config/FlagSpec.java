package io.chorus.config;

/** One command-line flag: kebab-case name, default shown in --help, and its meaning. */
public record FlagSpec(String name, String defaultValue, String help, boolean isSwitch) {
  public static FlagSpec value(String name, String defaultValue, String help) {
    return new FlagSpec(name, defaultValue, help, false);
  }

  public static FlagSpec toggle(String name, String help) {
    return new FlagSpec(name, "false", help, true);
  }
}
