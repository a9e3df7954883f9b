package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the database itself: the server stopped and started again in the middle of a run (a PostgreSQL of
 * the test's own, never the shared one), and session settings that cancel statements: statement_timeout and
 * lock_timeout, per run ({@code --set}) and per migration ({@code -- gearshift:set}).
 */
@ExtendWith(PostgresExtension.class)
class DatabaseFaultTest {

    private static final Report REPORT = Report.of(DatabaseFaultTest.class);

    @Test
    void serverRestartedInTheMiddleOfAMigrationLeavesNothingHalfDone(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        int port = freePort();
        Path project = dir.resolve("project");
        Projects.write(project.resolve("migrations/core/1_first.up.sql"), "CREATE TABLE first (id integer);\n");
        Projects.write(project.resolve("migrations/core/2_slow.up.sql"),
                "CREATE TABLE slow_work (id integer);\nINSERT INTO slow_work VALUES (1);\nSELECT pg_sleep(3);\n");
        Projects.write(project.resolve("migrations/core/3_last.up.sql"), "CREATE TABLE last (id integer);\n");
        Projects.write(project.resolve("migrations/ops/1_build_index.up.sql"), "-- gearshift:no-transaction\n"
                + "CREATE TABLE ops_log (id integer);\nSELECT pg_sleep(3);\nCREATE INDEX CONCURRENTLY ops_log_id ON ops_log (id);\n");

        EmbeddedPostgres server = start(port, data);
        try {
            TestDatabase db = new TestDatabase(server.getJdbcUrl("postgres", "postgres"));
            String url = Db.withApplicationName(db.url(), "gs-fault");
            long started = System.nanoTime();

            // 1. A transactional migration: the server stops while it runs.
            Cli.Running run = Cli.start("--url", url, "--schema", "app", "--create-schema", "-C", project.toString(),
                    "up", "--module", "core");
            awaitStatement(db, "SELECT pg_sleep(3)");
            server.close();
            Cli.Outcome failed = run.await();
            server = start(port, data);
            assertThat(failed.exit()).as("%s", failed).isIn(1, 4);
            assertThat(failed.err()).as("%s", failed).contains("core/2_slow").containsIgnoringCase("connection")
                    .contains("lost").contains("terminating connection due to administrator command");
            assertThat(Db.tableExists(db, "app", "first")).isTrue();
            assertThat(Db.tableExists(db, "app", "slow_work")).as("no part of the interrupted migration").isFalse();
            assertThat(Db.tableExists(db, "app", "last")).isFalse();
            Map<String, String> state = Db.stateFromHistory(Db.history(db, "app"));
            assertThat(state).containsOnly(Map.entry("core/1", "applied"));
            Cli.Outcome rerun = Cli.run("--url", url, "--schema", "app", "-C", project.toString(), "up", "--module",
                    "core");
            assertThat(rerun.exit()).as("%s", rerun).isZero();
            assertThat(Db.count(db, "SELECT count(*) FROM app.slow_work")).isEqualTo(1);
            assertThat(Db.tableExists(db, "app", "last")).isTrue();
            REPORT.line("server stopped (pg_ctl stop -m fast) during a transactional migration: exit " + failed.exit()
                    + ", no part of it applied, no success row; restarted, re-run exit 0");
            REPORT.line("  error as printed: " + failed.err().strip().replace("\n", "\n  "));

            // 2. A no-transaction migration: the server stops while it runs. It stays marked unfinished, so the
            // next run refuses until a person has looked at it and run repair.
            run = Cli.start("--url", url, "--schema", "app", "-C", project.toString(), "up");
            awaitStatement(db, "SELECT pg_sleep(3)");
            server.close();
            failed = run.await();
            server = start(port, data);
            assertThat(failed.exit()).as("%s", failed).isIn(1, 4);
            assertThat(failed.err()).as("%s", failed).contains("ops/1_build_index").contains("lost");
            Cli.Outcome refused = Cli.run("--url", url, "--schema", "app", "-C", project.toString(), "up");
            assertThat(refused.exit()).as("%s", refused).isEqualTo(2);
            assertThat(refused.err()).as("%s", refused).contains("ops/1").contains("gearshift repair");
            // What a person does: look, undo the partial work, repair, run again.
            db.execute("DROP TABLE app.ops_log");
            Cli.Outcome repair = Cli.run("--url", url, "--schema", "app", "-C", project.toString(), "repair");
            assertThat(repair.exit()).as("%s", repair).isZero();
            rerun = Cli.run("--url", url, "--schema", "app", "-C", project.toString(), "up");
            assertThat(rerun.exit()).as("%s", rerun).isZero();
            assertThat(Db.invalidIndexes(db, "app")).isEmpty();
            assertThat(Db.stateFromHistory(Db.history(db, "app"))).hasSize(4).containsValue("applied")
                    .doesNotContainValue("failed");
            REPORT.line("server stopped during a no-transaction migration: exit " + failed.exit() + "; the next `up`"
                    + " refused (exit " + refused.exit() + ") naming it and `gearshift repair`; after undo + repair,"
                    + " re-run exit 0");
            REPORT.line("  refusal as printed: " + refused.err().strip().replace("\n", "\n  "));
            REPORT.line("two restarts of a PostgreSQL of the test's own: "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } finally {
            server.close();
        }
    }

    @Test
    void statementTimeoutPerRunCancelsTheMigrationAndRollsItBack(TestDatabase db, @TempDir Path dir) throws Exception {
        Path project = dir.resolve("project");
        Projects.write(project.resolve("migrations/core/1_quick.up.sql"), "CREATE TABLE quick (id integer);\n");
        Projects.write(project.resolve("migrations/core/2_sleepy.up.sql"),
                "CREATE TABLE sleepy (id integer);\nSELECT pg_sleep(2);\n");
        String schema = db.newSchema();
        Cli.Outcome outcome = Cli.run("--url", db.url(), "--schema", schema, "--create-schema", "-C",
                project.toString(), "--set", "statement_timeout=200ms", "up");
        assertThat(outcome.exit()).as("%s", outcome).isEqualTo(1);
        assertThat(outcome.err()).as("%s", outcome).contains("core/2_sleepy").contains("2_sleepy.up.sql:2:")
                .contains("canceling statement due to statement timeout");
        assertThat(Db.stateFromHistory(Db.history(db, schema))).containsOnly(Map.entry("core/1", "applied"));
        assertThat(Db.tableExists(db, schema, "sleepy")).isFalse();
        REPORT.line("--set statement_timeout=200ms, a migration sleeping 2 s: exit " + outcome.exit()
                + ", earlier migration applied, the slow one rolled back; " + outcome.took().toMillis() + " ms");
        REPORT.line("  error as printed: " + firstLines(outcome.err(), 3));
        Db.dropSchema(db, schema);
    }

    @Test
    void statementTimeoutDirectiveAppliesToItsMigrationOnly(TestDatabase db, @TempDir Path dir) throws Exception {
        Path project = dir.resolve("project");
        Projects.write(project.resolve("migrations/core/1_bounded.up.sql"),
                "-- gearshift:set statement_timeout=200ms\nSELECT pg_sleep(0.05);\nCREATE TABLE bounded (id integer);\n");
        // Longer than the first one's limit: passes only if that limit ended with its migration.
        Projects.write(project.resolve("migrations/core/2_unbounded.up.sql"),
                "SELECT pg_sleep(0.4);\nCREATE TABLE unbounded (id integer);\n");
        Projects.write(project.resolve("migrations/core/3_too_slow.up.sql"),
                "-- gearshift:set statement_timeout=200ms\nCREATE TABLE too_slow (id integer);\nSELECT pg_sleep(2);\n");
        String schema = db.newSchema();
        Cli.Outcome outcome = Cli.run("--url", db.url(), "--schema", schema, "--create-schema", "-C",
                project.toString(), "up");
        assertThat(outcome.exit()).as("%s", outcome).isEqualTo(1);
        assertThat(outcome.err()).as("%s", outcome).contains("core/3_too_slow").contains("3_too_slow.up.sql:3:")
                .contains("canceling statement due to statement timeout");
        assertThat(Db.stateFromHistory(Db.history(db, schema)))
                .containsOnly(Map.entry("core/1", "applied"), Map.entry("core/2", "applied"));
        assertThat(Db.tableExists(db, schema, "too_slow")).isFalse();
        REPORT.line("-- gearshift:set statement_timeout=200ms on one migration: it is cancelled (exit " + outcome.exit()
                + "), the migration after a limited one is not limited");
        Db.dropSchema(db, schema);
    }

    @Test
    void lockTimeoutCancelsAMigrationBlockedByAnotherTransaction(TestDatabase db, @TempDir Path dir) throws Exception {
        Path project = dir.resolve("project");
        Projects.write(project.resolve("migrations/core/1_accounts.up.sql"), "CREATE TABLE accounts (id integer);\n");
        Projects.write(project.resolve("migrations/core/2_note.up.sql"),
                "ALTER TABLE accounts ADD COLUMN note text;\n");
        String schema = db.newSchema();
        List<String> common = List.of("--url", db.url(), "--schema", schema, "--create-schema", "-C",
                project.toString());
        Cli.Outcome first = Cli.run(concat(common, "up", "--to", "1"));
        assertThat(first.exit()).as("%s", first).isZero();
        String before = db.snapshot(schema);

        Cli.Outcome outcome;
        try (Connection reader = db.connect(); Statement statement = reader.createStatement()) {
            // A long report reading the table: its transaction holds ACCESS SHARE, which ALTER TABLE must wait for.
            reader.setAutoCommit(false);
            statement.execute("LOCK TABLE " + schema + ".accounts IN ACCESS SHARE MODE");
            outcome = Cli.run(concat(common, "--set", "lock_timeout=200ms", "up"));
            reader.rollback();
        }
        assertThat(outcome.exit()).as("%s", outcome).isEqualTo(1);
        assertThat(outcome.err()).as("%s", outcome).contains("core/2_note").contains("2_note.up.sql:1:")
                .contains("canceling statement due to lock timeout");
        assertThat(db.snapshot(schema)).isEqualTo(before);
        Cli.Outcome rerun = Cli.run(concat(common, "--set", "lock_timeout=200ms", "up"));
        assertThat(rerun.exit()).as("%s", rerun).isZero();
        REPORT.line("--set lock_timeout=200ms, ALTER TABLE blocked by another open transaction: exit " + outcome.exit()
                + ", schema unchanged; once the transaction ended, re-run exit 0");
        REPORT.line("  error as printed: " + firstLines(outcome.err(), 3));
        Db.dropSchema(db, schema);
    }

    private static List<String> concat(List<String> common, String... more) {
        List<String> args = new java.util.ArrayList<>(common);
        args.addAll(List.of(more));
        return args;
    }

    private static String firstLines(String text, int lines) {
        return String.join(" | ", text.strip().lines().limit(lines).toList());
    }

    private static EmbeddedPostgres start(int port, Path data) throws IOException {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Waits (bounded) until a backend of the CLI runs this statement. */
    private static void awaitStatement(TestDatabase db, String sql) throws InterruptedException {
        Db.await("a backend running " + sql, Duration.ofMinutes(1), () -> {
            try {
                return Db.count(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gs-fault'"
                        + " AND state = 'active' AND query LIKE '" + sql + "%'") > 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
