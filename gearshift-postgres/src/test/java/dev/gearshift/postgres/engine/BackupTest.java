package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backup}: pg_dump gets exactly the target schema, whatever its name looks like as a pattern (that a backup
 * is written at all is the test kit's, {@link PostgresBackupTest}). The machine's pg_dump must be able to dump the
 * server, so these run only against {@code GEARSHIFT_TEST_PG_URL} (CI's PostgreSQL 15 pass): a pg_dump older than
 * an embedded server refuses it.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class BackupTest {

    @TempDir
    Path dir;

    @Test
    void aMixedCaseSchemaIsDumpedAloneNotItsLowerCaseTwin(TestDatabase db) throws Exception {
        PostgresExtension.assumeMachinePgDumpCanDump();
        TestProject project = new TestProject(db, dir).write("a/1_t.up.sql", "CREATE TABLE mine (id int);")
                .write("a/1_t.down.sql", "DROP TABLE mine;");
        String target = "Sec" + project.schema;
        String twin = target.toLowerCase();
        TestProject.DropSchemas.later(db, target);
        TestProject.DropSchemas.later(db, twin);
        db.execute("CREATE SCHEMA \"" + twin + "\"; CREATE TABLE \"" + twin + "\".theirs (secret text);"
                + " INSERT INTO \"" + twin + "\".theirs VALUES ('not yours')");
        Gearshift gs = project.configure().schema(target).build();
        gs.up();
        Path backup = dir.resolve("f.sql");

        project.configure().schema(target).backup(backup).build().down(Target.latest());

        String dump = Files.readString(backup);
        assertThat(dump).contains("CREATE SCHEMA \"" + target + "\";", "CREATE TABLE \"" + target + "\".mine")
                .doesNotContain("theirs", "not yours");
        assertThat(db.column("SELECT 1 FROM pg_tables WHERE schemaname = '" + target + "' AND tablename = 'mine'"))
                .isEmpty();
    }

    @Test
    void patternCharactersInASchemaNameAreTakenLiterally(TestDatabase db) throws Exception {
        PostgresExtension.assumeMachinePgDumpCanDump();
        TestProject project = new TestProject(db, dir).write("a/1_t.up.sql", "CREATE TABLE mine (id int);");
        String target = project.schema + ".x*";
        String lookalike = project.schema + "ax_other";
        TestProject.DropSchemas.later(db, target);
        TestProject.DropSchemas.later(db, lookalike);
        db.execute("CREATE SCHEMA \"" + target + "\"; CREATE SCHEMA \"" + lookalike + "\";"
                + " CREATE TABLE \"" + lookalike + "\".theirs (id int)");
        Path backup = dir.resolve("f.sql");

        project.configure().schema(target).backup(backup).build().up();

        assertThat(Files.readString(backup)).contains("CREATE SCHEMA \"" + target + "\";").doesNotContain("theirs");
    }
}
