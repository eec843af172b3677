package io.chorus.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol on 127.0.0.1 with the JDK's own
 * HTTP and WebSocket clients: loads a page, gathers console errors, uncaught exceptions and failed
 * loads, evaluates an expression and captures a full-page PNG.
 */
final class HeadlessChromium implements AutoCloseable {
  static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  static final ObjectMapper JSON = new ObjectMapper();

  /** What a page load left behind. */
  record Page(List<String> errors, JsonNode evaluated, byte[] png) {}

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
  private final AtomicInteger ids = new AtomicInteger();

  static Optional<Path> find() {
    String env = System.getenv("CHORUS_CHROMIUM");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  HeadlessChromium(Path binary, Path work) throws Exception {
    profile = Files.createTempDirectory(work, "chromium-profile");
    Path log = work.resolve("chromium.log");
    process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("Chromium did not open its DevTools port: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String pageSocket = null;
    while (pageSocket == null) {
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asText())) {
          pageSocket = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (pageSocket == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Chromium opened no page target");
        }
        Thread.sleep(100);
      }
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
      final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          try {
            inbox.add(JSON.readTree(partial.toString()));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }
    }).get(30, TimeUnit.SECONDS);
  }

  /** Sends a command and waits for its reply; events seen meanwhile go to {@code events}. */
  JsonNode call(String method, ObjectNode params, List<JsonNode> events) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params == null ? JSON.createObjectNode() : params);
    socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
    while (true) {
      JsonNode m = inbox.poll(60, TimeUnit.SECONDS);
      if (m == null) {
        throw new IllegalStateException("no reply to " + method);
      }
      if (m.path("id").asInt(-1) == id) {
        if (m.has("error")) {
          throw new IllegalStateException(method + " failed: " + m.get("error"));
        }
        return m.path("result");
      }
      events.add(m);
    }
  }

  static String describe(JsonNode event) {
    JsonNode p = event.path("params");
    return switch (event.path("method").asText()) {
      case "Runtime.exceptionThrown" -> "exception: " + p.path("exceptionDetails").path("exception").path("description").asText(p.path("exceptionDetails").path("text").asText());
      case "Runtime.consoleAPICalled" -> "console." + p.path("type").asText() + ": " + p.path("args").toString();
      case "Log.entryAdded" -> "log " + p.path("entry").path("level").asText() + ": " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText();
      default -> event.toString();
    };
  }

  static boolean isError(JsonNode event) {
    JsonNode p = event.path("params");
    return switch (event.path("method").asText()) {
      case "Runtime.exceptionThrown" -> true;
      case "Runtime.consoleAPICalled" -> "error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText());
      case "Log.entryAdded" -> "error".equals(p.path("entry").path("level").asText());
      default -> false;
    };
  }

  /** Loads {@code url}, waits for the load event, evaluates {@code expression} (returning JSON) and captures the page. */
  Page load(String url, String expression, int width) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    call("Runtime.enable", null, events);
    call("Log.enable", null, events);
    call("Page.enable", null, events);
    call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", 900).put("deviceScaleFactor", 1).put("mobile", false), events);
    call("Page.navigate", JSON.createObjectNode().put("url", url), events);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (events.stream().noneMatch(e -> "Page.loadEventFired".equals(e.path("method").asText()))) {
      JsonNode m = inbox.poll(1, TimeUnit.SECONDS);
      if (m != null) {
        events.add(m);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("page did not load: " + url);
      }
    }
    Thread.sleep(300);
    JsonNode value = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true), events)
        .path("result").path("value");
    JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true), events);
    JsonNode more;
    while ((more = inbox.poll(200, TimeUnit.MILLISECONDS)) != null) {
      events.add(more);
    }
    List<String> errors = events.stream().filter(HeadlessChromium::isError).map(HeadlessChromium::describe).toList();
    return new Page(errors, JSON.readTree(value.asText("null")), Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() throws Exception {
    try {
      socket.abort();
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
