package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /migrate}, {@code /healthz}, tokens and roles, and what the service refuses, over real HTTP. */
@ExtendWith(PostgresExtension.class)
class MigrateEndpointTest {

    @TempDir
    Path dir;

    private Service service;
    private String schema;

    @BeforeEach
    void start(TestDatabase db) throws Exception {
        service = Service.start(db, dir, "");
        schema = db.newSchema();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void healthNeedsNoToken() {
        Service.Response health = service.get("/healthz", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void theSeedsCommandsMoveATargetUpAndDown() throws Exception {
        assertThat(service.migrate(Service.READ_TOKEN, schema, "version", Map.of("migration", "core")).body())
                .isEqualTo("{\"result\":\"0\"}");

        Service.Response up = service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.json().path("result").asText()).isEqualTo("ok");
        assertThat(up.json().path("applied")).hasSize(3);
        assertThat(service.db.column("SELECT count(*) FROM " + schema + ".items")).containsExactly("0");

        assertThat(service.migrate(Service.READ_TOKEN, schema, "version", Map.of("migration", "core")).json()
                .path("result").asText()).isEqualTo("2");
        assertThat(service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of()).json().path("result").asText())
                .isEqualTo("no change");
        Service.Response status = service.migrate(Service.READ_TOKEN, schema, "status", Map.of());
        assertThat(status.json().path("result").asText()).isEqualTo("up to date");
        assertThat(status.json().path("status").path("modules").findValues("current"))
                .extracting(com.fasterxml.jackson.databind.JsonNode::asLong).containsExactlyInAnyOrder(1L, 2L);
        assertThat(service.migrate(Service.READ_TOKEN, schema, "plan", Map.of()).json().path("result").asText())
                .isEqualTo("no change");
        assertThat(service.migrate(Service.READ_TOKEN, schema, "verify", Map.of()).json().path("result").asText())
                .isEqualTo("ok");
        assertThat(service.migrate(Service.READ_TOKEN, schema, "history", Map.of()).json().path("history"))
                .hasSize(3);

        // the seed's client sends the database URL itself: the exact configured URL is accepted
        Service.Response byUrl = service.post("/migrate", Service.WRITE_TOKEN, Map.of("database", service.db.url(),
                "schema", schema, "command", "down", "migration", "core", "command_arg", "1"));
        assertThat(byUrl.status()).as(byUrl.body()).isEqualTo(200);
        assertThat(service.migrate(Service.READ_TOKEN, schema, "version", Map.of("migration", "core")).json()
                .path("result").asText()).isEqualTo("1");
        Service.Response repaired = service.migrate(Service.WRITE_TOKEN, schema, "repair", Map.of());
        assertThat(repaired.json().path("result").asText()).as(repaired.body()).isEqualTo("no change");
    }

    @Test
    void aDryRunNeedsTheWriteRoleAndChangesNothing() throws Exception {
        // it runs the real DDL and holds its locks until it rolls back: not for a read token
        Service.Response refused = service.migrate(Service.READ_TOKEN, schema, "up", Map.of("dry_run", true));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("forbidden");
        assertThat(service.migrate(Service.READ_TOKEN, schema, "down", Map.of("dry_run", true)).status())
                .isEqualTo(403);
        Service.Response dry = service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of("dry_run", true));
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(dry.json().path("dry_run").asBoolean()).isTrue();
        assertThat(dry.json().path("applied")).hasSize(3);
        assertThat(service.db.schemaExists(schema)).isFalse();
        Service.Response plan = service.migrate(Service.READ_TOKEN, schema, "plan", Map.of("command_arg", "1"));
        assertThat(plan.json().path("plan")).hasSize(2);  // core 1 and auth 1: version 1 of every module
    }

