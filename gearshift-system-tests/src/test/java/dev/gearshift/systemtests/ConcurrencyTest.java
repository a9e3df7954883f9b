package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.Gearshift;
import dev.gearshift.Guard;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Many migrators at once on one schema, and migrators against running application instances. Each CLI is a
 * real process; they race for the schema's advisory lock exactly as separate deploy jobs would.
 */
@ExtendWith(PostgresExtension.class)
class ConcurrencyTest {

    private static final Report REPORT = Report.of(ConcurrencyTest.class);
    private static final int MIGRATORS = 16;
    private static final int BLOCKED = 4;
    /** An advisory lock key of the test's own, far from Gearshift's (0x67656172, crc32(schema)) keys. */
    private static final long GATE = 7_428_001L;

    /**
     * 16 processes run {@code up} at the same moment. The project's first migration waits at a gate (an advisory
     * lock the test holds) so the winner is inside its run while all 15 others have reached the migration lock;
     * then the gate opens. Documented outcome: every process exits 0 (the losers wait for the lock, re-read the
     * history, and find nothing pending); every migration is applied exactly once, by one process.
     */
    @Test
    void sixteenMigratorsAtOnceApplyEachMigrationExactlyOnce(TestDatabase db, @TempDir Path dir) throws Exception {
        Path project = gatedExample(dir);
        String schema = db.newSchema();
        String app = "gs-conc-" + schema;
        String url = Db.withApplicationName(db.url(), app);

        long started = System.nanoTime();
        List<Cli.Running> runs = new ArrayList<>();
        try (Connection gate = db.connect(); Statement statement = gate.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + GATE + ")");
            for (int i = 0; i < MIGRATORS; i++) {
                runs.add(Cli.start("--url", url, "--schema", schema, "--create-schema", "-C", project.toString(),
                        "--migrator-wait", "120s", "--json", "up"));
            }
            // Every process has reached an advisory lock: the winner's migration waits at the gate (on the session
            // that holds its migration lock), and the other 15 try for the migration lock of the schema.
            Db.await("all " + MIGRATORS + " migrators at a lock", Duration.ofMinutes(2), () -> {
                try {
                    return Db.count(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app
                            + "' AND query ~ 'pg_(try_)?advisory(_xact)?_lock\\('") == MIGRATORS;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            statement.execute("SELECT pg_advisory_unlock(" + GATE + ")");
        }
        List<Cli.Outcome> outcomes = runs.stream().map(Cli.Running::await).toList();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Map<Integer, Integer> exits = new TreeMap<>();
        int winners = 0;
        for (Cli.Outcome outcome : outcomes) {
            exits.merge(outcome.exit(), 1, Integer::sum);
            assertThat(outcome.exit()).as("%s", outcome).isZero();
            JsonNode applied = outcome.json().get("applied");
            if (!applied.isEmpty()) {
                winners++;
                assertThat(applied).as("the winner applies everything").hasSize(9);
            }
            JsonNode modules = outcome.json().get("status").get("modules");
            modules.forEach(module -> assertThat(module.get("pending")).as("%s", outcome).isEmpty());
        }
        assertThat(winners).as("exactly one process applied migrations").isEqualTo(1);

        List<Db.Row> history = Db.history(db, schema);
        // One success row per migration, plus the 'started' row written before the no-transaction core/4.
        assertThat(history.stream().filter(r -> r.outcome().equals("success")).map(Db.Row::migration))
                .as("one success row per migration").hasSize(9).doesNotHaveDuplicates();
        assertThat(history).as("no other rows").hasSize(10)
                .filteredOn(row -> !row.outcome().equals("success")).singleElement()
                .satisfies(row -> assertThat(row.migration() + " " + row.outcome()).isEqualTo("core/4 started"));
        assertThat(Db.appliedTwice(history)).isEmpty();
        assertThat(Db.count(db, "SELECT count(*) FROM " + schema + ".plans")).isEqualTo(3);
        REPORT.line(MIGRATORS + " concurrent `up` processes on one schema: exit codes " + exits + ", " + winners
                + " applied the 9 migrations, the others waited and found nothing pending; history: "
                + history.size() + " rows (" + history.stream().filter(r -> r.outcome().equals("success")).count()
                + " successes, 0 duplicates); " + took.toMillis() + " ms");
        Db.dropSchema(db, schema);
    }

    /**
     * A running application instance holds the shared guard: every {@code up} refuses at once with exit 3 and
     * names the holder (its pid and application name); once the guard is closed, {@code up} succeeds.
     */
    @Test
    void migratorsRefuseWhileAnApplicationGuardIsHeldAndNameIt(TestDatabase db, @TempDir Path dir) throws Exception {
        Path project = Projects.copyExample(dir.resolve("project"));
        String schema = db.newSchema();
        String appName = "billing-api-" + schema.substring(2, 8);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.url());
        dataSource.setApplicationName(appName);

        long started = System.nanoTime();
        List<Cli.Outcome> refused = new ArrayList<>();
        String holderPid;
        try (Guard guard = Gearshift.guard(dataSource, schema)) {
            holderPid = db.column("SELECT pid FROM pg_stat_activity WHERE application_name = '" + appName + "'").get(0);
            List<Cli.Running> runs = new ArrayList<>();
            for (int i = 0; i < BLOCKED; i++) {
                runs.add(Cli.start("--url", db.url(), "--schema", schema, "--create-schema", "-C", project.toString(),
                        "up"));
            }
            runs.forEach(run -> refused.add(run.await()));
            assertThat(guard.schema()).isEqualTo(schema);
        }
        for (Cli.Outcome outcome : refused) {
            assertThat(outcome.exit()).as("%s", outcome).isEqualTo(3);
            assertThat(outcome.err()).as("%s", outcome).contains("guarded by running application instances")
                    .contains("pid " + holderPid).contains(appName).contains("--wait-for-guards");
        }
        assertThat(db.schemaExists(schema)).as("nothing was written while guarded").isFalse();

        Cli.Outcome after = Cli.run("--url", db.url(), "--schema", schema, "--create-schema", "-C", project.toString(),
                "up");
        assertThat(after.exit()).as("%s", after).isZero();
        assertThat(Db.stateFromHistory(Db.history(db, schema))).hasSize(8);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        REPORT.line(BLOCKED + " `up` processes against a held application guard: all exit 3 naming the holder (pid "
                + holderPid + ", '" + appName + "'), nothing written; after the guard closed, `up` exit "
                + after.exit() + "; " + took.toMillis() + " ms");
        REPORT.line("refusal as printed: " + refused.get(0).err().strip());
        Db.dropSchema(db, schema);
    }

    /**
     * An application instance starts while a migration builds an index with CREATE INDEX CONCURRENTLY: the
     * instance waits for the migration, and the migration must not wait for the instance (an index build waits
     * for every older snapshot, and a waiting lock call would hold one). The migration finishes, then the
     * instance gets its guard.
     */
    @Test
    void anApplicationStartingDuringAnIndexBuildWaitsForItWithoutDeadlock(TestDatabase db, @TempDir Path dir)
            throws Exception {
        Path project = gatedExample(dir);
        String schema = db.newSchema();
        String app = "gs-cic-" + schema;
        String appName = "orders-api-" + schema.substring(2, 8);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.url());
        dataSource.setApplicationName(appName);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        long started = System.nanoTime();
        try (Connection gate = db.connect(); Statement statement = gate.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + GATE + ")");
            Cli.Running migrator = Cli.start("--url", Db.withApplicationName(db.url(), app), "--schema", schema,
                    "--create-schema", "-C", project.toString(), "up");
            Db.await("the migrator at the gate", Duration.ofMinutes(1), () -> waitingAtGate(db, app));
            Future<Guard> instance = executor.submit(() -> Gearshift.guard(dataSource, schema));
            Db.await("the application instance at the lock", Duration.ofMinutes(1), () -> {
                try {
                    return Db.count(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + appName
                            + "' AND query ~ 'advisory_lock_shared'") == 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            statement.execute("SELECT pg_advisory_unlock(" + GATE + ")");
            // Bounded: a deadlock shows as a migrator that does not end.
            boolean ended = migrator.process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                        + appName + "'");
            }
            Cli.Outcome outcome = migrator.await();
            assertThat(ended).as("the migration ended while an application instance waited for it: %s", outcome)
                    .isTrue();
            assertThat(outcome.exit()).as("%s", outcome).isZero();
            try (Guard guard = instance.get(1, TimeUnit.MINUTES)) {
                assertThat(guard.schema()).isEqualTo(schema);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(Db.stateFromHistory(Db.history(db, schema))).hasSize(9);
        assertThat(Db.invalidIndexes(db, schema)).isEmpty();
        REPORT.line("an application instance starting during CREATE INDEX CONCURRENTLY waited for the migration,"
                + " which finished (exit 0); " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        Db.dropSchema(db, schema);
    }

    private static boolean waitingAtGate(TestDatabase db, String app) {
        try {
            return Db.count(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app
                    + "' AND query ~ 'pg_advisory_xact_lock\\(" + GATE + "\\)' AND state = 'active'") == 1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The example project behind a gate: module {@code gate} (required by core) waits on the test's lock. */
    private static Path gatedExample(Path dir) throws Exception {
        Path project = Projects.copyExample(dir.resolve("project"));
        Projects.write(project.resolve("migrations/gate/1_wait_for_the_test.up.sql"),
                "-- Holds the migrator here until the test opens the gate.\n"
                        + "SELECT pg_advisory_xact_lock(" + GATE + ");\n"
                        + "CREATE TABLE gate_passed (at timestamptz DEFAULT now());\n");
        Projects.write(project.resolve("gearshift.yaml"), Files.readString(project.resolve("gearshift.yaml"))
                .replace("  core: {}", "  gate: {}\n  core:\n    requires: [gate]"));
        return project;
    }
}
