package dev.gearshift.testkit;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Result;
import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.spi.Capability;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How migrations run: a failure rolls back its migration only; single transaction; dry run. */
public abstract class ExecutionContract extends StoreContract {

    protected ExecutionContract(StoreFixture fixture) {
        super(fixture);
    }

    private KitProject twoGoodOneBadOneAfter(StoreFixture.Failure failure) {
        StoreFixture store = fixture();
        return project()
                .up("a/1_one", store.create("one"))
                .up("a/2_two", store.sequence(store.create("two"), store.add("two", 1)))
                .up("a/3_bad", store.sequence(store.create("three"), store.add("three", 1), failure.script(),
                        store.create("four")))
                .up("a/4_after", store.create("after"));
    }

    @Test
    @Requires(Capability.TRANSACTIONAL_DDL)
    public void aFailingStatementRollsBackItsMigrationOnlyAndSaysWhereAndWhy() {
        StoreFixture store = fixture();
        StoreFixture.Failure failure = store.failure();
        KitProject project = twoGoodOneBadOneAfter(failure);
        KitProject reference = twoGoodOneBadOneAfter(failure);
        reference.gearshift().up(Target.version(2));

        GearshiftException e = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains("a/3_bad failed at " + project.location("a/3_bad.up") + ":",
                failure.reason(), "rolled back");
        assertThat(project.exists("one")).isTrue();
        assertThat(project.exists("two")).isTrue();
        assertThat(project.exists("three")).isFalse();
        assertThat(project.exists("after")).isFalse();
        assertThat(project.snapshot()).isEqualTo(reference.snapshot());

        List<HistoryEntry> history = project.gearshift().history();
        assertThat(Outcomes.outcomes(history)).containsExactly("a/1 up success", "a/2 up success",
                "a/3 up rolled-back");
        assertThat(history.get(2).error()).contains(failure.reason());
        ModuleStatus status = project.gearshift().status().module("a").orElseThrow();
        assertThat(status.current()).contains(Version.of(2));
        assertThat(status.applied()).containsExactly(Version.of(1), Version.of(2));
        assertThat(status.pending()).containsExactly(Version.of(3), Version.of(4));
        assertThat(status.failed()).isEmpty();

        // Fixed, it runs on the next up; the rolled-back attempt stays in the history.
        project.up("a/3_bad", store.create("three"));
        assertThat(project.gearshift().up().applied()).extracting(Result.Applied::version).containsExactly(Optional.of(Version.of(3)), Optional.of(Version.of(4)));
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success", "a/3 up rolled-back",
                "a/3 up success", "a/4 up success");
    }

    // ------------------------------------------------------------------ single transaction

    @Test
    @Requires(Capability.TRANSACTIONAL_DDL)
    public void singleTransactionLeavesNothingWhenTheLastMigrationFails() {
        StoreFixture store = fixture();
        StoreFixture.Failure failure = store.failure();
        KitProject project = project()
                .up("a/1_one", store.create("one"))
                .up("a/2_two", store.create("two"))
                .up("a/3_three", store.sequence(store.create("three"), failure.script()));
        Gearshift gs = project.configure().singleTransaction(true).build();

        GearshiftException e = failure(gs::up, ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/3_three.up") + ":", failure.reason());
        assertThat(project.targetExists()).isFalse();
        assertThat(gs.status().module("a").orElseThrow().pending()).containsExactly(Version.of(1), Version.of(2), Version.of(3));

        project.up("a/3_three", store.create("three"));
        assertThat(project.configure().singleTransaction(true).build().up().applied()).hasSize(3);
    }

    @Test
    @Requires(Capability.TRANSACTIONAL_DDL)
    public void singleTransactionSucceedsAsOne() {
        StoreFixture store = fixture();
        KitProject project = project()
                .up("a/1_one", store.create("one"))
                .up("a/2_two", store.create("two"));
        Result result = project.configure().singleTransaction(true).build().up();

        assertThat(result.applied()).hasSize(2);
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success");
    }

    @Test
    @Requires({Capability.TRANSACTIONAL_DDL, Capability.NON_TRANSACTIONAL})
    public void singleTransactionRefusesANoTransactionMigrationBeforeAnythingRuns() {
        StoreFixture store = fixture();
        KitProject project = project()
                .up("a/1_one", store.create("one"))
                .up("a/2_idx", store.nonTransactional(store.add("one", 1)));

        GearshiftException e = failure(() -> project.configure().singleTransaction(true).build().up(),
                ErrorCode.USAGE, null);

        assertThat(e.getMessage()).contains("a/2_idx");
        assertThat(project.targetExists()).isFalse();
    }

    // ------------------------------------------------------------------ dry run

    @Test
    @Requires({Capability.DRY_RUN, Capability.NON_TRANSACTIONAL})
    public void dryRunExecutesEverythingAndLeavesNoTrace() {
        StoreFixture store = fixture();
        KitProject project = project()
                .up("a/1_one", store.create("one"))
                .up("a/2_two", store.sequence(store.create("two"), store.add("one", 1)))
                .up("a/3_idx", store.nonTransactional(store.add("two", 3)))
                .up("a/4_four", store.add("two", 4));
        project.gearshift().up(Target.version(1));
        String before = project.snapshot();
        List<String> history = project.historyRows();

        Result result = project.configure().dryRun(true).build().up();

        assertThat(result.dryRun()).isTrue();
        assertThat(result.applied()).extracting(a -> a.version().orElseThrow() + " " + a.executed())
                .containsExactly("2 true", "3 false", "4 true");
        assertThat(result.notes()).singleElement().asString().contains("a/3_idx", "not executed");
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).isEqualTo(history);
        assertThat(project.values("one")).isEmpty();
        assertThat(project.gearshift().status().module("a").orElseThrow().pending()).containsExactly(Version.of(2), Version.of(3), Version.of(4));
    }

    @Test
    @Requires(Capability.DRY_RUN)
    public void dryRunOnANewSchemaDoesNotCreateIt() {
        KitProject project = project().up("a/1_one", fixture().create("one"));

        Result result = project.configure().dryRun(true).build().up();

        assertThat(result.applied()).hasSize(1);
        assertThat(project.targetExists()).isFalse();
    }

    @Test
    @Requires(Capability.DRY_RUN)
    public void aFailingStatementInADryRunIsReportedAndLeavesNoTrace() {
        StoreFixture store = fixture();
        StoreFixture.Failure failure = store.failure();
        KitProject project = project()
                .up("a/1_one", store.create("one"))
                .up("a/2_two", store.sequence(store.create("two"), failure.script()));

        GearshiftException e = failure(() -> project.configure().dryRun(true).build().up(),
                ErrorCode.MIGRATION_FAILED, null);

        assertThat(e.getMessage()).contains(project.location("a/2_two.up") + ":", failure.reason(), "dry run");
        assertThat(project.targetExists()).isFalse();
    }

    @Test
    @Requires(Capability.DRY_RUN)
    public void dryRunDownRevertsNothing() {
        StoreFixture store = fixture();
        KitProject project = project().up("a/1_one", store.create("one")).down("a/1_one", store.drop("one"));
        project.gearshift().up();
        String before = project.snapshot();

        Result result = project.configure().dryRun(true).build().down(Target.zero());

        assertThat(result.applied()).hasSize(1);
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).containsExactly("a/1 up success");
    }
}
