package dev.gearshift.testkit;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Result;
import dev.gearshift.spi.Capability;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A migration's change queued behind a long reader: bounded by the DDL lock timeout, rolled back and run again
 * with backoff (transactional migrations only), recorded once, and, when the retries run out, failing with the
 * name of the session it waited for.
 */
@Requires(Capability.BOUNDED_LOCK_WAIT)
public abstract class DdlLockWaitContract extends StoreContract {

    protected DdlLockWaitContract(StoreFixture fixture) {
        super(fixture);
    }

    private KitProject withObject() {
        KitProject project = project().up("a/1_one", fixture().create("one"));
        project.gearshift().up();
        return project;
    }

    /** Ends the reader's read after {@code delay}, while a migration waits for it. */
    private static CompletableFuture<Void> releaseLater(StoreFixture.Reader reader, long delayMillis) {
        return CompletableFuture.runAsync(reader::release,
                CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
    }

    @Test
    public void aMigrationBehindALongReaderIsRetriedUntilItGetsItsLockAndRecordedOnce() {
        StoreFixture store = fixture();
        KitProject project = withObject();
        project.up("a/2_alter", store.alter("one"));
        Result result;
        try (StoreFixture.Reader reader = store.read(project.target(), "one")) {
            CompletableFuture<Void> readerEnds = releaseLater(reader, 700);

            result = project.configure().ddlLockTimeout(Duration.ofMillis(200)).ddlLockRetries(10).build().up();
            readerEnds.join();
        }

        assertThat(result.applied()).hasSize(1);
        assertThat(result.notes()).anySatisfy(note -> assertThat(note).contains("a/2_alter", "gave up waiting for a"
                + " table lock", "run again"));
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success");
        project.up("a/3_three", store.create("three"));
        project.gearshift().up();
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success", "a/3 up success");
    }

    @Test
    public void whenTheRetriesRunOutTheErrorNamesTheSessionItWaitedFor() {
        StoreFixture store = fixture();
        KitProject project = withObject();
        project.up("a/2_alter", store.alter("one"));
        String before = project.snapshot();
        GearshiftException e;
        try (StoreFixture.Reader reader = store.read(project.target(), "one")) {
            e = failure(() -> project.configure().ddlLockTimeout(Duration.ofMillis(300)).ddlLockRetries(1).build()
                    .up(), ErrorCode.MIGRATION_FAILED, null);
            assertThat(e.getMessage()).contains("a/2_alter", store.lockTimeoutReason(),
                    "gave up waiting for a lock 2 times").contains(reader.description());
        }

        // The failed attempts left no row; the last is recorded once, as rolled back, as any failure is.
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up rolled-back");
        assertThat(project.snapshot()).as("the object unchanged").isEqualTo(before);
        project.gearshift().up();
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up rolled-back", "a/2 up success");
    }

    @Test
    @Timeout(60) // should there be no default bound, the test fails instead of hanging
    public void byDefaultDdlDoesNotWaitForEver() {
        StoreFixture store = fixture();
        KitProject project = withObject();
        project.up("a/2_alter", store.alter("one"));
        long started = System.nanoTime();
        try (StoreFixture.Reader reader = store.read(project.target(), "one")) {
            GearshiftException e = failure(() -> project.configure().ddlLockRetries(0).build().up(),
                    ErrorCode.MIGRATION_FAILED, null);
            assertThat(e.getMessage()).contains(store.lockTimeoutReason());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Gearshift.DDL_LOCK_TIMEOUT,
                Duration.ofSeconds(15));
    }

    @Test
    @Requires(Capability.TRANSACTIONAL_DDL)
    public void aSingleTransactionRunIsRetriedWholeFromItsStart() {
        StoreFixture store = fixture();
        KitProject project = withObject();
        project.up("a/2_two", store.create("two"))
                .up("a/3_alter", store.alter("one"));
        Result result;
        try (StoreFixture.Reader reader = store.read(project.target(), "one")) {
            CompletableFuture<Void> readerEnds = releaseLater(reader, 700);

            result = project.configure().singleTransaction(true).ddlLockTimeout(Duration.ofMillis(200))
                    .ddlLockRetries(10).build().up();
            readerEnds.join();
        }

        assertThat(result.applied()).hasSize(2);
        assertThat(result.notes()).anySatisfy(note -> assertThat(note).contains("run again from its start"));
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success", "a/3 up success");
    }
}
