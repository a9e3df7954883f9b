package dev.gearshift.postgres.engine;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations that run outside a transaction on PostgreSQL: CREATE INDEX CONCURRENTLY, its invalid indexes, and the
 * statements that need it. Failure and repair outside a transaction are the test kit's
 * ({@link PostgresNoTransactionTest}).
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class NoTransactionTest {

    @TempDir
    Path dir;

    @Test
    void createIndexConcurrentlyRunsOutsideATransaction(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int, email text);\nINSERT INTO one VALUES (1, 'a@x');")
                .write("a/2_idx.up.sql", "-- gearshift:no-transaction\n-- why: no write lock on a big table\n"
                        + "CREATE INDEX CONCURRENTLY one_email_idx ON one (lower(email));\n"
                        + "CREATE INDEX CONCURRENTLY one_id_idx ON one (id);\n")
                .write("a/2_idx.down.sql", "-- gearshift:no-transaction\nDROP INDEX CONCURRENTLY one_email_idx;\n"
                        + "DROP INDEX CONCURRENTLY one_id_idx;");

        Result result = project.gearshift().up();

        assertThat(result.applied()).hasSize(2);
        assertThat(project.column("SELECT c.relname || ' ' || i.indisvalid FROM pg_index i JOIN pg_class c"
                + " ON c.oid = i.indexrelid WHERE c.relnamespace = '<schema>'::regnamespace ORDER BY 1"))
                .contains("one_email_idx true", "one_id_idx true");
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up started", "a/2 up success");
        assertThat(project.gearshift().status().isCurrent()).isTrue();

        project.gearshift().down(dev.gearshift.Target.latest());
        assertThat(project.column("SELECT relname FROM pg_class WHERE relname LIKE 'one_%_idx'"
                + " AND relnamespace = '<schema>'::regnamespace")).isEmpty();
    }

    @Test
    void aFailedUniqueIndexBuildNamesTheInvalidIndexAndRepairDropsItWhenAsked(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int, email text);\n"
                        + "INSERT INTO one VALUES (1, 'a@x'), (2, 'a@x');")
                .write("a/2_idx.up.sql", "-- gearshift:no-transaction\n"
                        + "CREATE UNIQUE INDEX CONCURRENTLY one_email_key ON one (email);\n");

        GearshiftException failed = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(failed.getMessage()).contains("could not create unique index", "invalid index",
                "one_email_key", "repair");
        db.execute("DELETE FROM \"" + project.schema + "\".one WHERE id = 2");
        dev.gearshift.Repair listed = project.gearshift().repair();
        assertThat(listed.cleared()).containsExactly("a/2_idx");
        assertThat(listed.invalidIndexes()).containsExactly("one_email_key");
        assertThat(listed.droppedIndexes()).isEmpty();
        assertThat(project.column("SELECT relname FROM pg_class WHERE relname = 'one_email_key'"
                + " AND relnamespace = '<schema>'::regnamespace")).hasSize(1);

        dev.gearshift.Repair dropped = project.gearshift().repairDroppingInvalidIndexes();

        assertThat(dropped.droppedIndexes()).containsExactly("one_email_key");
        assertThat(dropped.invalidIndexes()).isEmpty();
        project.gearshift().up();
        assertThat(project.gearshift().status().isCurrent()).isTrue();
        assertThat(project.column("SELECT c.relname || ' ' || i.indisvalid FROM pg_index i JOIN pg_class c"
                + " ON c.oid = i.indexrelid WHERE c.relnamespace = '<schema>'::regnamespace ORDER BY 1"))
                .contains("one_email_key true").noneMatch(index -> index.endsWith(" false"));
    }

    @Test
    void aTransactionalMigrationWithCreateIndexConcurrentlyIsRefusedBeforeAnythingRuns(TestDatabase db)
            throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int);")
                .write("a/2_idx.up.sql", "SELECT 1;\n\nCREATE INDEX CONCURRENTLY one_idx ON one (id);");

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.NEEDS_NO_TRANSACTION);

        assertThat(e.problems()).singleElement().satisfies(p ->
                assertThat(p.location()).isEqualTo(project.location("a/2_idx.up.sql") + ":3:1"));
        assertThat(e.getMessage()).contains("gearshift:no-transaction");
        assertThat(db.schemaExists(project.schema)).isFalse();
    }

    @Test
    void transactionControlInATransactionalMigrationIsRefusedBeforeAnythingRuns(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int);")
                .write("a/2_two.up.sql", "BEGIN;\nCREATE TABLE two (id int);\nCOMMIT;\n");

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.TRANSACTION_CONTROL);

        assertThat(e.problems()).extracting(Problem::location).containsExactly(
                project.location("a/2_two.up.sql") + ":1:1", project.location("a/2_two.up.sql") + ":3:1");
        assertThat(db.schemaExists(project.schema)).isFalse();
    }
}
