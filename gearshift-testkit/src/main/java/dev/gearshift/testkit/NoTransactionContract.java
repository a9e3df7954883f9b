package dev.gearshift.testkit;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Version;
import dev.gearshift.spi.Capability;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Migrations that run outside a transaction: a failure leaves partial work, which blocks until repaired. */
@Requires(Capability.NON_TRANSACTIONAL)
public abstract class NoTransactionContract extends StoreContract {

    protected NoTransactionContract(StoreFixture fixture) {
        super(fixture);
    }

    /**
     * a/1 creates "one"; a/2, outside a transaction, creates "partial" and then fails on "missing", which does
     * not exist; a/3 comes after.
     */
    private KitProject partialFailure() {
        StoreFixture store = fixture();
        return project()
                .up("a/1_one", store.create("one"))
                .up("a/2_idx", store.nonTransactional(store.sequence(store.create("partial"),
                        store.add("missing", 1))))
                .up("a/3_three", store.create("three"));
    }

    @Test
    public void aFailedNoTransactionMigrationBlocksUntilRepaired() {
        StoreFixture store = fixture();
        KitProject project = partialFailure();

        GearshiftException failed = failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        assertThat(failed.getMessage()).contains(project.location("a/2_idx.up") + ":", "missing", "repair");
        List<HistoryEntry> history = project.gearshift().history();
        assertThat(Outcomes.outcomes(history)).containsExactly("a/1 up success", "a/2 up started",
                "a/2 up failed");
        assertThat(history.get(2).error()).contains("missing");
        ModuleStatus status = project.gearshift().status().module("a").orElseThrow();
        assertThat(status.failed()).containsExactly(Version.of(2));
        assertThat(status.applied()).containsExactly(Version.of(1));
        assertThat(status.pending()).containsExactly(Version.of(3));
        assertThat(project.exists("three")).isFalse();
        // Outside a transaction, the first step's work stays: this is the partial work a person must look at.
        assertThat(project.exists("partial")).isTrue();

        GearshiftException refused = failure(() -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.FAILED_MIGRATION);
        assertThat(refused.getMessage()).contains("a/2_idx", "repair");
        assertThat(project.exists("three")).isFalse();

        // The person finishes the job by hand: undoes the partial work, adds what was missing.
        store.run(project.target(), store.sequence(store.drop("partial"), store.create("missing")));
        assertThat(project.gearshift().repair().cleared()).containsExactly("a/2_idx");
        assertThat(project.gearshift().status().module("a").orElseThrow().pending()).containsExactly(Version.of(2), Version.of(3));
        assertThat(project.gearshift().repair().repaired()).isEmpty();

        Result again = project.gearshift().up();

        assertThat(again.applied()).extracting(Result.Applied::version).containsExactly(Optional.of(Version.of(2)), Optional.of(Version.of(3)));
        assertThat(project.gearshift().status().isCurrent()).isTrue();
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up started", "a/2 up failed",
                "a/2 repair success", "a/2 up started", "a/2 up success", "a/3 up success");
    }

    @Test
    public void aFailedMigrationsFileMayBeFixedBeforeRepair() {
        StoreFixture store = fixture();
        KitProject project = partialFailure();
        failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        // The person undoes the partial work and fixes the file: what it adds to was missing.
        store.run(project.target(), store.drop("partial"));
        project.up("a/2_idx", store.nonTransactional(store.sequence(store.create("missing"), store.create("partial"),
                store.add("missing", 1))));

        Status before = project.gearshift().status();
        assertThat(before.problems()).as("it never applied: a fix is not an edit").extracting(Problem::code)
                .containsExactly(Problem.FAILED_MIGRATION);
        assertThat(before.module("a").orElseThrow().changed()).isEmpty();
        assertThat(before.module("a").orElseThrow().failed()).containsExactly(Version.of(2));

        assertThat(project.gearshift().repair().cleared()).containsExactly("a/2_idx");
        project.gearshift().up();

        assertThat(project.gearshift().validate().isCurrent()).isTrue();
        assertThat(project.exists("partial")).isTrue();
        assertThat(project.values("missing")).containsExactly("1");
        List<HistoryEntry> history = project.gearshift().history();
        assertThat(Outcomes.outcomes(history)).containsExactly("a/1 up success", "a/2 up started", "a/2 up failed",
                "a/2 repair success", "a/2 up started", "a/2 up success", "a/3 up success");
        assertThat(history.get(3).checksum()).as("the repair row names the fixed file")
                .isEqualTo(history.get(5).checksum()).isNotEqualTo(history.get(2).checksum());
    }
}
