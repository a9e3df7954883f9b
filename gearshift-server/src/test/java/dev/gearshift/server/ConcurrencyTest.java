package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent requests for one target, to one service and to two (as two replicas behind a load balancer would
 * get them): the core's schema lock makes one migrate and the others wait and then find nothing to do.
 */
@ExtendWith(PostgresExtension.class)
class ConcurrencyTest {

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    private static void slowProject(Path dir) throws Exception {
        Path migrations = dir.resolve("migrations");
        Service.write(migrations.resolve("core/1_create_items.up.sql"), "CREATE TABLE items (id int PRIMARY KEY);");
        // slow enough that every request arrives while the first holds the lock; applied twice it would fail
        Service.write(migrations.resolve("core/2_seed.up.sql"), "SELECT pg_sleep(0.7);\nINSERT INTO items VALUES (1);");
    }

    @Test
    void concurrentRequestsForOneTargetApplyEachMigrationOnce(TestDatabase db) throws Exception {
        slowProject(dirA);
        slowProject(dirB);
        String schema = db.newSchema();
        try (Service a = Service.startWith(db, dirA, ""); Service b = Service.startWith(db, dirB, "")) {
            int requests = 6;
            ExecutorService pool = Executors.newFixedThreadPool(requests);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Service.Response>> responses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Service service = i % 2 == 0 ? a : b;
                responses.add(pool.submit(() -> {
                    go.await();
                    return service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of());
                }));
            }
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<Service.Response> response : responses) {
                Service.Response r = response.get();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                results.add(r.json().path("result").asText());
            }
            pool.shutdown();

            assertThat(results).containsOnlyOnce("ok").containsOnly("ok", "no change");
            assertThat(db.column("SELECT version || ':' || count(*) FROM " + schema + ".gearshift_history"
                    + " WHERE action = 'up' AND outcome = 'success' GROUP BY version ORDER BY version"))
                    .containsExactly("1:1", "2:1");
            assertThat(db.column("SELECT count(*) FROM " + schema + ".items")).containsExactly("1");
            String metrics = a.get("/metrics", Service.READ_TOKEN).body() + b.get("/metrics", Service.READ_TOKEN).body();
            assertThat(metrics).contains("gearshift_lock_waits_total{target=\"main\"}");
            assertThat(metrics).containsOnlyOnce("gearshift_migrations_applied_total{direction=\"up\",module=\"core\","
                    + "target=\"main\"} 2.0");
        }
    }
}