    @Test
    void tokensAreCheckedAndRolesEnforced() throws Exception {
        Service.Response missing = service.migrate(null, schema, "status", Map.of());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorCode()).isEqualTo("unauthorized");
        assertThat(missing.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).startsWith("Bearer"));
        assertThat(service.migrate("not-a-token", schema, "status", Map.of()).status()).isEqualTo(401);
        assertThat(service.send(java.net.http.HttpRequest.newBuilder(service.uri("/metrics"))
                .header("Authorization", "Basic " + Service.WRITE_TOKEN)).status()).isEqualTo(401);
        assertThat(service.get("/metrics", null).status()).isEqualTo(401);
        assertThat(service.get("/runs", "wrong").status()).isEqualTo(401);

        Service.Response readWrites = service.migrate(Service.READ_TOKEN, schema, "up", Map.of());
        assertThat(readWrites.status()).isEqualTo(403);
        assertThat(readWrites.errorCode()).isEqualTo("forbidden");
        assertThat(service.migrate(Service.READ_TOKEN, schema, "repair", Map.of()).status()).isEqualTo(403);
        assertThat(service.db.schemaExists(schema)).isFalse();
        assertThat(service.log()).doesNotContain(Service.WRITE_TOKEN, Service.READ_TOKEN).contains("token=viewer");
    }

    @Test
    void anUnconfiguredDatabaseIsRefusedAndNeverDialled() throws Exception {
        // a listener where the "database" would be: any connection attempt would be counted here
        AtomicInteger dialled = new AtomicInteger();
        ServerSocket trap = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        trap.setSoTimeout(100);
        Thread watcher = new Thread(() -> {
            while (!trap.isClosed()) {
                try {
                    trap.accept().close();
                    dialled.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // keep listening
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            // looks like the configured URL, but on another port: not configured
            String lookalike = service.db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + trap.getLocalPort() + "/");
            for (String database : new String[] {lookalike, "postgres://app:pw@127.0.0.1:" + trap.getLocalPort()
                    + "/main", "MAIN", "main "}) {
                Service.Response refused = service.post("/migrate", Service.WRITE_TOKEN, Map.of("database", database,
                        "schema", schema, "command", "up"));
                assertThat(refused.status()).as(database + ": " + refused.body()).isEqualTo(403);
                assertThat(refused.errorCode()).isEqualTo("database-not-configured");
                assertThat(refused.body()).doesNotContain(":pw@");
            }
            Thread.sleep(300);  // time for a stray connection attempt to arrive
        } finally {
            trap.close();
            watcher.join();
        }
        assertThat(dialled).hasValue(0);
    }

    @Test
    void badBodiesGetA400AndOversizedOnesA413() {
        Service.Response malformed = service.post("/migrate", Service.WRITE_TOKEN, "{\"command\": \"up\",");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("malformed-json");
        assertThat(malformed.json().path("error").path("message").asText()).isNotBlank();

        Service.Response unknownField = service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of("force", true));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.errorCode()).isEqualTo("unknown-field");
        assertThat(unknownField.body()).contains("force");

        Service.Response unknownCommand = service.migrate(Service.WRITE_TOKEN, schema, "drop", Map.of());
        assertThat(unknownCommand.status()).isEqualTo(400);
        assertThat(unknownCommand.errorCode()).isEqualTo("unknown-command");

        assertThat(service.post("/migrate", Service.WRITE_TOKEN, "").errorCode()).isEqualTo("empty-body");
        assertThat(service.post("/migrate", Service.WRITE_TOKEN, "[1, 2]").status()).isEqualTo(400);
        assertThat(service.post("/migrate", Service.WRITE_TOKEN, "{\"command\": \"up\"} {}").status()).isEqualTo(400);
        assertThat(service.post("/migrate", Service.WRITE_TOKEN,
                "{\"command\": \"up\", \"command\": \"down\", \"database\": \"main\", \"schema\": \"x\"}").status())
                .isEqualTo(400);
        assertThat(service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of("dry_run", "maybe")).errorCode())
                .isEqualTo("invalid-field");
        assertThat(service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of("command_arg", "latest")).errorCode())
                .isEqualTo("invalid-field");
        assertThat(service.migrate(Service.WRITE_TOKEN, schema, "version", Map.of()).errorCode())
                .isEqualTo("missing-field");
        assertThat(service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of("migration", "billing")).errorCode())
                .isEqualTo("unknown-module");

        Service.Response oversized = service.post("/migrate", Service.WRITE_TOKEN,
                "{\"command\": \"up\", \"schema\": \"" + "x".repeat(5000) + "\"}");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.errorCode()).isEqualTo("body-too-large");

        // without a Content-Length: the limit is enforced while reading
        Service.Response chunked = service.send(java.net.http.HttpRequest.newBuilder(service.uri("/migrate"))
                .header("Authorization", "Bearer " + Service.WRITE_TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() ->
                        new java.io.ByteArrayInputStream(("{\"schema\": \"" + "y".repeat(9000) + "\"}").getBytes()))));
        assertThat(chunked.status()).isEqualTo(413);

        Service.Response nowhere = service.get("/nowhere", Service.READ_TOKEN);
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.errorCode()).isEqualTo("not-found");
    }

    @Test
    void aFailedMigrationIsA422AndCounted() throws Exception {
        service.db.execute("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".users (id int)");
        Service.Response failed = service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of());
        assertThat(failed.status()).as(failed.body()).isEqualTo(422);
        assertThat(failed.errorCode()).isEqualTo("migration-failed");
        assertThat(failed.json().path("error").path("message").asText()).contains("users");
        assertThat(service.get("/metrics", Service.READ_TOKEN).body())
                .contains("gearshift_migrations_failed_total{target=\"main\"} 1.0");
    }

    @Test
    void noPasswordReachesAResponseOrTheLog() {
        Service.Response unreachable = service.post("/migrate", Service.WRITE_TOKEN, Map.of("database", "vault",
                "schema", "app", "command", "status"));
        assertThat(unreachable.status()).as(unreachable.body()).isEqualTo(502);
        assertThat(unreachable.errorCode()).isEqualTo("connection");
        // the seed's client names databases by URL: a refused one is echoed masked
        Service.Response echoed = service.post("/migrate", Service.WRITE_TOKEN, Map.of("database",
                "postgres://app:" + Service.URL_PASSWORD + "@elsewhere:5432/db", "schema", "app", "command", "up"));
        assertThat(echoed.status()).isEqualTo(403);
        assertThat(echoed.body()).contains("app:***@elsewhere");
        Service.Response malformed = service.post("/migrate", Service.WRITE_TOKEN, "{\"database\": \"postgres://u:"
                + Service.URL_PASSWORD + "@h/db\", ");
        assertThat(malformed.status()).isEqualTo(400);
        service.close();
        for (String text : new String[] {unreachable.body(), echoed.body(), malformed.body(), service.log()}) {
            assertThat(text).doesNotContain(Service.URL_PASSWORD, Service.FILE_PASSWORD);
        }
        assertThat(service.log()).contains("POST /migrate 502");
    }

    @Test
    void noAnswerTellsWhetherAGuessWasThePassword() {
        // before any token is checked: the path is not echoed, masked or not, so a right guess reads like a wrong one
        Service.Response right = service.get("/guess-" + Service.FILE_PASSWORD, null);
        Service.Response wrong = service.get("/guess-" + Service.FILE_PASSWORD.toLowerCase(), null);
        assertThat(right.status()).isEqualTo(404);
        assertThat(right.body()).isEqualTo(wrong.body()).doesNotContain("guess").doesNotContain("***");
        Service.Response post = service.post("/guess-" + Service.URL_PASSWORD, null, "{}");
        assertThat(post.body()).doesNotContain("guess").doesNotContain("***");
        // a name that happens to spell a configured password is a name: it is shown as it is
        Service.Response status = service.migrate(Service.READ_TOKEN, Service.FILE_PASSWORD, "status", Map.of());
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.json().path("status").path("schema").asText()).isEqualTo(Service.FILE_PASSWORD);
        assertThat(status.body()).doesNotContain("***");
    }

    @Test
    void namesPostgresqlCannotKeepAsGivenAreRefusedWithA400() throws Exception {
        String longer = schema + "_" + "x".repeat(63 - schema.length());
        Service.Response tooLong = service.migrate(Service.WRITE_TOKEN, longer, "up", Map.of());
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
        assertThat(tooLong.errorCode()).isEqualTo("usage");
        assertThat(tooLong.json().path("error").path("message").asText()).contains("64 bytes", "at most 63 bytes");
        assertThat(service.db.schemaExists(longer.substring(0, 63))).isFalse();

        Service.Response nul = service.migrate(Service.WRITE_TOKEN, schema + "\u0000x", "up", Map.of());
        assertThat(nul.status()).as(nul.body()).isEqualTo(400);
        assertThat(nul.json().path("error").path("message").asText()).contains("control character");
        assertThat(service.db.schemaExists(schema)).isFalse();
    }

    @Test
    void statusOfSchemasThatDoNotExistAddsNoMetricsSeries() {
        assertThat(service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of()).status()).isEqualTo(200);
        long before = versionSeries();
        for (int i = 0; i < 20; i++) {
            assertThat(service.migrate(Service.READ_TOKEN, "nowhere_" + i, "status", Map.of()).status())
                    .isEqualTo(200);
            service.migrate(Service.READ_TOKEN, "nowhere_" + i, "version", Map.of("migration", "core"));
        }
        assertThat(versionSeries()).isEqualTo(before).isPositive();
        // a real schema reverted to nothing keeps its series, at 0
        assertThat(service.migrate(Service.WRITE_TOKEN, schema, "down", Map.of("command_arg", "0")).status())
                .isEqualTo(200);
        assertThat(service.get("/metrics", Service.READ_TOKEN).body())
                .contains("gearshift_target_version{module=\"core\",schema=\"" + schema + "\",target=\"main\"} 0.0");
    }

    private long versionSeries() {
        return service.get("/metrics", Service.READ_TOKEN).body().lines()
                .filter(l -> l.startsWith("gearshift_target_version{")).count();
    }

    @Test
    void metricsAreInThePrometheusFormat() {
        service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of());
        Service.Response metrics = service.get("/metrics", Service.READ_TOKEN);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("# TYPE gearshift_migrations_applied_total counter")
                .contains("gearshift_migrations_applied_total{direction=\"up\",module=\"core\",target=\"main\"} 2.0")
                .contains("gearshift_migration_duration_seconds_bucket{module=\"core\",le=\"+Inf\"} 2")
                .contains("gearshift_target_version{module=\"core\",schema=\"" + schema + "\",target=\"main\"} 2.0")
                .contains("gearshift_command_duration_seconds_count{command=\"up\",outcome=\"ok\"} 1");
    }

    @Test
    void theOpenApiDescriptionAndDashboardAreServed() {
        Service.Response openapi = service.get("/openapi.yaml", null);
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body()).startsWith("openapi: 3").contains("/migrate:", "/runs/{id}/events:");
        Service.Response page = service.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Gearshift fleet</title>");
        assertThat(service.get("/dashboard.js", null).body()).contains("/runs/", "text/event-stream");
    }
}
