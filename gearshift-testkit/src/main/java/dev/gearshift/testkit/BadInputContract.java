package dev.gearshift.testkit;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.Target;
import dev.gearshift.Version;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input any store may be given: a clear error with the right code, naming the file, and the
 * target exactly as it was: not even the pending migrations before the bad one are applied.
 */
public abstract class BadInputContract extends StoreContract {

    protected BadInputContract(StoreFixture fixture) {
        super(fixture);
    }

    /** a/1 applied; a/2 pending and fine: it must not be applied when the run is refused. */
    private KitProject oneAppliedOnePending() {
        StoreFixture store = fixture();
        KitProject project = project().up("a/1_one", store.create("one")).down("a/1_one", store.drop("one"));
        project.gearshift().up();
        return project.up("a/2_two", store.create("two")).down("a/2_two", store.drop("two"));
    }

    /** Runs {@code call} and asserts it is refused with these codes and leaves the target as it was. */
    private static GearshiftException refusedUnchanged(KitProject project, ThrowingCallable call, ErrorCode code,
                                                       String problemCode, String... fragments) {
        GearshiftException e = Outcomes.refusedUnchanged(() -> project.snapshot() + project.historyRows(), call,
                code, problemCode, fragments);
        assertThat(project.exists("two")).as("the pending migration before the bad one").isFalse();
        return e;
    }

    // ------------------------------------------------------------------ file names and versions

    @Test
    public void malformedFileNames() {
        String script = fixture().create("bad");
        KitProject project = oneAppliedOnePending()
                .write("a/3-dash.up", script)
                .write("a/x_letters.up", script)
                .write("a/4_no_direction", script)
                .write("a/0_zero.up", script)
                .write("a/5_space in name.up", script)
                .write("a/6_orphan.down", script)
                .write("stray", script);

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.BAD_FILE_NAME, project.location("a/3-dash.up"), project.location("a/x_letters.up"),
                project.location("a/4_no_direction"), project.location("a/0_zero.up"),
                project.location("a/5_space in name.up"), project.location("a/6_orphan.down"),
                project.location("stray"));

