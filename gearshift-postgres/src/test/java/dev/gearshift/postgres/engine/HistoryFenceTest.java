package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history table's fence against a migrator that lost its lock, as PostgreSQL keeps it: a table from before the
 * fence gets its column. The lost-lock behaviour itself is the test kit's ({@link PostgresLostLockTest}).
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class HistoryFenceTest {

    @TempDir
    Path dir;

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
}
