package io.chorus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a benchmark ran on, and the resident memory of a process (Linux /proc). */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_gib", memTotalKib() / 1024 / 1024);
    m.put("cpu", cpuModel());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return m;
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }

  static long memTotalKib() {
    return field(Path.of("/proc/meminfo"), "MemTotal:");
  }

  /** Larger of the current and peak resident set of a live process, in MiB; 0 when unknown. */
  static long rssMib(long pid) {
    Path status = Path.of("/proc/" + pid + "/status");
    return Math.max(field(status, "VmRSS:"), field(status, "VmHWM:")) / 1024;
  }

  static long field(Path file, String name) {
    try {
      for (String l : Files.readAllLines(file)) {
        if (l.startsWith(name)) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception gone) {
      // process ended between polls
    }
    return 0;
  }
}
