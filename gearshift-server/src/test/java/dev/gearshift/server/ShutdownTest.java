package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: the running migration finishes, new work is refused meanwhile, then the service stops. */
@ExtendWith(PostgresExtension.class)
class ShutdownTest {

    @TempDir
    Path dir;

    @Test
    void runningMigrationsFinishAndNewOnesAreRefused(TestDatabase db) throws Exception {
        String schema = db.newSchema();
        // The schema name marks this test's sleep: other runs on a shared server may be sleeping too.
        Service.write(dir.resolve("migrations/core/1_slow.up.sql"),
                "SELECT pg_sleep(1.5) /* " + schema + " */;\nCREATE TABLE items (id int);");
        Service service = Service.startWith(db, dir, "");
        CompletableFuture<Service.Response> running = CompletableFuture.supplyAsync(() ->
                service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of()));
        waitForTheSleep(db, schema);  // the migration is under way
        CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);
        Thread.sleep(300);

        Service.Response refused = service.migrate(Service.WRITE_TOKEN, db.newSchema(), "up", Map.of());
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("shutting-down");
        assertThat(service.get("/healthz", null).status()).isEqualTo(503);
        assertThat(closing).isNotDone();

        Service.Response finished = running.get();
        assertThat(finished.status()).as(finished.body()).isEqualTo(200);
        assertThat(finished.json().path("result").asText()).isEqualTo("ok");
        closing.get();
        assertThat(db.column("SELECT count(*) FROM " + schema + ".items")).containsExactly("0");
        assertThat(service.log()).contains("shutting down", "stopped");
    }

    private static void waitForTheSleep(TestDatabase db, String schema) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (!db.column("SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5) /* " + schema
                    + " */%'").isEmpty()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the slow migration never started");
    }
}
