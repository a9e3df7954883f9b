package dev.gearshift.postgres.engine;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How migrations run on PostgreSQL: its errors placed in their scripts, durable commits, settings and placeholders.
 * The store-neutral behaviours (rollback, single transaction, dry run) are the test kit's
 * ({@link PostgresExecutionTest}).
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class ExecutionTest {

    @TempDir
    Path dir;

    private static final String FAILING_MIDDLE = """
            CREATE TABLE three (id int);
            INSERT INTO three VALUES (1);
            SELECT id,
                   id + 1,
                   no_such_column
              FROM three;
            CREATE TABLE four (id int);
            """;

    /** Where PostgreSQL places the error, inside a statement of several lines; the rollback is the kit's. */
    @Test
    void aFailingStatementSaysWhereAndWhy(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int);")
                .write("a/2_bad.up.sql", FAILING_MIDDLE);

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        // Line 5, column 8: where no_such_column is, inside the statement that starts on line 3.
        assertThat(e.getMessage()).contains(
                "a/2_bad failed at " + project.location("a/2_bad.up.sql") + ":5:8",
                "statement: SELECT id,",
                "column \"no_such_column\" does not exist",
                "rolled back");
        assertThat(project.gearshift().history().get(1).error()).contains("no_such_column");
    }

    @Test
    void theErrorCarriesPostgresDetail(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int PRIMARY KEY);\n"
                        + "INSERT INTO one VALUES (1);\n\nINSERT INTO one\n    VALUES (1);\n");

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/1_one.up.sql") + ":4:1",
                "statement: INSERT INTO one",
                "duplicate key value violates unique constraint \"one_pkey\"",
                "DETAIL: Key (id)=(1) already exists.");
        assertThat(project.tableExists("one")).isFalse();
    }

    @Test
    void theErrorCarriesPostgresHintAndThePositionInAMultiLineStatement(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "-- a comment line\nCREATE TABLE one (id int);\n  SELECT 1,\n"
                        + "         2,\n         lower(42);\n");

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/1_one.up.sql") + ":5:10",
                "statement: SELECT 1,",
                "function lower(integer) does not exist",
                "HINT: No function matches the given name and argument types.");
    }

    @Test
    void thePositionIsRightAfterCommentsBetweenStatements(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int); -- trailing\n\n/* a block\n   comment */\n"
                        + "-- and a line comment\nINSERT INTO one\n  SELECT id\n  FROM one\n  WHERE nope = 1;\n");

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/1_one.up.sql") + ":9:9",
                "statement: INSERT INTO one", "column \"nope\" does not exist");
    }

    @Test
    void thePositionCountsCharactersBeyondTheBasicPlaneAsOne(TestDatabase db) throws Exception {
        // PostgreSQL's error position counts characters; an emoji is one character but two Java chars.
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "-- labels 😀\nSELECT '😀🎉',\n       no_such_column;\n");

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/1_one.up.sql") + ":3:8",
                "column \"no_such_column\" does not exist");
    }

    @Test
    void onlyTheRunsLastMigrationWaitsForTheDiskAndItMakesTheEarlierOnesDurable(TestDatabase db) throws Exception {
        String record = "INSERT INTO seen SELECT %d, current_setting('synchronous_commit');";
        // Sessions that default to not waiting for the disk, as on zonky's embedded server: the engine must not
        // trust that default.
        TestDatabase relaxed = new TestDatabase(db.url() + (db.url().contains("?") ? "&" : "?")
                + "options=-c%20synchronous_commit%3Doff");
        TestProject project = new TestProject(relaxed, dir)
                .write("a/1_one.up.sql", "CREATE TABLE seen (version int, synchronous_commit text);\n"
                        + record.formatted(1))
                .write("a/2_two.up.sql", record.formatted(2))
                .write("a/3_three.up.sql", record.formatted(3));

        project.gearshift().up();

        // PostgreSQL flushes its log in order: the last, synchronous commit flushes the two before it.
        assertThat(project.column("SELECT version || ' ' || synchronous_commit FROM <schema>.seen ORDER BY version"))
                .containsExactly("1 off", "2 off", "3 on");
        // The setting was local to each migration's transaction: the session is as it was.
        project.write("a/4_four.up.sql", record.formatted(4)).write("a/5_five.up.sql", record.formatted(5));
        project.gearshift().up();
        assertThat(project.column("SELECT version || ' ' || synchronous_commit FROM <schema>.seen ORDER BY version"))
                .containsExactly("1 off", "2 off", "3 on", "4 off", "5 on");
    }

    @Test
    void aFailureAfterACopyIsPlacedInItsOwnStatement(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int);\nCOPY one (id) FROM stdin;\n1\n2\n\\.\n"
                        + "INSERT INTO one VALUES (3);\nINSERT INTO one VALUES (3 / 0);\n")
                .write("a/2_two.up.sql", "CREATE TABLE two (id int);");

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/1_one.up.sql") + ":7:",
                "statement: INSERT INTO one VALUES (3 / 0)", "division by zero");
        assertThat(project.tableExists("one")).isFalse();
    }

    // ------------------------------------------------------------------ settings

    @Test
    void aStatementTimeoutDirectiveAppliesToItsMigrationOnly(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_short.up.sql", "-- gearshift:set statement_timeout=100ms\nSELECT 1;")
                .write("a/2_slower.up.sql", "SELECT pg_sleep(0.3);");
        assertThat(project.gearshift().up().applied()).hasSize(2);

        project.write("a/3_sleepy.up.sql", "-- gearshift:set statement_timeout=100ms\nSELECT pg_sleep(1);");
        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/3_sleepy.up.sql") + ":2:1",
                "canceling statement due to statement timeout");
    }

    @Test
    void aStatementTimeoutSettingForTheRunIsHonoured(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).write("a/1_sleepy.up.sql", "SELECT pg_sleep(1);");

        GearshiftException e = failure(() -> project.configure().setting("statement_timeout", "100ms").build().up(),
                ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains("canceling statement due to statement timeout");
        assertThat(project.historyRows()).containsExactly("a/1 up rolled-back");
    }

    @Test
    void aLockTimeoutDirectiveIsHonoured(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        project.gearshift().up();
        project.write("a/2_alter.up.sql", "-- gearshift:set lock_timeout=200ms\nALTER TABLE one ADD COLUMN c int;");

        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE \"" + project.schema + "\".one IN ACCESS EXCLUSIVE MODE");
            // The statement timeout only keeps the test from hanging should the directive be ignored.
            GearshiftException e = failure(() -> project.configure().setting("statement_timeout", "10s").build().up(),
                    ErrorCode.MIGRATION_FAILED, null);
            assertThat(e.getMessage()).contains("canceling statement due to lock timeout");
            holder.rollback();
        }
        assertThat(project.gearshift().status().module("a").orElseThrow().pending()).containsExactly(Version.of(2));
    }

    // ------------------------------------------------------------------ placeholders

    @Test
    void placeholdersAreReplacedFromTheBuilderAndTheProjectFile(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .yaml("placeholders:\n  table: from_yaml\n  suffix: things\n")
                .write("a/1_one.up.sql", "CREATE TABLE ${table}_${suffix} (id int);\n"
                        + "COMMENT ON TABLE ${table}_${suffix} IS 'made for ${table}';");

        project.configure().placeholder("table", "widgets").build().up();

        assertThat(project.tableExists("widgets_things")).isTrue();
        assertThat(project.column("SELECT obj_description('<schema>.widgets_things'::regclass)"))
                .containsExactly("made for widgets");
    }
}
