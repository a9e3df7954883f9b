package dev.gearshift.testkit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Result;
import dev.gearshift.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A migrator that loses its lock must never commit beside the one that takes the lock over: every version is
 * applied once, whatever ends the lock's session and whenever.
 */
public abstract class LostLockContract extends StoreContract {

    private static final int SLOW_MIGRATIONS = 20;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    protected LostLockContract(StoreFixture fixture) {
        super(fixture);
    }

    @AfterEach
    void stopThreads() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, SECONDS)).isTrue();
    }

    /** The reproduction: 1 + 20 migrations that each add their number to a ledger and sleep 0.1 s. */
    private KitProject ledger() {
        StoreFixture store = fixture();
        KitProject project = project().up("core/1_init", store.create("ledger"));
        for (int v = 2; v <= SLOW_MIGRATIONS + 1; v++) {
            project.up("core/" + v + "_insert", store.sequence(store.add("ledger", v),
                    store.sleep(Duration.ofMillis(100))));
        }
        return project;
    }

    @Test
    public void terminatingTheLocksSessionStopsTheRunAndTheNextMigratorAppliesEachVersionOnce() throws Exception {
        KitProject project = ledger();
        String first = "gs-first-" + project.target();
        String second = "gs-second-" + project.target();
        Gearshift firstMigrator = project.configure(first).build();
        Future<Result> firstRun = threads.submit(() -> firstMigrator.up());
        awaitLedgerValues(project, 3);
        Future<Result> secondRun = threads.submit(() -> project.configure(second)
                .migratorWait(Duration.ofMinutes(1)).build().up());
        // The second migrator is waiting for the lock when the first one's session ends.
        fixture().awaitWaitingForLock(second);
        // Mid-script, so that the lost migration is the rolled-back one; should the session end as its COMMIT
        // travels (a loaded machine), Gearshift says it may have committed, and the rest holds all the same.
        fixture().awaitSleeping(first);
        fixture().loseLock(first);

        Throwable failure = catchThrowable(() -> unwrap(firstRun));
        assertThat(failure).as("the first run failed").isInstanceOf(GearshiftException.class);
        GearshiftException lost = (GearshiftException) failure;
        assertThat(lost.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(lost.getMessage()).contains("lost", "migration lock of schema " + project.target())
                .containsAnyOf("it was rolled back", "its COMMIT was sent but not answered")
                .containsPattern("core/\\d+_insert");
        Result secondResult = secondRun.get(60, SECONDS);
        assertThat(secondResult.applied()).isNotEmpty();

        List<String> successes = project.historyRows().stream().filter(row -> row.endsWith(" up success")).toList();
        assertThat(successes).as("one success row per version").doesNotHaveDuplicates()
                .hasSize(SLOW_MIGRATIONS + 1);
        assertThat(project.values("ledger")).hasSize(SLOW_MIGRATIONS).doesNotHaveDuplicates();
    }

    @Test
    public void aMigratorWhoseLockWasReleasedBehindItsBackCannotCommitBesideTheNextOne() throws Exception {
        // Migration 2 lets go of every lock its session holds (as a script may, by mistake), then works on: the
        // lock no longer protects it, and a second migrator takes the lock and runs migration 2 too. Only the
        // history's fence stands between them and a double apply.
        StoreFixture store = fixture();
        KitProject project = project()
                .up("core/1_init", store.create("ledger"))
                .up("core/2_unlocks", store.sequence(store.releaseLocks(), store.add("ledger", 2),
                        store.sleep(Duration.ofSeconds(1))))
                .up("core/3_last", store.add("ledger", 3));
        project.gearshift().up(Target.version(1));
        String first = "gs-first-" + project.target();
        List<Future<Result>> runs = List.of(threads.submit(() -> project.configure(first).build().up()),
                threads.submit(() -> {
                    store.awaitSleeping(first);
                    return project.configure().migratorWait(Duration.ofMinutes(1)).build().up();
                }));
        int failed = 0;
        for (Future<Result> run : runs) {
            try {
                run.get(60, SECONDS);
            } catch (ExecutionException e) {
                GearshiftException error = (GearshiftException) e.getCause();
                assertThat(error.code()).as(error.getMessage()).isEqualTo(ErrorCode.LOCK_LOST);
                assertThat(error.getMessage()).contains("another migrator wrote to the history", "core/2_unlocks",
                        "rolled back", "Nothing was applied twice");
                failed++;
            }
        }
        assertThat(failed).as("one of the two migrators was refused").isEqualTo(1);
        assertThat(project.values("ledger")).containsExactlyInAnyOrder("2", "3");
        assertThat(project.historyRows().stream().filter(row -> row.endsWith(" up success")))
                .containsExactly("core/1 up success", "core/2 up success", "core/3 up success");
    }

    private static Result unwrap(Future<Result> run) throws Exception {
        try {
            return run.get(60, SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static void awaitLedgerValues(KitProject project, int values) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (project.exists("ledger") && project.values("ledger").size() >= values) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the ledger never held " + values + " values");
    }
}
