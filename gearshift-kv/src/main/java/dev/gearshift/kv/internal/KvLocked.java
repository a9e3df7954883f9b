package dev.gearshift.kv.internal;

import dev.gearshift.Direction;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Units;
import dev.gearshift.kv.WriteUnit;
import dev.gearshift.spi.ApplyFailure;
import dev.gearshift.spi.Change;
import dev.gearshift.spi.LockedStore;
import dev.gearshift.spi.SqlStatement;
import dev.gearshift.spi.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A schema of a key-value store while this run holds its migration lock. A migration's writes and its history row
 * commit in one write unit. The history is the fence: a unit commits only if the history's last row is still the
 * one this run last saw, so a migrator that lost its lock (or let go of it) cannot commit beside the one that took
 * it over.
 */
final class KvLocked implements LockedStore {

    /** A run that is not under the lock (verify scripts): sleeping and letting go of a lock mean nothing. */
    static final KvScript.Session NO_SESSION = new KvScript.Session() {
        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        @Override
        public void releaseLock() {
        }
    };

    /** Carries an {@link ApplyFailure} out of a commit's check. */
    private static final class Refused extends RuntimeException {
        final ApplyFailure failure;

        Refused(ApplyFailure failure) {
            super(failure);
            this.failure = failure;
        }
    }

    private final OpenStore store;
    private final SchemaLock lock;
    private final SchemaLock.Hold hold;
    private final Optional<String> schema;
    private final String schemaName;
    private final String historyBucket;
    private final Store.History history;
    /** The id of the history's last row, as this run last saw it (or wrote it). */
    private long lastId;
    private final KvScript.Session session;

    KvLocked(OpenStore store, SchemaLock lock, SchemaLock.Hold hold, Optional<String> schema, String schemaName,
             String historyBucket) {
        this.store = store;
        this.lock = lock;
        this.hold = hold;
        this.schema = schema;
        this.schemaName = schemaName;
        this.historyBucket = historyBucket;
        Scoped scoped = Scoped.of(store, schema);
        this.history = new Store.History(schemaName, KvTarget.entries(scoped, historyBucket));
        this.lastId = currentLastId();
        this.session = new KvScript.Session() {
            @Override
            public void sleep(Duration duration) throws InterruptedException {
                lock.sleeping(hold.migrator(), true);
                try {
                    Thread.sleep(duration.toMillis());
                } finally {
                    lock.sleeping(hold.migrator(), false);
                }
            }

            @Override
            public void releaseLock() {
                lock.release(hold);
            }
        };
    }

    private long currentLastId() {
        Scoped scoped = Scoped.of(store, schema);
        return scoped.bucketExists(historyBucket) ? scoped.lastKey(historyBucket).map(Bytes::sequenceOf).orElse(0L) : 0L;
    }

    @Override
    public Store.History history() {
        return history;
    }

    @Override
    public boolean schemaExists() {
        return Scoped.marker(schema).map(store::bucketExists).orElse(true);
    }

    @Override
    public void prepare() {
        try (Overlay unit = (Overlay) store.begin()) {
            prepare(unit);
            commit(unit);
        } catch (ApplyFailure failure) {
            throw new dev.gearshift.GearshiftException(dev.gearshift.ErrorCode.LOCK_LOST, failure.reason(), failure);
        }
    }

    private void prepare(Overlay unit) {
        Scoped.marker(schema).filter(m -> !unit.bucketExists(m)).ifPresent(unit::createBucket);
        Scoped scoped = Scoped.of(unit, schema);
        if (!scoped.bucketExists(historyBucket)) {
            scoped.createBucket(historyBucket);
        }
    }

    @Override
    public void apply(Change change, boolean flushLater, boolean watchLocks) throws ApplyFailure {
        long started = System.nanoTime();
        requireHeld(change.location());
        try (Overlay unit = (Overlay) store.begin()) {
            long[] next = {lastId};
            run(change, Scoped.of(unit, schema), schemaName, session);
            append(unit, change.entry(HistoryEntry.SUCCESS, null, Duration.ofNanos(System.nanoTime() - started)),
                    next);
            commit(unit, next[0]);
        }
    }

    @Override
    public void applyOutsideTransaction(Change change) throws ApplyFailure {
        requireHeld(change.location());
        if (change.code().isPresent()) {
            // Code that must write in several units commits each write as it makes it, or its own units.
            run(change, new SpecUnits(change), schemaName, session);
            return;
        }
        for (Change.Script script : change.scripts()) {
            for (SqlStatement statement : script.statements()) {
                requireHeld(script.location());
                try (Overlay unit = (Overlay) store.begin()) {
                    runStatement(script, statement, Scoped.of(unit, schema), session);
                    unit.commit(() -> {
                        if (hold.lost()) {
                            throw new Refused(lost(script.location()));
                        }
                    });
                } catch (Refused refused) {
                    throw refused.failure;
                }
            }
        }
    }

    @Override
    public void applyAll(List<Change> changes, boolean prepare, boolean commit, boolean watchLocks,
                         Consumer<Change> applied) throws ApplyFailure {
        try (Overlay unit = (Overlay) store.begin()) {
            if (prepare) {
                prepare(unit);
            }
            long[] next = {lastId};
            for (Change change : changes) {
                long started = System.nanoTime();
                requireHeld(change.location());
                run(change, Scoped.of(unit, schema), schemaName, session);
                append(unit, change.entry(HistoryEntry.SUCCESS, null, Duration.ofNanos(System.nanoTime() - started)),
                        next);
                applied.accept(change);
            }
            if (commit) {
                commit(unit, next[0]);
            }
        }
    }

