package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.kv.KvStore;
import dev.gearshift.kv.WriteUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A store open in this process, shared by every opening of its path (see {@link OpenStores}), with the migration
 * locks of its schemas. Commits are serialised here, so a unit's check of the history (its fence) and its writes
 * happen with no other commit in between.
 */
public final class OpenStore implements KvStore {

    private final String kind;
    private final Path path;
    private final Backend backend;
    private final Object commits = new Object();
    private final Map<String, SchemaLock> locks = new ConcurrentHashMap<>();
    private final OpenStores registry;
    int references;

    OpenStore(String kind, Path path, Backend backend, OpenStores registry) {
        this.kind = kind;
        this.path = path;
        this.backend = backend;
        this.registry = registry;
    }

    @Override
    public String url() {
        return kind + ":" + path;
    }

    @Override
    public Path path() {
        return path;
    }

    public String kind() {
        return kind;
    }

    /** The migration lock of {@code schema} in this store. */
    public SchemaLock lock(String schema) {
        return locks.computeIfAbsent(schema, s -> new SchemaLock(s, url()));
    }

    Backend backend() {
        return backend;
    }

    /** Commits {@code ops} at once, after {@code check} (which may refuse by throwing) found nothing wrong. */
    void commit(List<Op> ops, Runnable check) {
        synchronized (commits) {
            check.run();
            if (!ops.isEmpty()) {
                backend.commit(ops);
            }
        }
    }

    /** Runs {@code read} with no commit under way. */
    public <T> T quiet(Supplier<T> read) {
        synchronized (commits) {
            return read.get();
        }
    }

    @Override
    public WriteUnit begin() {
        return new Overlay(this);
    }

    private <T> T single(java.util.function.Function<WriteUnit, T> write) {
        try (WriteUnit unit = begin()) {
            T result = write.apply(unit);
            unit.commit();
            return result;
        }
    }

    @Override
    public List<String> buckets() {
        return List.copyOf(backend.buckets());
    }

    @Override
    public boolean bucketExists(String bucket) {
        return backend.exists(bucket);
    }

    @Override
    public void createBucket(String bucket) {
        single(unit -> {
            unit.createBucket(bucket);
            return null;
        });
    }

    @Override
    public void deleteBucket(String bucket) {
        single(unit -> {
            unit.deleteBucket(bucket);
            return null;
        });
    }

    @Override
    public Optional<byte[]> get(String bucket, byte[] key) {
        require(bucket);
        return Optional.ofNullable(backend.get(bucket, key));
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        single(unit -> {
            unit.put(bucket, key, value);
            return null;
        });
    }

    @Override
    public void delete(String bucket, byte[] key) {
        single(unit -> {
            unit.delete(bucket, key);
            return null;
        });
    }

    @Override
    public Cursor cursor(String bucket, KeyRange range) {
        require(bucket);
        return backend.scan(bucket, range);
    }

    @Override
    public Optional<byte[]> lastKey(String bucket) {
        require(bucket);
        return Optional.ofNullable(backend.lowerKey(bucket, null));
    }

    private void require(String bucket) {
        if (!backend.exists(bucket)) {
            throw BucketRules.missing(bucket);
        }
    }

    @Override
    public void backup(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.exists(target)) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot back " + url() + " up to " + target + ": it"
                    + " exists already; move it away or choose another path");
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot back " + url() + " up to " + target + ": its"
                    + " folder " + parent + " does not exist or cannot be written");
        }
        synchronized (commits) {
            try {
                backend.backup(target);
            } catch (RuntimeException e) {
                throw e instanceof GearshiftException g ? g : new GearshiftException(ErrorCode.USAGE, "cannot back "
                        + url() + " up to " + target + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        registry.release(this);
    }

    void closeBackend() {
        backend.close();
    }

    @Override
    public String toString() {
        return url();
    }
}
