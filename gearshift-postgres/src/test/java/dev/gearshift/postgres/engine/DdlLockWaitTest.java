package dev.gearshift.postgres.engine;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.StoreFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL's lock_timeout under the DDL lock timeout: which setting wins, where it binds, and no retry outside a
 * transaction. The retries behind a long reader are the test kit's ({@link PostgresDdlLockWaitTest}).
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class DdlLockWaitTest {

    @TempDir
    Path dir;

    private TestProject withTable(TestDatabase db) {
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        project.gearshift().up();
        return project;
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
        try (StoreFixture.Reader reader = new PostgresFixture(db).read(project.schema, "one")) {
            GearshiftException e = failure(() -> project.configure().ddlLockRetries(5).build().up(),
                    ErrorCode.MIGRATION_FAILED, null);
            assertThat(e.getMessage()).contains("lock timeout", "repair").doesNotContain("run again");
        }
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up started", "a/2 up failed");
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