    @Override
    public void record(List<HistoryEntry> entries) throws ApplyFailure {
        try (Overlay unit = (Overlay) store.begin()) {
            if (!Scoped.of(unit, schema).bucketExists(historyBucket)) {
                prepare(unit);
            }
            long[] next = {lastId};
            for (HistoryEntry entry : entries) {
                append(unit, entry, next);
            }
            commit(unit, next[0]);
        }
    }

    private void append(Overlay unit, HistoryEntry entry, long[] next) {
        long id = ++next[0];
        Scoped.of(unit, schema).put(historyBucket, Bytes.sequence(id), HistoryCodec.encode(entry, id, Instant.now()));
    }

    private void commit(Overlay unit) throws ApplyFailure {
        commit(unit, lastId);
    }

    /** Commits the unit unless the lock was lost or another migrator wrote to the history since this run did. */
    private void commit(Overlay unit, long newLastId) throws ApplyFailure {
        try {
            unit.commit(() -> {
                if (hold.lost()) {
                    throw new Refused(lost("the commit"));
                }
                long current = currentLastId();
                if (current != lastId) {
                    throw new Refused(new ApplyFailure(ApplyFailure.Kind.CONCURRENT_WRITER, "the commit",
                            "the history of schema " + schemaName + " has rows this run did not write (its last"
                                    + " row is " + current + ", this run last saw " + lastId + ")", null));
                }
            });
        } catch (Refused refused) {
            throw refused.failure;
        }
        lastId = newLastId;
    }

    private void requireHeld(String where) throws ApplyFailure {
        if (hold.lost()) {
            throw lost(where);
        }
    }

    private ApplyFailure lost(String where) {
        return new ApplyFailure(ApplyFailure.Kind.CONNECTION_LOST, where, "the migration lock was lost: the session"
                + " that held it ended", null);
    }

    /**
     * The buckets of a migration that runs outside a transaction, and the units it commits itself, each checked
     * against the lock, with its cursor in the bucket {@code <history>_cursors} under the migration's id.
     */
    private final class SpecUnits extends ForwardingBuckets implements Units {
        private final byte[] key;
        private final String cursors = historyBucket + "_cursors";

        SpecUnits(Change change) {
            super(Scoped.of(store, schema));
            this.key = Bytes.utf8(change.id());
        }

        @Override
        public WriteUnit begin() {
            Overlay overlay = (Overlay) store.begin();
            return new ScopedUnit(overlay, Scoped.of(overlay, schema));
        }

        @Override
        public Optional<byte[]> cursor() {
            Scoped scoped = Scoped.of(store, schema);
            return scoped.bucketExists(cursors) ? scoped.get(cursors, key) : Optional.empty();
        }

        @Override
        public void commit(WriteUnit unit, byte[] cursor) {
            ScopedUnit own = (ScopedUnit) unit;
            Scoped scoped = own.scoped;
            if (cursor != null) {
                if (!scoped.bucketExists(cursors)) {
                    scoped.createBucket(cursors);
                }
                scoped.put(cursors, key, cursor);
            } else if (scoped.bucketExists(cursors)) {
                scoped.delete(cursors, key);
            }
            try {
                own.overlay.commit(() -> {
                    if (hold.lost()) {
                        throw new Refused(lost("a unit of " + Bytes.text(key)));
                    }
                });
            } catch (Refused refused) {
                throw new dev.gearshift.GearshiftException(dev.gearshift.ErrorCode.LOCK_LOST,
                        refused.failure.reason(), refused.failure);
            }
        }
    }

    /** A unit whose bucket names are the schema's. */
    private static final class ScopedUnit extends ForwardingBuckets implements WriteUnit {
        final Overlay overlay;
        final Scoped scoped;

        ScopedUnit(Overlay overlay, Scoped scoped) {
            super(scoped);
            this.overlay = overlay;
            this.scoped = scoped;
        }

        @Override
        public void commit() {
            overlay.commit();
        }

        @Override
        public int pending() {
            return overlay.pending();
        }

        @Override
        public void close() {
            overlay.close();
        }
    }

    /** Runs a change's code or scripts on {@code buckets}; nothing is committed here. */
    static void run(Change change, Buckets buckets, String schemaName, KvScript.Session session) throws ApplyFailure {
        if (change.code().isPresent()) {
            JavaMigration code = change.code().get();
            MigrationContext context = new MigrationContext(null, schemaName, change.module(), change.version(),
                    change.placeholders(), buckets);
            try {
                if (change.direction() == Direction.UP) {
                    code.up(context);
                } else {
                    code.down(context);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApplyFailure(ApplyFailure.Kind.STATEMENT, change.location(), "interrupted", e);
            } catch (Exception e) {
                throw new ApplyFailure(ApplyFailure.Kind.STATEMENT, change.location(), reason(e), e);
            }
            return;
        }
        for (Change.Script script : change.scripts()) {
            for (SqlStatement statement : script.statements()) {
                runStatement(script, statement, buckets, session);
            }
        }
    }

    private static void runStatement(Change.Script script, SqlStatement statement, Buckets buckets,
                                     KvScript.Session session) throws ApplyFailure {
        try {
            KvScript.run(statement, buckets, session);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyFailure(ApplyFailure.Kind.STATEMENT, where(script, statement), "interrupted", e);
        } catch (RuntimeException e) {
            throw new ApplyFailure(ApplyFailure.Kind.STATEMENT, where(script, statement), statement.summary(),
                    reason(e), List.of(), e);
        }
    }

    private static String where(Change.Script script, SqlStatement statement) {
        return script.location() + ":" + statement.line() + ":" + statement.column();
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    @Override
    public List<String> leftovers() {
        return List.of();
    }

    @Override
    public void dropLeftover(String name) {
    }

    @Override
    public void backup(Path file) {
        store.backup(file);
    }

    @Override
    public void close() {
        lock.release(hold);
        store.close();
    }
}
