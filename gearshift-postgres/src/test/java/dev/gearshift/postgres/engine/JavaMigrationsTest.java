package dev.gearshift.postgres.engine;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.Outcomes;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Java migrations: a static, ordered list registered through the API, and {@code .java} files. */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class JavaMigrationsTest {

    @TempDir
    Path dir;

    /** Logs each call in the target schema, so order and count are visible in the database. */
    abstract static class Logged implements JavaMigration {
        static void log(MigrationContext context, String what) throws Exception {
            try (Statement create = context.connection().createStatement()) {
                create.execute("CREATE TABLE IF NOT EXISTS job_log (id int GENERATED ALWAYS AS IDENTITY, what text)");
            }
            try (PreparedStatement insert = context.connection().prepareStatement(
                    "INSERT INTO job_log (what) VALUES (?)")) {
                insert.setString(1, what + " v" + context.version() + " " + context.module());
                insert.executeUpdate();
            }
        }

        @Override
        public void up(MigrationContext context) throws Exception {
            log(context, "up " + name());
        }

        @Override
        public void down(MigrationContext context) throws Exception {
            log(context, "down " + name());
        }
    }

    static final class A extends Logged {
    }

    static final class B extends Logged {
    }

    static final class C extends Logged {
    }

    /** Has no down(). */
    static final class NoDown implements JavaMigration {
        @Override
        public void up(MigrationContext context) throws Exception {
            Logged.log(context, "up NoDown");
        }
    }

    private TestProject project(TestDatabase db) {
        return new TestProject(db, dir);
    }

    private static Gearshift jobs(TestProject project, JavaMigration... list) {
        return Gearshift.configure().url(project.db.url()).schema(project.schema).createSchema(true)
                .java("jobs", List.of(list)).build();
    }

    private static List<String> log(TestProject project) throws Exception {
        return project.column("SELECT what FROM <schema>.job_log ORDER BY id");
    }

    @Test
    void appliedOnceInOrderWithTheirPositionsAsVersions(TestDatabase db) throws Exception {
        TestProject project = project(db);

        Result result = jobs(project, new A(), new B()).up();

        assertThat(result.applied()).extracting(a -> a.version() + " " + a.name()).containsExactly("1 A", "2 B");
        assertThat(log(project)).containsExactly("up A v1 jobs", "up B v2 jobs");
        List<HistoryEntry> history = jobs(project, new A(), new B()).history();
        assertThat(history).extracting(h -> h.version() + " " + h.name() + " " + h.kind() + " " + h.outcome())
                .containsExactly("1 A java success", "2 B java success");

        assertThat(jobs(project, new A(), new B()).up().applied()).isEmpty();
        assertThat(log(project)).hasSize(2);
        // Appending to the list is how a new migration is added.
        assertThat(jobs(project, new A(), new B(), new C()).up().applied()).extracting(Result.Applied::name)
                .containsExactly("C");
    }

    @Test
    void aReorderedListStopsBeforeDoingAnything(TestDatabase db) throws Exception {
        TestProject project = project(db);
        jobs(project, new A(), new B()).up();
        String before = project.snapshot();

        GearshiftException e = failure(() -> jobs(project, new B(), new A(), new C()).up(), ErrorCode.VALIDATION,
                Problem.NAME_MISMATCH);

        Problem first = e.problems().get(0);
        assertThat(first.code()).isEqualTo(Problem.NAME_MISMATCH);
        assertThat(first.message()).contains("version 1", "'A'", "'B'");
        assertThat(log(project)).containsExactly("up A v1 jobs", "up B v2 jobs"); // C did not run
        assertThat(project.snapshot()).isEqualTo(before);
    }

    @Test
    void aRenamedEntryIsAMismatch(TestDatabase db) throws Exception {
        TestProject project = project(db);
        jobs(project, new A(), new B()).up();

        GearshiftException e = failure(() -> jobs(project, new A(), new C()).up(), ErrorCode.VALIDATION,
                Problem.NAME_MISMATCH);

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("version 2", "'B'",
                "'C'"));
        assertThat(log(project)).hasSize(2);
    }

    @Test
    void aRemovedEntryIsMissing(TestDatabase db) throws Exception {
        TestProject project = project(db);
        jobs(project, new A(), new B()).up();

        GearshiftException e = failure(() -> jobs(project, new A()).up(), ErrorCode.VALIDATION,
                Problem.MISSING_APPLIED);

        assertThat(e.getMessage()).contains("jobs/2_B");
        assertThat(jobs(project, new A()).status().module("jobs").orElseThrow().missing()).containsExactly(2L);
    }

    @Test
    void downCallsDownInReverseOrder(TestDatabase db) throws Exception {
        TestProject project = project(db);
        Gearshift gs = jobs(project, new A(), new B());
        gs.up();

        Result down = gs.down(Target.zero());

        assertThat(down.applied()).extracting(Result.Applied::name).containsExactly("B", "A");
        assertThat(log(project)).containsExactly("up A v1 jobs", "up B v2 jobs", "down B v2 jobs", "down A v1 jobs");
        assertThat(gs.status().module("jobs").orElseThrow().pending()).containsExactly(1L, 2L);
    }

    @Test
    void aMigrationWithoutDownCannotBeMigratedDown(TestDatabase db) throws Exception {
        TestProject project = project(db);
        Gearshift gs = jobs(project, new A(), new NoDown(), new B());
        gs.up();

        GearshiftException e = failure(() -> gs.down(Target.zero()), ErrorCode.VALIDATION, Problem.MISSING_DOWN);

        assertThat(e.getMessage()).contains(NoDown.class.getName());
        assertThat(log(project)).containsExactly("up A v1 jobs", "up NoDown v2 jobs", "up B v3 jobs");
        assertThat(gs.down(Target.latest()).applied()).extracting(Result.Applied::name).containsExactly("B");
    }

    @Test
    void aJavaMigrationThatThrowsIsRolledBack(TestDatabase db) throws Exception {
        TestProject project = project(db);
        JavaMigration failing = new JavaMigration() {
            @Override
            public String name() {
                return "Failing";
            }

            @Override
            public void up(MigrationContext context) throws Exception {
                Logged.log(context, "up Failing");
                throw new IllegalStateException("the backfill found a bad row");
            }
        };

        GearshiftException e = failure(() -> jobs(project, new A(), failing).up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains("jobs/2_Failing", "the backfill found a bad row");
        assertThat(log(project)).containsExactly("up A v1 jobs");
        assertThat(project.historyRows()).containsExactly("jobs/1 up success", "jobs/2 up rolled-back");
    }

    // ------------------------------------------------------------------ .java files

    @Test
    void aJavaFileThatDoesNotCompileStopsEverything(TestDatabase db) throws Exception {
        TestProject project = project(db)
                .write("core/1_one.up.sql", "CREATE TABLE one (id int);")
                .write("core/2_backfill.java", """
                        import dev.gearshift.JavaMigration;
                        import dev.gearshift.MigrationContext;

                        public class Backfill implements JavaMigration {
                            @Override
                            public void up(MigrationContext context) throws Exception {
                                context.connection().createStatement().execute("SELECT 1")
                            }
                        }
                        """);

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.VALIDATION, Problem.JAVA_COMPILE);

        assertThat(e.getMessage()).contains(project.location("core/2_backfill.java"));
        assertThat(db.schemaExists(project.schema)).isFalse();
    }

    @Test
    void aJavaFileMigrationRunsBesideSqlFiles(TestDatabase db) throws Exception {
        TestProject project = project(db)
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
