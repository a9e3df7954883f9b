package dev.gearshift.kv.internal;

import dev.gearshift.Gearshift;
import dev.gearshift.Guard;
import dev.gearshift.HistoryEntry;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.spi.ApplyFailure;
import dev.gearshift.spi.Capability;
import dev.gearshift.spi.Change;
import dev.gearshift.spi.LockedStore;
import dev.gearshift.spi.Store;
import dev.gearshift.spi.StoreProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One schema of a key-value store as the engine sees it. The history is the migrations bucket of the schema
 * ({@code migrationsv1} unless the project names another); a migrator is told apart by the URL's
 * {@code ?migrator=NAME}, else by its process and thread.
 */
final class KvTarget implements Store {

    /** The reserved bucket of the history, as InfluxDB names it, when the project keeps the default name. */
    static final String MIGRATIONS_BUCKET = "migrationsv1";

    private final OpenStores.Location location;
    private final String migrator;
    private final Optional<String> schema;
    private final String historyBucket;

    KvTarget(String url, Optional<String> schema, StoreProvider.Options options) {
        this.location = OpenStores.Location.parse(url);
        this.migrator = migrator(url);
        this.schema = schema;
        this.historyBucket = historyBucket(options.historyTable());
    }

    static String historyBucket(String historyTable) {
        return historyTable.equals(Gearshift.HISTORY_TABLE) ? MIGRATIONS_BUCKET : historyTable;
    }

    private static String migrator(String url) {
        int query = url.indexOf("?migrator=");
        if (query >= 0) {
            return url.substring(query + "?migrator=".length());
        }
        return "pid " + ProcessHandle.current().pid() + " thread " + Thread.currentThread().getName();
    }

    String schemaName() {
        return schema.orElse("main");
    }

    @Override
    public String display() {
        return location.url();
    }

    @Override
    public Set<Capability> capabilities() {
        return KvStoreProvider.CAPABILITIES;
    }

    @Override
    public History read() {
        if (!location.exists()) {
            return new History(schemaName(), List.of());
        }
        try (OpenStore store = OpenStores.process().open(location)) {
            return new History(schemaName(), entries(Scoped.of(store, schema), historyBucket));
        }
    }

    /** The history rows in {@code bucket} of {@code buckets}, oldest first; none when it does not exist. */
    static List<HistoryEntry> entries(dev.gearshift.kv.Buckets buckets, String bucket) {
        if (!buckets.bucketExists(bucket)) {
            return List.of();
        }
        List<HistoryEntry> entries = new ArrayList<>();
        try (Cursor cursor = buckets.cursor(bucket, KeyRange.all())) {
            cursor.forEachRemaining(entry -> entries.add(HistoryCodec.decode(entry.value())));
        }
        return entries;
    }

    @Override
    public Map<String, List<HistoryEntry>> readMany(List<String> schemas) {
        Map<String, List<HistoryEntry>> histories = new LinkedHashMap<>();
        if (!location.exists()) {
            schemas.forEach(s -> histories.put(s, List.of()));
            return histories;
        }
        try (OpenStore store = OpenStores.process().open(location)) {
            for (String name : schemas) {
                histories.put(name, entries(Scoped.of(store, Optional.of(name)), historyBucket));
            }
        }
        return histories;
    }

    @Override
    public List<Optional<String>> runAndRollBack(List<Change> changes) {
        List<Optional<String>> outcomes = new ArrayList<>();
        try (OpenStore store = OpenStores.process().open(location)) {
            for (Change change : changes) {
                try (Overlay unit = (Overlay) store.begin()) {
                    KvLocked.run(change, Scoped.of(unit, schema), schemaName(), KvLocked.NO_SESSION);
                    outcomes.add(Optional.empty());
                } catch (ApplyFailure failure) {
                    outcomes.add(Optional.of(failure.where() + ": " + failure.reason()));
                }
            }
        }
        return outcomes;
    }

    @Override
    public LockedStore lock(Duration migratorWait, boolean waitForGuards) {
        OpenStore store = OpenStores.process().open(location);
        try {
            SchemaLock lock = store.lock(schemaName());
            SchemaLock.Hold hold = lock.acquire(migrator, migratorWait, waitForGuards);
            return new KvLocked(store, lock, hold, schema, schemaName(), historyBucket);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public Guard guard() {
        OpenStore store = OpenStores.process().open(location);
        Guard guard = store.lock(schemaName()).guard(migrator);
        return new Guard() {
            private boolean closed;

            @Override
            public String schema() {
                return schemaName();
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    guard.close();
                    store.close();
                }
            }
        };
    }
}
