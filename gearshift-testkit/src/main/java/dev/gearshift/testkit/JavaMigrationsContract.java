package dev.gearshift.testkit;

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
import dev.gearshift.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java migrations: a static, ordered list registered through the API, and {@code .java} files. */
public abstract class JavaMigrationsContract extends StoreContract {

    /** Where the migrations below log each call, so order and count are visible in the store. */
    private static final String LOG = "job_log";

    protected JavaMigrationsContract(StoreFixture fixture) {
        super(fixture);
    }

    /** Logs each call in the target, through the store. */
    abstract static class Logged implements JavaMigration {
        private final StoreFixture store;

        Logged(StoreFixture store) {
            this.store = store;
        }

        static void log(StoreFixture store, MigrationContext context, String what) throws Exception {
            store.add(context, LOG, what + " v" + context.version().orElseThrow() + " " + context.module());
        }

        @Override
        public void up(MigrationContext context) throws Exception {
            log(store, context, "up " + name());
        }

        @Override
        public void down(MigrationContext context) throws Exception {
            log(store, context, "down " + name());
        }
    }

    static final class A extends Logged {
        A(StoreFixture store) {
            super(store);
        }
    }

    static final class B extends Logged {
        B(StoreFixture store) {
            super(store);
        }
    }

    static final class C extends Logged {
        C(StoreFixture store) {
            super(store);
        }
    }

    /** Has no down(). */
    static final class NoDown implements JavaMigration {
        private final StoreFixture store;

        NoDown(StoreFixture store) {
            this.store = store;
        }

        @Override
        public void up(MigrationContext context) throws Exception {
            Logged.log(store, context, "up NoDown");
        }
    }

    private A a() {
        return new A(fixture());
    }

    private B b() {
        return new B(fixture());
    }

    private C c() {
        return new C(fixture());
    }

    private Gearshift jobs(KitProject project, JavaMigration... list) {
        return fixture().configure(project.target()).java("jobs", List.of(list)).build();
    }

    private static List<String> log(KitProject project) {
        return project.values(LOG);
    }

    @Test
    public void appliedOnceInOrderWithTheirPositionsAsVersions() {
        KitProject project = project();

        Result result = jobs(project, a(), b()).up();

        assertThat(result.applied()).extracting(a -> a.version().orElseThrow() + " " + a.name()).containsExactly("1 A", "2 B");
        assertThat(log(project)).containsExactly("up A v1 jobs", "up B v2 jobs");
        List<HistoryEntry> history = jobs(project, a(), b()).history();
        assertThat(history).extracting(h -> h.version().orElseThrow() + " " + h.name() + " " + h.kind() + " " + h.outcome())
                .containsExactly("1 A java success", "2 B java success");

        assertThat(jobs(project, a(), b()).up().applied()).isEmpty();
        assertThat(log(project)).hasSize(2);
        // Appending to the list is how a new migration is added.
        assertThat(jobs(project, a(), b(), c()).up().applied()).extracting(Result.Applied::name)
                .containsExactly("C");
    }

    @Test
    public void aReorderedListStopsBeforeDoingAnything() {
        KitProject project = project();
        jobs(project, a(), b()).up();
        String before = project.snapshot();

        GearshiftException e = failure(() -> jobs(project, b(), a(), c()).up(), ErrorCode.VALIDATION,
                Problem.NAME_MISMATCH);

        Problem first = e.problems().get(0);
        assertThat(first.code()).isEqualTo(Problem.NAME_MISMATCH);
        assertThat(first.message()).contains("version 1", "'A'", "'B'");
        assertThat(log(project)).containsExactly("up A v1 jobs", "up B v2 jobs"); // C did not run
        assertThat(project.snapshot()).isEqualTo(before);
    }

    @Test
    public void aRenamedEntryIsAMismatch() {
        KitProject project = project();
        jobs(project, a(), b()).up();

        GearshiftException e = failure(() -> jobs(project, a(), c()).up(), ErrorCode.VALIDATION,
                Problem.NAME_MISMATCH);

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("version 2", "'B'",
                "'C'"));
        assertThat(log(project)).hasSize(2);
    }

    @Test
    public void aRemovedEntryIsMissing() {
        KitProject project = project();
        jobs(project, a(), b()).up();

        GearshiftException e = failure(() -> jobs(project, a()).up(), ErrorCode.VALIDATION,
                Problem.MISSING_APPLIED);

        assertThat(e.getMessage()).contains("jobs/2_B");
        assertThat(jobs(project, a()).status().module("jobs").orElseThrow().missing()).containsExactly(Version.of(2));
    }

    @Test
    public void downCallsDownInReverseOrder() {
        KitProject project = project();
        Gearshift gs = jobs(project, a(), b());
        gs.up();

        Result down = gs.down(Target.zero());

        assertThat(down.applied()).extracting(Result.Applied::name).containsExactly("B", "A");
        assertThat(log(project)).containsExactly("up A v1 jobs", "up B v2 jobs", "down B v2 jobs", "down A v1 jobs");
        assertThat(gs.status().module("jobs").orElseThrow().pending()).containsExactly(Version.of(1), Version.of(2));
    }

    @Test
    public void aMigrationWithoutDownCannotBeMigratedDown() {
        KitProject project = project();
        Gearshift gs = jobs(project, a(), new NoDown(fixture()), b());
        gs.up();

        GearshiftException e = failure(() -> gs.down(Target.zero()), ErrorCode.VALIDATION, Problem.MISSING_DOWN);

        assertThat(e.getMessage()).contains(NoDown.class.getName());
        assertThat(log(project)).containsExactly("up A v1 jobs", "up NoDown v2 jobs", "up B v3 jobs");
        assertThat(gs.down(Target.latest()).applied()).extracting(Result.Applied::name).containsExactly("B");
    }

    @Test
    public void aJavaMigrationThatThrowsIsRolledBack() {
        KitProject project = project();
        JavaMigration failing = new Logged(fixture()) {
            @Override
            public String name() {
                return "Failing";
            }

            @Override
            public void up(MigrationContext context) throws Exception {
                super.up(context);
                throw new IllegalStateException("the backfill found a bad row");
            }
        };

        GearshiftException e = failure(() -> jobs(project, a(), failing).up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains("jobs/2_Failing", "the backfill found a bad row");
        assertThat(log(project)).containsExactly("up A v1 jobs");
        assertThat(project.historyRows()).containsExactly("jobs/1 up success", "jobs/2 up rolled-back");
    }

    // ------------------------------------------------------------------ .java files

    @Test
    public void aJavaFileThatDoesNotCompileStopsEverything() throws Exception {
        KitProject project = project().up("core/1_one", fixture().create("one"));
        Path source = project.file("core/1_one.up").resolveSibling("2_backfill.java");
        Files.writeString(source, """
                import dev.gearshift.JavaMigration;
                import dev.gearshift.MigrationContext;

                public class Backfill implements JavaMigration {
                    @Override
                    public void up(MigrationContext context) throws Exception {
                        context.toString()
                    }
                }
                """);

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.VALIDATION, Problem.JAVA_COMPILE);

        assertThat(e.getMessage()).contains(source.toString());
        assertThat(project.targetExists()).isFalse();
    }
}
