package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Fleet runs: started with {@code POST /runs}, watched through server-sent events, read back, cancelled. */
@ExtendWith(PostgresExtension.class)
class RunsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One server-sent event. */
    record Event(String type, JsonNode data) {
    }

    private static String fleetYaml(String prefix) {
        return """
                fleets:
                  tenants:
                    schemas: { database: main, like: "%s%%" }
                    parallel: 2
                """.formatted(prefix);
    }

    private static String createTenants(TestDatabase db, int count, int broken) throws Exception {
        String prefix = db.newSchema() + "_";
        for (int i = 1; i <= count; i++) {
            db.execute("CREATE SCHEMA " + prefix + i);
        }
        // auth's first migration creates users: in this tenant it exists already, so that migration fails
        db.execute("CREATE TABLE " + prefix + broken + ".users (id int)");
        return prefix;
    }

    /** Reads the event stream to its end event. */
    static List<Event> watch(Service service, String runId) throws Exception {
        HttpResponse<Stream<String>> response = service.http.send(HttpRequest.newBuilder(
                        service.uri("/runs/" + runId + "/events")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + Service.READ_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            String type = null;
            Iterator<String> iterator = lines.iterator();
            while (iterator.hasNext()) {
                String line = iterator.next();
                if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    events.add(new Event(type, JSON.readTree(line.substring(6))));
                }
            }
        }
        return events;
    }

    @Test
    void aFleetRunWatchedThroughServerSentEventsToItsEnd(TestDatabase db) throws Exception {
        String prefix = createTenants(db, 5, 3);
        try (Service service = Service.start(db, dir, fleetYaml(prefix))) {
            assertThat(service.post("/runs", Service.READ_TOKEN, Map.of("fleet", "tenants", "command", "up"))
                    .errorCode()).isEqualTo("forbidden");

            Service.Response started = service.post("/runs", Service.WRITE_TOKEN,
                    Map.of("fleet", "tenants", "command", "up", "max_failures", 0));
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String id = started.json().path("id").asText();
            assertThat(started.raw().headers().firstValue("Location")).hasValue("/runs/" + id);

            List<Event> events = watch(service, id);
            assertThat(events.get(0).type()).isEqualTo("run");
            assertThat(events.get(0).data().path("total").asInt()).isEqualTo(5);
            assertThat(events).filteredOn(e -> e.type().equals("tenant-started")).hasSize(5);
            assertThat(events).filteredOn(e -> e.type().equals("tenant-finished")).hasSize(5);
            Event end = events.get(events.size() - 1);
            assertThat(end.type()).isEqualTo("end");
            assertThat(end.data().path("outcome").asText()).isEqualTo("failed");
            assertThat(end.data().path("counts").path("done").asInt()).isEqualTo(4);
            assertThat(end.data().path("counts").path("failed").asInt()).isEqualTo(1);

            // a watcher arriving after the end gets the whole story, then the stream closes
            assertThat(watch(service, id)).extracting(Event::type).isEqualTo(events.stream().map(Event::type).toList());

            JsonNode run = service.get("/runs/" + id, Service.READ_TOKEN).json();
            assertThat(run.path("state").asText()).isEqualTo("finished");
            assertThat(run.path("started_by").asText()).isEqualTo("pipeline");
            JsonNode broken = null;
            for (JsonNode tenant : run.path("tenants")) {
                if (tenant.path("tenant").asText().equals(prefix + 3)) {
                    broken = tenant;
                } else {
                    assertThat(tenant.path("state").asText()).isEqualTo("done");
                    assertThat(tenant.path("migrations").asInt()).isEqualTo(3);
                }
            }
            assertThat(broken.path("state").asText()).isEqualTo("failed");
            assertThat(broken.path("error_code").asText()).isEqualTo("migration-failed");
            assertThat(service.get("/runs", Service.READ_TOKEN).json().path("runs").get(0).path("id").asText())
                    .isEqualTo(id);

            JsonNode status = service.get("/fleets/tenants/status", Service.READ_TOKEN).json();
            // auth runs first (modules without dependencies go by name): the broken tenant stopped there
            assertThat(status.path("versions").path("core").path("2").asInt()).isEqualTo(4);
            assertThat(status.path("versions").path("core").path("none").asInt()).isEqualTo(1);
            assertThat(status.path("versions").path("auth").path("1").asInt()).isEqualTo(4);
            assertThat(status.path("versions").path("auth").path("none").asInt()).isEqualTo(1);
            for (JsonNode tenant : status.path("tenants")) {
                boolean isBroken = tenant.path("tenant").asText().equals(prefix + 3);
                for (String module : List.of("core", "auth")) {
                    assertThat(tenant.path("modules").path(module).path("state").asText())
                            .isEqualTo(isBroken ? "failed" : "current");
                }
            }
            JsonNode history = service.get("/fleets/tenants/tenants/" + prefix + 1 + "/history", Service.READ_TOKEN)
                    .json();
            assertThat(history.path("history")).hasSize(3);

            String metrics = service.get("/metrics", Service.READ_TOKEN).body();
            assertThat(metrics)
                    .contains("gearshift_fleet_runs_total{fleet=\"tenants\",outcome=\"failed\"} 1.0")
                    .contains("gearshift_fleet_run_tenants{fleet=\"tenants\",state=\"done\"} 4.0")
                    .contains("gearshift_fleet_tenants_finished_total{fleet=\"tenants\",state=\"failed\"} 1.0")
                    .contains("gearshift_fleet_runs_active 0.0");

            // a second run finds the four done and fails the broken one again: nothing is applied twice
            String second = service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "up",
                    "max_failures", 0)).json().path("id").asText();
            watch(service, second);
            assertThat(service.get("/runs/" + second, Service.READ_TOKEN).json().path("counts").path("done").asInt())
                    .isEqualTo(4);
            assertThat(db.column("SELECT count(*) FROM " + prefix + 1 + ".gearshift_history WHERE outcome = 'success'"))
                    .containsExactly("3");
        }
    }

    private static HttpRequest.Builder events(Service service, String runId, String token) {
        return HttpRequest.newBuilder(service.uri("/runs/" + runId + "/events")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET();
    }

    @Test
    void aFinishedRunsStreamEndsAndOpenStreamsAreCappedPerToken(TestDatabase db) throws Exception {
        String prefix = createTenants(db, 2, 2);
        try (Service service = Service.start(db, dir, fleetYaml(prefix)
                + "limits: { event_streams_per_token: 1, fleet_parallel_per_database: 2 }\n");
             java.sql.Connection blocker = java.sql.DriverManager.getConnection(db.url())) {
            // an uncommitted table of the same name holds tenant 1's first migration, so the run stays running
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("CREATE TABLE " + prefix + "1.items (id int)");
            String id = service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "up",
                    "max_failures", 0)).json().path("id").asText();
            var first = service.http.sendAsync(events(service, id, Service.READ_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofLines()).get();
            assertThat(first.statusCode()).isEqualTo(200);
            HttpResponse<String> second = service.http.send(events(service, id, Service.READ_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(second.body()).contains("\"busy\"", "event_streams_per_token");
            assertThat(second.headers().firstValue("Retry-After")).isPresent();
            // the running run migrates both tenants of the database at once: no room for another, dry or not
            Service.Response full = service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants",
                    "command", "up", "dry_run", true, "parallel", 1));
            assertThat(full.status()).as(full.body()).isEqualTo(503);
            assertThat(full.errorCode()).isEqualTo("busy");
            assertThat(full.body()).contains("fleet_parallel_per_database");
            assertThat(full.raw().headers().firstValue("Retry-After")).isPresent();
            blocker.rollback();
            long seen;
            try (Stream<String> lines = first.body()) {
                seen = lines.filter(l -> l.startsWith("id: ")).count();  // read to the end event: the stream closes
            }

            // a browser that saw the end reconnects with its id: 204, which stops EventSource, at once
            HttpResponse<String> after = service.http.send(events(service, id, Service.READ_TOKEN)
                    .header("Last-Event-ID", Long.toString(seen)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(204);
            // one that missed the end gets only what it missed, and the stream closes
            HttpResponse<String> missed = service.http.send(events(service, id, Service.READ_TOKEN)
                    .header("Last-Event-ID", Long.toString(seen - 1)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missed.statusCode()).isEqualTo(200);
            assertThat(missed.body()).contains("event: end", "id: " + seen).doesNotContain("event: tenant-");
        }
    }

    @Test
    void runRequestsAreCheckedBeforeAnythingStarts(TestDatabase db) throws Exception {
        String prefix = createTenants(db, 2, 2);
        try (Service service = Service.start(db, dir, fleetYaml(prefix))) {
            assertThat(service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "nope", "command", "up")).status())
                    .isEqualTo(404);
            assertThat(service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "drop"))
                    .errorCode()).isEqualTo("unknown-command");
            assertThat(service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "up",
                    "filter", Map.of("plan", "pro"))).errorCode()).isEqualTo("usage");
            assertThat(service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "up",
                    "tenants", List.of("nobody"))).status()).isEqualTo(400);
            assertThat(service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "up",
                    "url", "postgres://elsewhere/db")).errorCode()).isEqualTo("unknown-field");
            // each 404 says what was not found, not that the endpoint does not exist
            for (String path : List.of("/runs/run-unknown", "/runs/run-unknown/events")) {
                Service.Response unknown = service.get(path, Service.READ_TOKEN);
                assertThat(unknown.status()).isEqualTo(404);
                assertThat(unknown.json().path("error").path("message").asText()).as(path)
                        .startsWith("no run 'run-unknown'");
            }
            assertThat(service.post("/runs/run-unknown/cancel", Service.WRITE_TOKEN, "").json().path("error")
                    .path("message").asText()).startsWith("no run 'run-unknown'");
            assertThat(service.get("/fleets/nope/status", Service.READ_TOKEN).json().path("error").path("message")
                    .asText()).startsWith("no fleet 'nope'");
            Service.Response noTenant = service.get("/fleets/tenants/tenants/nobody/history", Service.READ_TOKEN);
            assertThat(noTenant.status()).isEqualTo(404);
            assertThat(noTenant.json().path("error").path("message").asText()).contains("no tenant 'nobody'");
            // without a token, nothing of the path comes back
            Service.Response anonymous = service.get("/runs/run-unknown", null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("run-unknown");
            assertThat(service.get("/fleets/tenants/status?filter=plan", Service.READ_TOKEN).status()).isEqualTo(400);

            // parallelism is capped by role: 4 for read, 16 for write by default
            Service.Response readWide = service.post("/runs", Service.READ_TOKEN, Map.of("fleet", "tenants",
                    "command", "verify", "parallel", 64));
            assertThat(readWide.status()).as(readWide.body()).isEqualTo(400);
            assertThat(readWide.body()).contains("limits.fleet_parallel.read");
            assertThat(service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "up",
                    "parallel", 17)).body()).contains("limits.fleet_parallel.write");
            // a dry run takes real locks on every tenant: the read role may not start one
            Service.Response readDry = service.post("/runs", Service.READ_TOKEN, Map.of("fleet", "tenants",
                    "command", "up", "dry_run", true, "tenants", List.of(prefix + 1)));
            assertThat(readDry.status()).as(readDry.body()).isEqualTo(403);
            assertThat(service.get("/runs", Service.READ_TOKEN).json().path("runs")).isEmpty();
            // the write role may, and it leaves every tenant as it was
            Service.Response dry = service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants",
                    "command", "up", "dry_run", true, "tenants", List.of(prefix + 1)));
            assertThat(dry.status()).as(dry.body()).isEqualTo(202);
            List<Event> events = watch(service, dry.json().path("id").asText());
            assertThat(events.get(events.size() - 1).data().path("outcome").asText()).isEqualTo("succeeded");
            assertThat(db.column("SELECT count(*) FROM pg_tables WHERE schemaname = '" + prefix + 1 + "'"))
                    .containsExactly("0");
        }
    }

    @Test
    void aCancelledRunStartsNoMoreTenants(TestDatabase db) throws Exception {
        Path migrations = dir.resolve("migrations");
        Service.write(migrations.resolve("core/1_slow.up.sql"), "SELECT pg_sleep(0.4);\nCREATE TABLE items (id int);");
        String prefix = db.newSchema() + "_";
        for (int i = 1; i <= 6; i++) {
            db.execute("CREATE SCHEMA " + prefix + i);
        }
        try (Service service = Service.startWith(db, dir, fleetYaml(prefix))) {
            String id = service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "tenants", "command", "up",
                    "parallel", 1)).json().path("id").asText();
            assertThat(service.post("/runs/" + id + "/cancel", Service.READ_TOKEN, "").status()).isEqualTo(403);
            Service.Response cancel = service.post("/runs/" + id + "/cancel", Service.WRITE_TOKEN, "");
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
            List<Event> events = watch(service, id);
            assertThat(events).extracting(Event::type).contains("cancelling");
            JsonNode end = events.get(events.size() - 1).data();
            assertThat(end.path("state").asText()).isEqualTo("cancelled");
            assertThat(end.path("counts").path("skipped").asInt()).isGreaterThanOrEqualTo(4);
            assertThat(end.path("counts").path("failed").asInt()).isZero();
        }
    }
}
