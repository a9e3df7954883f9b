package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.Gearshift;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's fleet status is read as {@code gearshift fleet status} reads it: a tenant whose history holds a
 * migration the project no longer has shows its problem, never green; unreachable tenant databases show as
 * unreachable with the reason, in about one connect timeout however many there are.
 */
@ExtendWith(PostgresExtension.class)
class FleetStatusViewTest {

    private static final String PASSWORD = "Tenant-pw-9Zq";

    @TempDir
    Path dir;

    @Test
    void problemsAndUnreachableTenantsShowAsTheCliShowsThem(TestDatabase db) throws Exception {
        String prefix = db.newSchema() + "_";
        StringBuilder tenants = new StringBuilder("tenants:\n");
        tenants.append("  - { name: ok, schema: ").append(prefix).append("ok, url: \"").append(db.url()).append("\" }\n");
        tenants.append("  - { name: missing, schema: ").append(prefix).append("missing, url: \"").append(db.url())
                .append("\" }\n");
        for (int i = 1; i <= 4; i++) {
            int closed;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                closed = socket.getLocalPort();
            }
            tenants.append("  - { name: gone").append(i).append(", schema: ").append(prefix).append("gone, url: \"")
                    .append("postgres://app:").append(PASSWORD).append("@127.0.0.1:").append(closed)
                    .append("/nothing\" }\n");
        }
        Files.writeString(dir.resolve("tenants.yaml"), tenants);
        String yaml = """
                fleets:
                  tenants:
                    file: tenants.yaml
                    parallel: 1
                    connect_timeout: 2s
                """;
        try (Service service = Service.start(db, dir, yaml)) {
            assertThat(service.migrate(Service.WRITE_TOKEN, prefix + "ok", "up", Map.of()).status()).isEqualTo(200);
            // "missing" was migrated by a newer project, with core/3, which this service's project does not have.
            Path newer = dir.resolve("newer");
            try (Stream<Path> files = Files.walk(dir.resolve("migrations"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Service.write(newer.resolve(dir.resolve("migrations").relativize(file)), Files.readString(file));
                }
            }
            Service.write(newer.resolve("core/3_extra.up.sql"), "CREATE TABLE extra (id int);");
            Gearshift.configure().url(db.url()).schema(prefix + "missing").createSchema(true).migrations(newer)
                    .build().up();

            long started = System.nanoTime();
            Service.Response response = service.get("/fleets/tenants/status", Service.READ_TOKEN);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).doesNotContain(PASSWORD);
            Map<String, JsonNode> byName = new HashMap<>();
            response.json().path("tenants").forEach(t -> byName.put(t.path("tenant").asText(), t));

            JsonNode ok = byName.get("ok");
            assertThat(ok.path("state").asText()).isEqualTo("current");
            assertThat(ok.path("modules").path("core").path("state").asText()).isEqualTo("current");

            JsonNode missing = byName.get("missing");
            assertThat(missing.path("state").asText()).isEqualTo("problems");
            assertThat(missing.path("modules").path("core").path("state").asText()).as(missing.toString())
                    .isEqualTo("problems");
            assertThat(missing.path("problems").get(0).path("code").asText()).isEqualTo("missing-applied");
            assertThat(missing.path("message").asText()).startsWith("missing-applied");

            for (String name : List.of("gone1", "gone2", "gone3", "gone4")) {
                JsonNode gone = byName.get(name);
                assertThat(gone.path("state").asText()).isEqualTo("unreachable");
                assertThat(gone.path("modules").path("core").path("state").asText()).isEqualTo("unreachable");
                assertThat(gone.path("message").asText()).contains("cannot connect to").contains("refused");
            }
            assertThat(response.json().path("states").path("unreachable").asInt()).isEqualTo(4);
            // Four databases of 2 s each, one after another, would take 8 s: read at once, about 2 s.
            assertThat(took).as("status took %s", took).isLessThan(Duration.ofSeconds(6));
        }
    }
}
