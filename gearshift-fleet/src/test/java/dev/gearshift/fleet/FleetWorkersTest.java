package dev.gearshift.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers on one run, one of them a separate JVM killed mid-run: the other takes over the dead worker's
 * tenants once their lease expires, and every tenant ends up done, each migration applied exactly once.
 */
@ExtendWith(PostgresExtension.class)
class FleetWorkersTest {

    private static final int TENANTS = 40;
    private static final Duration LEASE = Duration.ofSeconds(5);

    private TestDatabase server;
    private TestDatabase db;
    private String database;
    private String prefix;
    private Path project;
    private Process workerA;
    private String runId;

    @BeforeEach
    void setUp(TestDatabase server, @TempDir Path temp) throws Exception {
        this.server = server;
        this.database = FleetFixtures.createDatabase(server);
        this.db = new TestDatabase(FleetFixtures.withDatabase(server, database));
        this.prefix = FleetFixtures.prefix();
        // A project whose second migration takes a while, and waits at a gate the test can close.
        project = temp.resolve("slow");
        FleetFixtures.write(project.resolve("migrations/core/1_create_a.up.sql"), "CREATE TABLE a (id int);\n");
        FleetFixtures.write(project.resolve("migrations/core/2_slow.up.sql"),
                "SELECT pg_sleep(0.2);\nSELECT count(*) FROM public.gate;\n");
        FleetFixtures.write(project.resolve("migrations/core/3_create_b.up.sql"), "CREATE TABLE b (id int);\n");
        db.execute("CREATE TABLE public.gate (id int)");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (workerA != null) {
            workerA.destroyForcibly();
            workerA.waitFor(30, TimeUnit.SECONDS);
        }
        if (runId != null) {
            server.execute("DELETE FROM gearshift_fleet.runs WHERE id = '" + runId + "'");
        }
        FleetFixtures.dropDatabase(server, database);
    }

    private int count(String sql) {
        try {
            return Integer.parseInt(server.column(sql).get(0));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String ofWorker(long pid) {
        return "run_id = '" + runId + "' AND worker LIKE '%:" + pid + ":%'";
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSurvivingWorkerTakesOverTheTenantsOfAKilledOneAndEveryTenantIsMigratedOnce(@TempDir Path temp)
            throws Exception {
        FleetFixtures.createSchemas(db.url(), prefix, TENANTS);
        List<Tenant> tenants = Tenants.schemasLike(db.url(), null, null, prefix + "%");
        assertThat(tenants).hasSize(TENANTS);

        try (ControlStore control = ControlStore.open(server.url(), null, null);
             Fleet workerB = Fleet.configure(FleetFixtures.project(db, project)).tenants(tenants).parallel(4)
                     .control(control).lease(LEASE).build()) {
            // A run with no canary (workers only claim tenants of an open run), and no owner process of its own.
            runId = RunIds.next();
            control.createRun(runId, RunSpec.of(FleetCommand.UP, Target.latest(), false, 0, 0), tenants,
                    Optional.empty());

            Path outputA = temp.resolve("worker-a.log");
            workerA = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FleetWorkerProcess.class.getName(),
                    project.toString(), db.url(), prefix + "%", server.url(), runId,
                    String.valueOf(LEASE.toMillis()), "2")
                    .redirectErrorStream(true).redirectOutput(outputA.toFile()).start();
            long pidA = workerA.pid();
            String a = ofWorker(pidA);

            FleetFixtures.await(Duration.ofSeconds(60), "worker A to finish 6 tenants", () -> {
                assertThat(workerA.isAlive()).as("worker A runs: %s", read(outputA)).isTrue();
                return count("SELECT count(*) FROM gearshift_fleet.tenants WHERE " + a + " AND state = 'done'") >= 6;
            });

            // Worker B joins the run in this JVM.
            CompletableFuture<FleetResult> resultB = CompletableFuture.supplyAsync(() -> workerB.work(runId));

            // Close the gate: every running tenant stops in its second migration, so A dies holding two tenants.
            try (Connection gate = DriverManager.getConnection(db.url())) {
                gate.setAutoCommit(false);
                try (Statement statement = gate.createStatement()) {
                    statement.execute("LOCK TABLE public.gate IN ACCESS EXCLUSIVE MODE");
                }
                FleetFixtures.await(Duration.ofSeconds(30), "every running tenant to wait at the gate", () -> {
                    int running = count("SELECT count(*) FROM gearshift_fleet.tenants WHERE run_id = '" + runId
                            + "' AND state = 'running'");
                    int runningA = count("SELECT count(*) FROM gearshift_fleet.tenants WHERE " + a
                            + " AND state = 'running'");
                    return runningA == 2 && waitingAtGate() == running;
                });
                workerA.destroyForcibly();
                assertThat(workerA.waitFor(30, TimeUnit.SECONDS)).isTrue();
                gate.commit();
            }
            List<String> abandoned = server.column("SELECT tenant FROM gearshift_fleet.tenants WHERE " + a
                    + " AND state = 'running' ORDER BY tenant");
            List<String> doneByA = server.column("SELECT tenant FROM gearshift_fleet.tenants WHERE " + a
                    + " AND state = 'done'");
            assertThat(abandoned).as("tenants worker A held when it was killed").hasSize(2);

            FleetResult result = resultB.get(60, TimeUnit.SECONDS);

            assertThat(result.runId()).isEqualTo(runId);
            assertThat(result.outcomes()).hasSize(TENANTS);
            assertThat(result.outcomes()).as("%s", result.outcomes().stream()
                    .filter(o -> o.state() != TenantOutcome.State.DONE).toList())
                    .allMatch(o -> o.state() == TenantOutcome.State.DONE);
            assertThat(server.column("SELECT tenant FROM gearshift_fleet.tenants WHERE " + a))
                    .as("worker A's finished tenants stay its own; its abandoned ones were taken over")
                    .containsExactlyInAnyOrderElementsOf(doneByA);
            for (String tenant : abandoned) {
                assertThat(server.column("SELECT attempts || ' ' || worker FROM gearshift_fleet.tenants WHERE run_id = '"
                        + runId + "' AND tenant = '" + tenant + "'"))
                        .singleElement().asString().startsWith("2 ").contains(":" + ProcessHandle.current().pid() + ":");
            }
            assertThat(count("SELECT count(*) FROM gearshift_fleet.tenants WHERE run_id = '" + runId
                    + "' AND worker LIKE '%:" + ProcessHandle.current().pid() + ":%'"))
                    .as("worker B did its share").isGreaterThanOrEqualTo(2);

            Map<String, Integer> once = new TreeMap<>(Map.of("core/1", 1, "core/2", 1, "core/3", 1));
            Map<String, Map<String, Integer>> applied = FleetFixtures.appliedInAll(db.url(),
                    tenants.stream().map(Tenant::schema).toList());
            assertThat(applied).hasSize(TENANTS).allSatisfy((schema, migrations) ->
                    assertThat(migrations).as(schema).isEqualTo(once));
        }
    }

    /** Sessions of the tenant database waiting for a lock (at the gate). */
    private int waitingAtGate() {
        try {
            return Integer.parseInt(db.column("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                    + "' AND wait_event_type = 'Lock'").get(0));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
