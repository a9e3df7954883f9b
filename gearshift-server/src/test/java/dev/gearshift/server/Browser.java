package dev.gearshift.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real headless Chromium, driven through chromedriver's W3C WebDriver protocol: a handful of JSON calls over
 * HTTP, which is all the dashboard test needs. When Chromium or chromedriver is missing the test fails, saying how
 * to install them: a dashboard that was never looked at must not pass as tested.
 */
final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final URI base;
    private final String session;
    private final HttpClient http = HttpClient.newHttpClient();

    private Browser(Process driver, URI base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    static Browser start() throws Exception {
        Path chromium = find("chromium", "chromium-browser", "google-chrome").orElse(null);
        Path chromedriver = find("chromedriver").orElse(null);
        if (chromium == null || chromedriver == null) {
            String missing = "The dashboard test needs Chromium and chromedriver (missing: "
                    + (chromium == null ? "chromium " : "") + (chromedriver == null ? "chromedriver" : "")
                    + "). Install them with `bash gearshift-server/install-test-browser.sh` (Debian: apt-get install"
                    + " -y chromium chromium-driver).";
            // CI installs the browser and must run this test; a newcomer's fresh machine with only a JDK still
            // passes `./mvnw verify`, and the report says plainly which test did not run and why.
            if (!"true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assumptions.abort(missing);
            }
            fail(missing);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient probe = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                HttpResponse<String> status = probe.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (JSON.readTree(status.body()).path("value").path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException notYet) {
                // chromedriver is still starting
            }
            if (System.nanoTime() > deadline) {
                driver.destroy();
                fail("chromedriver did not start on port " + port);
            }
            Thread.sleep(100);
        }
        Map<String, Object> capabilities = Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome",
                "goog:chromeOptions", Map.of("binary", chromium.toString(), "args", List.of("--headless=new",
                        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000")))));
        Browser browser = new Browser(driver, base, null);
        JsonNode created = browser.call("POST", "/session", capabilities);
        return new Browser(driver, base, created.path("sessionId").asText());
    }

    private static Optional<Path> find(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    void open(String url) throws Exception {
        call("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    /** Runs a script in the page (its body, with {@code return}) and gives back what it returned. */
    JsonNode script(String script, Object... args) throws Exception {
        return call("POST", "/session/" + session + "/execute/sync", Map.of("script", script, "args", List.of(args)));
    }

    /** Polls a script until it returns true. */
    void waitUntil(String what, String script, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!script(script).asBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("the dashboard never showed " + what + "; page text: "
                        + script("return document.body.innerText").asText());
            }
            Thread.sleep(100);
        }
    }

    String element(String css) throws Exception {
        return call("POST", "/session/" + session + "/element", Map.of("using", "css selector", "value", css))
                .path(ELEMENT).asText();
    }

    /**
     * The computed value of a CSS property of the element {@code selector} finds, as the browser renders it. Read in
     * one script call: the dashboard redraws its grid as a run progresses, so an element handle could go stale.
     */
    String computedStyle(String selector, String property) throws Exception {
        return script("return getComputedStyle(document.querySelector(arguments[0])).getPropertyValue(arguments[1])",
                selector, property).asText();
    }

    void click(String element) throws Exception {
        call("POST", "/session/" + session + "/element/" + element + "/click", Map.of());
    }

    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null).asText()));
    }

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            fail("WebDriver " + method + " " + path + " failed: " + value.path("error").asText() + ": "
                    + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (Exception ignored) {
            // the driver goes anyway
        } finally {
            driver.destroy();
        }
    }
}
