package dev.gearshift.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real service for a test: a migrations project written to a temporary directory, a configuration file, the
 * server on a free port, and a real HTTP client. Its log is captured so tests can read every line it wrote.
 */
final class Service implements AutoCloseable {

    static final String WRITE_TOKEN = "write-token-0123456789";
    static final String READ_TOKEN = "read-token-0123456789";
    /** Secrets the configuration holds for the unreachable "vault" database: they must never be shown. */
    static final String URL_PASSWORD = "Sup3r-Secret-pw";
    static final String FILE_PASSWORD = "Fil3-Secret-pw";

    private static final ObjectMapper JSON = new ObjectMapper();

    final TestDatabase db;
    final Path dir;
    final GearshiftServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream log;

    private Service(TestDatabase db, Path dir, GearshiftServer server, ByteArrayOutputStream log) {
        this.db = db;
        this.dir = dir;
        this.server = server;
        this.log = log;
    }

    /** The standard project: core (2 migrations) and auth (1, requires nothing), and {@code extraYaml} appended. */
    static Service start(TestDatabase db, Path dir, String extraYaml) throws IOException {
        Path migrations = dir.resolve("migrations");
        write(migrations.resolve("core/1_create_items.up.sql"), "CREATE TABLE items (id int PRIMARY KEY);");
        write(migrations.resolve("core/1_create_items.down.sql"), "DROP TABLE items;");
        write(migrations.resolve("core/2_item_names.up.sql"), "ALTER TABLE items ADD COLUMN name text;");
        write(migrations.resolve("core/2_item_names.down.sql"), "ALTER TABLE items DROP COLUMN name;");
        write(migrations.resolve("auth/1_create_users.up.sql"), "CREATE TABLE users (id int PRIMARY KEY);");
        write(migrations.resolve("auth/1_create_users.down.sql"), "DROP TABLE users;");
        return startWith(db, dir, extraYaml);
    }

    /** Like {@link #start}, with the migrations already in {@code dir/migrations}. */
    static Service startWith(TestDatabase db, Path dir, String extraYaml) throws IOException {
        Path passwordFile = dir.resolve("vault-password");
        Files.writeString(passwordFile, FILE_PASSWORD + "\n");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();  // closed again: connecting there fails
        }
        String yaml = """
                listen: "127.0.0.1:0"
                migrations: migrations
                create_schema: true
                migrator_wait: 30s
                max_body_bytes: 4096
                shutdown_grace: 60s
                databases:
                  main:
                    url: "%s"
                  vault:
                    url: "postgres://app:%s@127.0.0.1:%d/nothing"
                    password_file: vault-password
                tokens:
                  - { name: pipeline, sha256: "%s", role: write }
                  - { name: viewer, sha256: "%s", role: read }
                """.formatted(db.url(), URL_PASSWORD, closedPort, GearshiftServer.hashToken(WRITE_TOKEN),
                GearshiftServer.hashToken(READ_TOKEN)) + extraYaml;
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, yaml);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        GearshiftServer server = GearshiftServer.start(ServerConfig.read(config), name -> null,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return new Service(db, dir, server, log);
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    /** A response, with its body parsed when it is JSON. */
    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        return send(token == null ? request : request.header("Authorization", "Bearer " + token));
    }

    Response post(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(token == null ? request : request.header("Authorization", "Bearer " + token));
    }

    Response post(String path, String token, Map<String, ?> body) {
        try {
            return post(path, token, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code POST /migrate} on the main database. */
    Response migrate(String token, String schema, String command, Map<String, ?> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("database", "main");
        body.put("schema", schema);
        body.put("command", command);
        body.putAll(extra);
        return post("/migrate", token, body);
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
