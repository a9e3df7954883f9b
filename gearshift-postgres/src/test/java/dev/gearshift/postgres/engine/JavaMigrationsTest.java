package dev.gearshift.postgres.engine;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.HistoryEntry;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A {@code .java} file migration working through its JDBC connection; the rest of Java migrations is the kit's. */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class JavaMigrationsTest {

    @TempDir
    Path dir;

    @Test
    void aJavaFileMigrationRunsBesideSqlFiles(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("core/1_one.up.sql", "CREATE TABLE one (id int);")
                .write("core/2_fill.java", """
                        import dev.gearshift.JavaMigration;
                        import dev.gearshift.MigrationContext;

                        public class Fill implements JavaMigration {
                            @Override
                            public void up(MigrationContext context) throws Exception {
                                context.connection().createStatement().execute(
                                        "INSERT INTO one SELECT generate_series(1, " + context.placeholders().get("n") + ")");
                            }
                        }
                        """);

        Result result = project.configure().placeholder("n", "3").build().up();

        assertThat(result.applied()).extracting(Result.Applied::name).containsExactly("one", "fill");
        assertThat(project.column("SELECT count(*) FROM <schema>.one")).containsExactly("3");
        assertThat(project.gearshift().history()).extracting(HistoryEntry::kind).containsExactly("sql", "java");
        // Without down(), it cannot be migrated down: found before anything is reverted.
        failure(() -> project.gearshift().down(Target.zero()), ErrorCode.VALIDATION, Problem.MISSING_DOWN);
        assertThat(project.column("SELECT count(*) FROM <schema>.one")).containsExactly("3");
    }
}
