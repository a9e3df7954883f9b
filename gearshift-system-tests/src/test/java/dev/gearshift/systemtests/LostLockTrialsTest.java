package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock's session dies while a second migrator waits: the reproduction, at random moments. Two CLI
 * processes migrate one schema; once the second waits for the lock, the first one's lock-holding backend is
 * terminated ({@code pg_terminate_backend}) after a random pause. The second takes the lock while the first is
 * still running. Every version must be applied once: one success row each, one ledger row each.
 *
 * <p>Trials: system property {@code gearshift.lostlock.trials} (10 by default, 100 with {@code -Preliability});
 * {@code -Dgearshift.lostlock.seed=N} replays a run's pauses.
 */
@ExtendWith(PostgresExtension.class)
class LostLockTrialsTest {

    private static final Report REPORT = Report.of(LostLockTrialsTest.class);
    private static final int INSERTS = 20;

    @Test
    void terminatingTheLocksBackendNeverAppliesAMigrationTwice(TestDatabase db, @TempDir Path dir) throws Exception {
        int trials = Integer.getInteger("gearshift.lostlock.trials", 10);
        long seed = Long.getLong("gearshift.lostlock.seed", System.nanoTime());
        Random random = new Random(seed);
        Path project = dir.resolve("project");
        Projects.write(project.resolve("migrations/core/1_init.up.sql"), "CREATE TABLE ledger (v int);\n");
        for (int v = 2; v <= INSERTS + 1; v++) {
            Projects.write(project.resolve("migrations/core/" + v + "_insert.up.sql"),
                    "INSERT INTO ledger VALUES (" + v + ");\nSELECT pg_sleep(0.1);\n");
        }
        int counted = 0;
        int finishedFirst = 0;
        long started = System.nanoTime();
        for (int trial = 0; trial < trials; trial++) {
            String schema = db.newSchema();
            // Both start together; whichever takes the lock first is the one whose backend is terminated.
            String nameA = "gs-lost-a-" + trial;
            String nameB = "gs-lost-b-" + trial;
            Cli.Running a = Cli.start(args(db, project, schema, nameA));
            Cli.Running b = Cli.start(args(db, project, schema, nameB));
            Db.await("one migrator migrating while the other waits for the lock", Duration.ofMinutes(1),
                    () -> ledgerRows(db, schema) > 0 && (waiting(db, nameA) || waiting(db, nameB))
                            || !a.process.isAlive() || !b.process.isAlive());
            Thread.sleep(random.nextInt(800));
            // Materialized: only the lock's holder is terminated, whatever order PostgreSQL evaluates the rest in.
            String holder = db.column("WITH holder AS MATERIALIZED (SELECT l.pid, s.application_name FROM pg_locks l"
                    + " JOIN pg_stat_activity s ON s.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                    + " AND s.application_name LIKE 'gs-lost-_-" + trial + "')"
                    + " SELECT application_name FROM holder WHERE pg_terminate_backend(pid)")
                    .stream().findFirst().orElse(null);
            boolean aHeld = nameA.equals(holder);
            Cli.Outcome lost = (aHeld ? a : b).await();
            Cli.Outcome successor = (aHeld ? b : a).await();
            List<Db.Row> history = Db.history(db, schema);
            assertThat(Db.appliedTwice(history)).as("trial %d (seed %d): %s %s", trial, seed, lost, successor)
                    .isEmpty();
            assertThat(successor.exit()).as("trial %d: %s", trial, successor).isZero();
            assertThat(Db.count(db, "SELECT count(*) FROM " + schema + ".ledger")).as("trial %d", trial)
                    .isEqualTo(INSERTS);
            assertThat(Db.count(db, "SELECT count(DISTINCT v) FROM " + schema + ".ledger")).isEqualTo(INSERTS);
            if (lost.exit() != 0) {
                counted++;
                assertThat(holder).as("trial %d: only the terminated migrator fails: %s", trial, lost).isNotNull();
                assertThat(lost.exit()).as("trial %d: %s", trial, lost).isEqualTo(4);
                assertThat(lost.err()).as("trial %d", trial).contains("lost", "migration lock of schema " + schema)
                        .containsPattern("core/\\d+_(init|insert)");
            } else {
                // The first had finished (and let go of its lock) before the pause ended: nothing to take over.
                finishedFirst++;
            }
            Db.dropSchema(db, schema);
        }
        REPORT.line("lost-lock trials: " + trials + " (seed " + seed + "): the first migrator's lock backend"
                + " terminated mid-run in " + counted + ", the first had finished before the pause ended in "
                + finishedFirst + "; every trial: each of " + (INSERTS + 1) + " versions one success row, the ledger "
                + INSERTS + " distinct rows, the second migrator exit 0; " + Duration.ofNanos(System.nanoTime()
                - started).toMillis() / Math.max(1, trials) + " ms per trial");
        assertThat(counted).as("trials whose lock was taken over mid-run").isGreaterThanOrEqualTo(trials / 2);
    }

    private static List<String> args(TestDatabase db, Path project, String schema, String application) {
        return List.of("--url", Db.withApplicationName(db.url(), application), "--schema", schema, "--create-schema",
                "--migrator-wait", "2min", "-C", project.toString(), "up");
    }

    private static long ledgerRows(TestDatabase db, String schema) {
        try {
            return Db.tableExists(db, schema, "ledger") ? Db.count(db, "SELECT count(*) FROM " + schema + ".ledger") : 0;
        } catch (Exception e) {
            return 0; // created but not yet committed
        }
    }

    /** True once the migrator has tried for the lock without getting it, and is not migrating. */
    private static boolean waiting(TestDatabase db, String application) {
        try {
            return Db.count(db, "SELECT count(*) FROM pg_stat_activity s WHERE application_name = '" + application
                    + "' AND query LIKE '%pg_try_advisory_lock%' AND NOT EXISTS (SELECT 1 FROM pg_locks l"
                    + " WHERE l.pid = s.pid AND l.locktype = 'advisory' AND l.granted)") > 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
