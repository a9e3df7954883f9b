package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service under a bounded load: many {@code POST /migrate} at the same moment, on one schema and on many schemas
 * of one database. Each request either succeeds or is told to come back ({@code 429}/{@code 503} with
 * {@code Retry-After}); none gets a 5xx from a pool, and every migration is applied once. Bounded to seconds; the
 * figures go to stdout and to {@code target/reliability/ServiceLoadTest.txt} (docs/RELIABILITY.md).
 */
@ExtendWith(PostgresExtension.class)
class ServiceLoadTest {

    private static final int REQUESTS = 64;
    private static final List<String> FIGURES = new ArrayList<>();

    @TempDir
    Path dir;

    /**
     * Two migrations; the second takes {@code seconds}, so every request arrives while others run.
     */
    private void project(double seconds) throws IOException {
        Path migrations = dir.resolve("migrations");
        Service.write(migrations.resolve("core/1_create_items.up.sql"), "CREATE TABLE items (id int PRIMARY KEY);");
        Service.write(migrations.resolve("core/2_seed.up.sql"), "SELECT pg_sleep(" + seconds + ");\n"
                + "INSERT INTO items VALUES (1);");
    }

    @Test
    void sixtyFourRequestsOnOneSchemaQueueOrAreToldToRetry(TestDatabase db) throws Exception {
        // Longer than the pool's 10 s wait: requests that sat on a pooled connection while they waited for the
        // schema's lock starved the others, which got a 502 with the pool's text.
        project(10.5);
        String schema = db.newSchema();
        try (Service service = Service.startWith(db, dir, "")) {
            Outcomes outcomes = fire(REQUESTS, i -> service.migrate(Service.WRITE_TOKEN, schema, "up", Map.of()));
            record("one schema", outcomes);
            outcomes.assertOnlyOkOrRetry();
            assertThat(outcomes.byStatus.get(200)).as("the first in the queue at least").isGreaterThan(1);
            assertThat(db.column("SELECT version || ':' || count(*) FROM " + schema + ".gearshift_history"
                    + " WHERE action = 'up' AND outcome = 'success' GROUP BY version ORDER BY version"))
                    .containsExactly("1:1", "2:1");
        }
    }

    @Test
    void sixtyFourRequestsOnSixtyFourSchemasOfOneDatabaseAllGetATurn(TestDatabase db) throws Exception {
        project(0.3);
        String prefix = db.newSchema();
        try (Service service = Service.startWith(db, dir, "")) {
            Outcomes outcomes = fire(REQUESTS, i -> service.migrate(Service.WRITE_TOKEN, prefix + "_" + i, "up",
                    Map.of()));
            record("64 schemas, one database", outcomes);
            outcomes.assertOnlyOkOrRetry();
            // the default queue (64 per database) holds them all, and the default wait (60 s) outlasts them
            assertThat(outcomes.byStatus).containsOnlyKeys(200);
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(db.column("SELECT count(*) FROM " + prefix + "_" + i + ".items")).containsExactly("1");
            }
        }
    }

    @Test
    void aBurstOfConnectionsIsQueuedNotReset(TestDatabase db) throws Exception {
        project(0.3);
        try (Service service = Service.startWith(db, dir, "")) {
            // version reads only; what matters is that every connection is accepted and answered
            Outcomes outcomes = fire(200, i -> service.migrate(Service.READ_TOKEN, "burst_" + (i % 8), "version",
                    Map.of("migration", "core")));
            record("burst of 200 connections (version)", outcomes);
            outcomes.assertOnlyOkOrRetry();
        }
    }

    @AfterAll
    static void writeFigures() throws IOException {
        Path file = Path.of("target", "reliability", "ServiceLoadTest.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, FIGURES);
    }

    private static void record(String what, Outcomes outcomes) {
        String line = what + ": " + outcomes.total + " requests in " + outcomes.millis + " ms; by status "
                + outcomes.byStatus + "; connection failures " + outcomes.failures.size()
                + "; Retry-After seen " + outcomes.retryAfters + "; slowest answer " + outcomes.slowest + " ms";
        System.out.println("[ServiceLoadTest] " + line);
        FIGURES.add(line);
    }

    /** What the concurrent requests got. */
    private static final class Outcomes {
        final Map<Integer, Integer> byStatus = new TreeMap<>();
        final List<String> failures = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        final java.util.Set<String> retryAfters = new java.util.TreeSet<>();
        int total;
        long millis;
        long slowest;

        void assertOnlyOkOrRetry() {
            assertThat(failures).as("connections reset or refused").isEmpty();
            assertThat(unexpected).as("answers other than 200, or 429/503 busy with Retry-After").isEmpty();
        }
    }

    private interface Request {
        Service.Response send(int i);
    }

    private static Outcomes fire(int count, Request request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            Callable<Object> call = () -> {
                go.await();
                long started = System.nanoTime();
                try {
                    Service.Response response = request.send(n);
                    return new Object[] {response, (System.nanoTime() - started) / 1_000_000};
                } catch (RuntimeException e) {
                    return e;
                }
            };
            futures.add(pool.submit(call));
        }
        Outcomes outcomes = new Outcomes();
        long started = System.nanoTime();
        go.countDown();
        for (Future<Object> future : futures) {
            Object result = future.get();
            outcomes.total++;
            if (result instanceof RuntimeException e) {
                outcomes.failures.add(String.valueOf(e.getCause() != null ? e.getCause() : e));
                continue;
            }
            Service.Response r = (Service.Response) ((Object[]) result)[0];
            outcomes.slowest = Math.max(outcomes.slowest, (Long) ((Object[]) result)[1]);
            outcomes.byStatus.merge(r.status(), 1, Integer::sum);
            if (r.status() == 200) {
                continue;
            }
            String retryAfter = r.raw().headers().firstValue("Retry-After").orElse(null);
            boolean retry = (r.status() == 429 || r.status() == 503) && r.errorCode().equals("busy")
                    && retryAfter != null && !r.body().contains("Connection is not available");
            if (retry) {
                outcomes.retryAfters.add(retryAfter);
            } else {
                outcomes.unexpected.add(r.toString());
            }
        }
        outcomes.millis = (System.nanoTime() - started) / 1_000_000;
        pool.shutdown();
        return outcomes;
    }
}
