package dev.gearshift.postgres.engine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Result;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migrator that loses its lock must never commit beside the one that takes the lock over: every version is
 * applied once, whatever ends the lock's session and whenever.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class LostLockTest {

    private static final int SLOW_MIGRATIONS = 20;

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, SECONDS)).isTrue();
    }

    /** The reproduction: 1 + 20 migrations that each insert their number and sleep 0.1 s. */
    private TestProject ledger(TestDatabase db) {
        TestProject project = new TestProject(db, dir).write("core/1_init.up.sql", "CREATE TABLE ledger (v int);\n");
        for (int v = 2; v <= SLOW_MIGRATIONS + 1; v++) {
            project.write("core/" + v + "_insert.up.sql", "INSERT INTO ledger VALUES (" + v + ");\nSELECT pg_sleep(0.1);\n");
        }
        return project;
    }

    private static String applicationUrl(TestDatabase db, String name) {
        return db.url() + (db.url().contains("?") ? "&" : "?") + "ApplicationName=" + name;
    }

    @Test
    void terminatingTheLocksSessionStopsTheRunAndTheNextMigratorAppliesEachVersionOnce(TestDatabase db)
            throws Exception {
        TestProject project = ledger(db);
        Gearshift first = project.configure().url(applicationUrl(db, "gs-first")).build();
        Future<Result> firstRun = threads.submit(() -> first.up());
        awaitLedgerRows(project, 3);
        Future<Result> secondRun = threads.submit(() -> project.configure().url(applicationUrl(db, "gs-second"))
                .migratorWait(Duration.ofMinutes(1)).build().up());
        // The second migrator is waiting for the lock when the first one's session is terminated.
        awaitQuery(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gs-second'"
                + " AND query LIKE '%pg_try_advisory_lock%'");
        assertThat(db.column("SELECT pg_terminate_backend(l.pid)::text FROM pg_locks l JOIN pg_stat_activity a"
                + " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'gs-first'"))
                .as("the first migrator held the lock").containsExactly("true");

        Throwable failure = catchThrowable(() -> unwrap(firstRun));
        assertThat(failure).as("the first run failed").isInstanceOf(GearshiftException.class);
        GearshiftException lost = (GearshiftException) failure;
        assertThat(lost.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(lost.getMessage()).contains("lost", "migration lock of schema " + project.schema,
                "it was rolled back").containsPattern("core/\\d+_insert");
        Result second = secondRun.get(60, SECONDS);
        assertThat(second.applied()).isNotEmpty();

        List<String> successes = project.column("SELECT module || '/' || version FROM <schema>." + Gearshift.HISTORY_TABLE
                + " WHERE action = 'up' AND outcome = 'success' GROUP BY module, version HAVING count(*) > 1");
        assertThat(successes).as("versions with two success rows").isEmpty();
        assertThat(project.column("SELECT count(*) || ' ' || count(DISTINCT v) FROM <schema>.ledger"))
                .containsExactly(SLOW_MIGRATIONS + " " + SLOW_MIGRATIONS);
    }

    @Test
    void aMigratorWhoseLockWasReleasedBehindItsBackCannotCommitBesideTheNextOne(TestDatabase db) throws Exception {
        // Migration 2 lets go of every advisory lock its session holds (as a script may, by mistake), then
        // works on: the lock no longer protects it, and a second migrator takes the lock and runs migration 2
        // too. Only the history's fence stands between them and a double apply.
        TestProject project = new TestProject(db, dir)
                .write("core/1_init.up.sql", "CREATE TABLE ledger (v int);\n")
                .write("core/2_unlocks.up.sql", "SELECT pg_advisory_unlock_all();\nINSERT INTO ledger VALUES (2);\n"
                        + "SELECT pg_sleep(1);\n")
                .write("core/3_last.up.sql", "INSERT INTO ledger VALUES (3);\n");
        project.gearshift().up(dev.gearshift.Target.version(1));
        List<Future<Result>> runs = List.of(threads.submit(() -> project.gearshift().up()),
                threads.submit(() -> {
                    awaitQuery(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1)%'"
                            + " AND state = 'active' AND pid <> pg_backend_pid()");
                    return project.configure().migratorWait(Duration.ofMinutes(1)).build().up();
                }));
        int failed = 0;
        for (Future<Result> run : runs) {
            try {
                run.get(60, SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                GearshiftException error = (GearshiftException) e.getCause();
                assertThat(error.code()).as(error.getMessage()).isEqualTo(ErrorCode.LOCK_LOST);
                assertThat(error.getMessage()).contains("another migrator wrote to the history", "core/2_unlocks",
                        "rolled back", "Nothing was applied twice");
                failed++;
            }
        }
        assertThat(failed).as("one of the two migrators was refused").isEqualTo(1);
        assertThat(project.column("SELECT v FROM <schema>.ledger ORDER BY v")).containsExactly("2", "3");
        assertThat(project.column("SELECT version || ' ' || count(*) FROM <schema>." + Gearshift.HISTORY_TABLE
                + " WHERE action = 'up' AND outcome = 'success' GROUP BY version ORDER BY version"))
                .containsExactly("1 1", "2 1", "3 1");
    }

    @Test
    void aHistoryTableFromBeforeTheFenceGetsItAndKeepsItsRows(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("core/1_one.up.sql", "CREATE TABLE one (id int);\n")
                .write("core/2_two.up.sql", "CREATE TABLE two (id int);\n");
        project.gearshift().up(dev.gearshift.Target.version(1));
        db.execute("ALTER TABLE \"" + project.schema + "\"." + Gearshift.HISTORY_TABLE + " DROP COLUMN follows");

        assertThat(project.gearshift().status().modules().get(0).current()).contains(Version.of(1));
        project.gearshift().up();

        assertThat(project.column("SELECT version || ' ' || coalesce(follows::text, '-') FROM <schema>."
                + Gearshift.HISTORY_TABLE + " ORDER BY id"))
                .as("the old row keeps no predecessor; the new one follows it")
                .hasSize(2).first().isEqualTo("1 -");
        assertThat(project.column("SELECT count(*) FROM <schema>." + Gearshift.HISTORY_TABLE
                + " h JOIN <schema>." + Gearshift.HISTORY_TABLE + " p ON h.follows = p.id")).containsExactly("1");
    }

    private static Result unwrap(Future<Result> run) throws Exception {
        try {
            return run.get(60, SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static void awaitLedgerRows(TestProject project, int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (project.tableExists("ledger")
                    && Integer.parseInt(project.column("SELECT count(*) FROM <schema>.ledger").get(0)) >= rows) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the ledger never reached " + rows + " rows");
    }

    private static void awaitQuery(TestDatabase db, String countQuery) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Integer.parseInt(db.column(countQuery).get(0)) > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never true: " + countQuery);
    }
}