        assertThat(Outcomes.codes(e)).hasSize(7).containsOnly(Problem.BAD_FILE_NAME);
    }

    @Test
    public void twoFilesWithOneVersion() {
        String script = fixture().create("three");
        KitProject project = oneAppliedOnePending()
                .up("a/3_foo", script)
                .up("a/3_bar", script)
                .up("b/7_seven", script)
                .up("b/07_seven", script);

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.DUPLICATE_VERSION, project.fileName("a/3_foo.up"), project.fileName("a/3_bar.up"),
                project.fileName("b/7_seven.up"), project.fileName("b/07_seven.up"), project.moduleLocation("a"),
                project.moduleLocation("b"));

        assertThat(Outcomes.codes(e)).containsExactly(Problem.DUPLICATE_VERSION, Problem.DUPLICATE_VERSION);
    }

    @Test
    public void anAppliedMigrationEditedAfterwards() {
        StoreFixture store = fixture();
        KitProject project = oneAppliedOnePending()
                .up("a/1_one", store.sequence(store.create("one"), store.add("one", 1)));

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.CHECKSUM_MISMATCH, project.location("a/1_one.up"), "edited");

        assertThat(e.problems()).singleElement().extracting(Problem::location)
                .isEqualTo(project.location("a/1_one.up"));
        // down refuses as well: nothing runs against sources that no longer match the history.
        refusedUnchanged(project, () -> project.gearshift().down(Target.latest()), ErrorCode.VALIDATION,
                Problem.CHECKSUM_MISMATCH);
        assertThat(project.exists("one")).isTrue();
    }

    @Test
    public void anAppliedMigrationDeleted() {
        KitProject project = oneAppliedOnePending().delete("a/1_one.up").delete("a/1_one.down");

        refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION, Problem.MISSING_APPLIED,
                "a/1_one");
    }

    @Test
    public void aDownWithoutItsDownScriptRevertsNothing() {
        StoreFixture store = fixture();
        KitProject project = project()
                .up("a/1_one", store.create("one")).down("a/1_one", store.drop("one"))
                .up("a/2_two", store.create("two"))
                .up("a/3_three", store.create("three")).down("a/3_three", store.drop("three"));
        Gearshift gs = project.gearshift();
        gs.up();
        String before = project.snapshot();

        GearshiftException e = failure(() -> gs.down(Target.zero()), ErrorCode.VALIDATION, Problem.MISSING_DOWN);

        assertThat(e.problems()).singleElement().extracting(Problem::location)
                .isEqualTo(project.location("a/2_two.up"));
        assertThat(e.getMessage()).contains(project.fileName("a/2_two.down"));
        assertThat(project.exists("three")).as("the first down step has a script, but nothing ran").isTrue();
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success", "a/3 up success");
        // The step that has a script can be reverted on its own.
        assertThat(gs.down(Target.latest()).applied()).hasSize(1);
        assertThat(project.exists("three")).isFalse();
    }

    // ------------------------------------------------------------------ modules and project file

    @Test
    public void anUnknownModuleInTheTarget() {
        KitProject project = oneAppliedOnePending();
        String before = project.snapshot();
        Gearshift gs = project.gearshift();

        GearshiftException e = failure(() -> gs.up(Target.latest().module("nope")), ErrorCode.USAGE,
                Problem.UNKNOWN_MODULE);
        assertThat(e.getMessage()).contains("'nope'", "[a]");
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> gs.down(Target.zero().module("nope")),
                () -> gs.planUp(Target.latest().module("nope")),
                () -> gs.baseline(Optional.of("nope"), 1))) {
            assertThat(failure(call, ErrorCode.USAGE, Problem.UNKNOWN_MODULE).getMessage()).contains("'nope'");
        }
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).containsExactly("a/1 up success");
    }

    @Test
    public void aModuleDependencyCycle() {
        KitProject project = oneAppliedOnePending()
                .yaml("modules:\n  a: { requires: [c] }\n  b: { requires: [a] }\n  c: { requires: [b] }\n");

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.DEPENDENCY_CYCLE, "gearshift.yaml");

        assertThat(e.problems()).filteredOn(p -> p.code().equals(Problem.DEPENDENCY_CYCLE)).singleElement()
                .satisfies(p -> assertThat(p.message()).containsAnyOf("a -> c -> b -> a", "c -> b -> a -> c",
                        "b -> a -> c -> b"));
    }

    @Test
    public void anUnknownKeyInTheProjectFile() {
        KitProject project = oneAppliedOnePending()
                .yaml("schema: app\nmodules:\n  a: {}\nlock_timout: 5s\n");

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION, null,
                project.root().resolve("gearshift.yaml") + ":4", "lock_timout", "lock_timeout");

        project.yaml("modules:\n  a:\n    require: [b]\n");
        refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION, null, "gearshift.yaml:3",
                "require");
        assertThat(e.problems()).isEmpty();
    }

    @Test
    public void anOutOfOrderPendingVersion() {
        StoreFixture store = fixture();
        KitProject project = project()
                .up("a/1_one", store.create("one"))
                .up("a/3_three", store.create("three"));
        project.gearshift().up();
        project.up("a/2_two", store.create("two"))
                .up("a/4_four", store.create("four"));

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.OUT_OF_ORDER, project.location("a/2_two.up"), "out-of-order migrations");
        assertThat(e.remedies()).containsExactly(dev.gearshift.Remedy.OUT_OF_ORDER);

        assertThat(e.problems()).singleElement().extracting(Problem::location)
                .isEqualTo(project.location("a/2_two.up"));
        assertThat(project.exists("four")).isFalse();

        assertThat(project.configure().outOfOrder(true).build().up().applied())
                .extracting(a -> a.version()).containsExactly(Optional.of(Version.of(2)), Optional.of(Version.of(4)));
        assertThat(project.exists("two")).isTrue();
        assertThat(project.configure().outOfOrder(true).build().status().isCurrent()).isTrue();
    }
}
