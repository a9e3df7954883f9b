package dev.gearshift.postgres.engine;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Result;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.Outcomes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration's DDL queued behind a long reader: bounded by the DDL lock timeout, rolled back and run again with
 * backoff (transactional migrations only), recorded once, and, when the retries run out, failing with the name of
 * the session it waited for.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class DdlLockWaitTest {

    @TempDir
    Path dir;

    /** A reader whose open transaction holds ACCESS SHARE on {@code table}, which ALTER TABLE must wait for. */
    private static Connection longReader(TestDatabase db, TestProject project, String table) throws Exception {
        Connection reader = db.connect();
        reader.setAutoCommit(false);
        try (Statement statement = reader.createStatement()) {
            statement.execute("SET application_name = 'long-report'");
            statement.execute("SELECT count(*) FROM \"" + project.schema + "\"." + table);
        }
        return reader;
    }

    private static int pid(Connection connection) throws Exception {
        return connection.unwrap(org.postgresql.PGConnection.class).getBackendPID(); // no query: the reader's stays
    }

    /** Rows whose {@code follows} is not the row before them: 0 when the fenced chain is whole. */
    private static String brokenLinks(TestProject project) throws Exception {
        String h = "<schema>." + Gearshift.HISTORY_TABLE;
        return project.column("SELECT count(*) FROM " + h + " x WHERE x.follows IS DISTINCT FROM"
                + " coalesce((SELECT max(id) FROM " + h + " y WHERE y.id < x.id), 0)").get(0);
    }

    private TestProject withTable(TestDatabase db) {
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        project.gearshift().up();
        return project;
    }

    @Test
    void aMigrationBehindALongReaderIsRetriedUntilItGetsItsLockAndRecordedOnce(TestDatabase db) throws Exception {
        TestProject project = withTable(db);
        project.write("a/2_alter.up.sql", "ALTER TABLE one ADD COLUMN c int;");
        Result result;
        try (Connection reader = longReader(db, project, "one")) {
            CompletableFuture<Void> readerEnds = CompletableFuture.runAsync(() -> {
                try {
                    reader.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));

            result = project.configure().ddlLockTimeout(Duration.ofMillis(200)).ddlLockRetries(10).build().up();
            readerEnds.join();
        }

        assertThat(result.applied()).hasSize(1);
        assertThat(result.notes()).anySatisfy(note -> assertThat(note).contains("a/2_alter", "gave up waiting for a"
                + " table lock", "run again"));
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success");
        assertThat(brokenLinks(project)).isEqualTo("0");
        project.write("a/3_three.up.sql", "CREATE TABLE three (id int);");
        project.gearshift().up();
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success", "a/3 up success");
        assertThat(brokenLinks(project)).isEqualTo("0");
    }

    @Test
    void whenTheRetriesRunOutTheErrorNamesTheSessionItWaitedFor(TestDatabase db) throws Exception {
        TestProject project = withTable(db);
        project.write("a/2_alter.up.sql", "ALTER TABLE one ADD COLUMN c int;");
        GearshiftException e;
        int readerPid;
        try (Connection reader = longReader(db, project, "one")) {
            readerPid = pid(reader);
            e = failure(() -> project.configure().ddlLockTimeout(Duration.ofMillis(300)).ddlLockRetries(1).build()
                    .up(), ErrorCode.MIGRATION_FAILED, null);
        }

        assertThat(e.getMessage()).contains("a/2_alter", "canceling statement due to lock timeout",
                "gave up waiting for a lock 2 times", "pid " + readerPid, "long-report", "idle in transaction",
                "SELECT count(*)");
        // The failed attempts left no row; the last is recorded once, as rolled back, as any failure is.
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up rolled-back");
        assertThat(brokenLinks(project)).isEqualTo("0");
        assertThat(project.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                + project.schema + "' AND table_name = 'one'")).containsExactly("id");
        project.gearshift().up();
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up rolled-back", "a/2 up success");
        assertThat(brokenLinks(project)).isEqualTo("0");
    }

    @Test
    void byDefaultDdlDoesNotWaitForEver(TestDatabase db) throws Exception {
        TestProject project = withTable(db);
        project.write("a/2_alter.up.sql", "ALTER TABLE one ADD COLUMN c int;");
        long started = System.nanoTime();
        try (Connection reader = longReader(db, project, "one")) {
            // statement_timeout only keeps the test from hanging should there be no default
            GearshiftException e = failure(() -> project.configure().ddlLockRetries(0)
                    .setting("statement_timeout", "20s").build().up(), ErrorCode.MIGRATION_FAILED, null);
            assertThat(e.getMessage()).contains("lock timeout");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Gearshift.DDL_LOCK_TIMEOUT,
                Duration.ofSeconds(15));
    }

    @Test
    void anExplicitLockTimeoutWinsOverTheDdlLockTimeout(TestDatabase db) throws Exception {
        TestProject project = withTable(db);
        project.write("a/2_check.up.sql", "DO $$ BEGIN IF current_setting('lock_timeout') <> '123ms' THEN"
                + " RAISE EXCEPTION 'lock_timeout is %', current_setting('lock_timeout'); END IF; END $$;");

        project.configure().ddlLockTimeout(Duration.ofSeconds(30)).setting("lock_timeout", "123ms").build().up();

        project.write("a/3_check.up.sql", "-- gearshift:set lock_timeout=77ms\nDO $$ BEGIN IF"
                + " current_setting('lock_timeout') <> '77ms' THEN RAISE EXCEPTION 'lock_timeout is %',"
                + " current_setting('lock_timeout'); END IF; END $$;");
        project.configure().ddlLockTimeout(Duration.ofSeconds(30)).build().up();
        assertThat(project.gearshift().status().isCurrent()).isTrue();
    }

    @Test
    void theDdlLockTimeoutComesFromGearshiftYamlAndBindsOnlyTransactionalMigrations(TestDatabase db)
            throws Exception {
        TestProject project = new TestProject(db, dir).yaml("ddl_lock_timeout: 250ms\nddl_lock_retries: 0\n")
                .write("a/1_check.up.sql", "DO $$ BEGIN IF current_setting('lock_timeout') <> '250ms' THEN"
                        + " RAISE EXCEPTION 'lock_timeout is %', current_setting('lock_timeout'); END IF; END $$;")
                // an index build cut off half-way leaves an invalid index: the server's own wait stays
                .write("a/2_outside.up.sql", "-- gearshift:no-transaction\nDO $$ BEGIN IF"
                        + " current_setting('lock_timeout') <> '0' THEN RAISE EXCEPTION 'lock_timeout is %',"
                        + " current_setting('lock_timeout'); END IF; END $$;");

        project.gearshift().up();

        assertThat(project.gearshift().status().isCurrent()).isTrue();
    }

    @Test
    void aNoTransactionMigrationIsNeverRetried(TestDatabase db) throws Exception {
        TestProject project = withTable(db);
        project.write("a/2_alter.up.sql", "-- gearshift:no-transaction\n-- gearshift:set lock_timeout=100ms\n"
                + "ALTER TABLE one ADD COLUMN c int;");
        try (Connection reader = longReader(db, project, "one")) {
            GearshiftException e = failure(() -> project.configure().ddlLockRetries(5).build().up(),
                    ErrorCode.MIGRATION_FAILED, null);
            assertThat(e.getMessage()).contains("lock timeout", "repair").doesNotContain("run again");
        }
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up started", "a/2 up failed");
    }

    @Test
    void aSingleTransactionRunIsRetriedWholeFromItsStart(TestDatabase db) throws Exception {
        TestProject project = withTable(db);
        project.write("a/2_two.up.sql", "CREATE TABLE two (id int);")
                .write("a/3_alter.up.sql", "ALTER TABLE one ADD COLUMN c int;");
        Result result;
        try (Connection reader = longReader(db, project, "one")) {
            CompletableFuture<Void> readerEnds = CompletableFuture.runAsync(() -> {
                try {
                    reader.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));

            result = project.configure().singleTransaction(true).ddlLockTimeout(Duration.ofMillis(200))
                    .ddlLockRetries(10).build().up();
            readerEnds.join();
        }

        assertThat(result.applied()).hasSize(2);
        assertThat(result.notes()).anySatisfy(note -> assertThat(note).contains("run again from its start"));
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success", "a/3 up success");
        assertThat(brokenLinks(project)).isEqualTo("0");
    }

    @Test
    void theOldNameOfTheMigratorWaitIsStillReadWithANote(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).yaml("lock_timeout: 30s\n")
                .write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        assertThat(project.configure().deprecations()).singleElement().asString()
                .contains("lock_timeout is deprecated", "migrator_wait");
        project.gearshift().up();

        project.yaml("lock_timeout: 30s\nmigrator_wait: 10s\n");
        assertThat(failure(() -> project.gearshift(), ErrorCode.USAGE, null).getMessage())
                .contains("keep migrator_wait only");
    }
}
