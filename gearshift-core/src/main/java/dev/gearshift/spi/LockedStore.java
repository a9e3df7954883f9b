package dev.gearshift.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A store while this run holds its exclusive migration lock. Every write goes through it, and is fenced by the
 * history: should the lock be lost (the session ended, another migrator took over), a write fails with
 * {@link ApplyFailure.Kind#CONCURRENT_WRITER} or {@link ApplyFailure.Kind#CONNECTION_LOST} instead of landing
 * beside the other migrator's. Closing it releases the lock.
 */
public interface LockedStore extends AutoCloseable {

    /** The history as read once the lock was held. */
    Store.History history();

    /** Whether the target schema exists yet. */
    boolean schemaExists();

    /** Creates the schema and the history table unless they exist, before the first write. */
    void prepare();

    /**
     * Applies one transactional change with its history row, as one unit. {@code flushLater}: the change need not
     * reach the disk before this returns, because a later write of the same run will (see the JDBC base's
     * deferred flush). {@code watchLocks}: should it wait for another session's lock and give up, the failure
     * names the sessions it waited for. On failure nothing of it remains.
     */
    void apply(Change change, boolean flushLater, boolean watchLocks) throws ApplyFailure;

    /**
     * Runs a change that cannot run in a transaction, on a session of its own, without touching the history
     * (the engine records it before and after): on failure, the statements before the failing one stay applied.
     */
    void applyOutsideTransaction(Change change) throws ApplyFailure;

    /**
     * Applies changes and their history rows in one transaction, after {@link #prepare} when {@code prepare}, then
     * commits it, or rolls it back when {@code commit} is false (a dry run). {@code applied} hears of each change
     * once it ran. On failure nothing of it remains.
     */
    void applyAll(List<Change> changes, boolean prepare, boolean commit, boolean watchLocks,
                  Consumer<Change> applied) throws ApplyFailure;

    /** Appends history rows in one transaction (baseline, repair, and the outcome of a migration). */
    void record(List<dev.gearshift.HistoryEntry> entries) throws ApplyFailure;

    /**
     * What failed work left in the schema that the store keeps but does not use, and that blocks a next attempt
     * (PostgreSQL: indexes a failed concurrent build left invalid).
     */
    List<String> leftovers();

    /** Drops one of the {@link #leftovers}, without blocking the table's readers and writers where it can. */
    void dropLeftover(String name);

    /** Writes a backup of the target to {@code file}; throws when it cannot, and nothing runs then. */
    void backup(Path file);

    @Override
    void close();
}
