package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.kv.KvEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB: a bucket is a column family. Creating and dropping a column family is not part of a write batch, so
 * which family holds which bucket is kept in a catalog in the default family, written in the unit's batch: a
 * bucket created by a unit gets a new family (named {@code bucket~n}) before the batch, and exists once the batch
 * names it; a deleted bucket's family is dropped after it. A crash between the two leaves a family no catalog
 * entry names, which the next open drops. Families the catalog does not know and whose name has no {@code ~}
 * (an application's own, from before Gearshift) are buckets by their own name.
 */
final class RocksBackend implements Backend {

    private static final String CATALOG = "gearshift.bucket/";
    private static final String DEFAULT = "default";

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final RocksDB db;
    private final DBOptions options;
    private final WriteOptions durable = new WriteOptions().setSync(true);
    private final Map<String, ColumnFamilyHandle> families = new ConcurrentHashMap<>();
    private volatile Map<String, String> live = Map.of();
    /** Handles of dropped families, closed with the store: a reader may still hold one a moment after the drop. */
    private final List<ColumnFamilyHandle> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long created;

    RocksBackend(Path dir) {
        this.dir = dir;
        this.options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            List<byte[]> names = Files.exists(dir.resolve("CURRENT"))
                    ? RocksDB.listColumnFamilies(new Options(), dir.toString()) : List.of(RocksDB.DEFAULT_COLUMN_FAMILY);
            if (names.stream().noneMatch(n -> java.util.Arrays.equals(n, RocksDB.DEFAULT_COLUMN_FAMILY))) {
                throw new RocksDBException("its MANIFEST names no column family, not even the default one");
            }
            for (byte[] name : names) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
            this.db = RocksDB.open(options, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            throw openFailure("rocksdb:" + dir, e);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot create rocksdb:" + dir + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < descriptors.size(); i++) {
            families.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
        }
        readCatalog();
    }

    private static GearshiftException openFailure(String url, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("LOCK") || message.contains("lock")) {
            return new GearshiftException(ErrorCode.CONNECTION, "store " + url + " is held by another process (its"
                    + " LOCK file is locked): stop that process, or migrate from within it with KvMigrator", e);
        }
        return new GearshiftException(ErrorCode.CONNECTION, "store " + url + " cannot be opened: it is not a"
                + " readable RocksDB directory, or it is damaged (" + message + "); restore it from a backup", e);
    }

    private void readCatalog() {
        Map<String, String> buckets = new HashMap<>();
        Set<String> named = new TreeSet<>();
        try (RocksIterator it = db.newIterator()) {
            byte[] prefix = Bytes.utf8(CATALOG);
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                String bucket = Bytes.text(it.key()).substring(CATALOG.length());
                named.add(bucket);
                String family = Bytes.text(it.value());
                if (!family.isEmpty() && families.containsKey(family)) {
                    buckets.put(bucket, family);
                }
            }
        }
        for (String family : families.keySet()) {
            if (!family.equals(DEFAULT) && family.indexOf('~') < 0 && !named.contains(family)) {
                buckets.put(family, family);
            }
        }
        for (String family : List.copyOf(families.keySet())) {
            if (!family.equals(DEFAULT) && !buckets.containsValue(family)) {
                drop(family); // left by a crash between a family's creation or deletion and its unit's batch
            }
        }
        live = Map.copyOf(buckets);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private ColumnFamilyHandle family(String bucket) {
        return families.get(live.get(bucket));
    }

    @Override
    public Set<String> buckets() {
        return new TreeSet<>(live.keySet());
    }

    @Override
    public boolean exists(String bucket) {
        return live.containsKey(bucket);
    }

    @Override
    public byte[] get(String bucket, byte[] key) {
        try {
            return db.get(family(bucket), key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    @Override
    public Cursor scan(String bucket, KeyRange range) {
        ReadOptions read = new ReadOptions();
        RocksIterator it = db.newIterator(family(bucket), read);
        range.from().ifPresentOrElse(it::seek, it::seekToFirst);
        return new Cursor() {
            @Override
            public boolean hasNext() {
                return it.isValid() && range.to().map(to -> Bytes.compare(it.key(), to) < 0).orElse(true);
            }

            @Override
            public KvEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                KvEntry entry = new KvEntry(it.key(), it.value());
                it.next();
                return entry;
            }

            @Override
            public void close() {
                it.close();
                read.close();
            }
        };
    }

    @Override
    public byte[] lowerKey(String bucket, byte[] key) {
        try (RocksIterator it = db.newIterator(family(bucket))) {
            if (key == null) {
                it.seekToLast();
            } else {
                it.seekForPrev(key);
                if (it.isValid() && Bytes.compare(it.key(), key) >= 0) {
                    it.prev();
                }
            }
            return it.isValid() ? it.key() : null;
        }
    }

    @Override
    public void commit(List<Op> ops) {
        Map<String, String> next = new HashMap<>(live);
        List<String> made = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        try (WriteBatch batch = new WriteBatch()) {
            for (Op op : ops) {
                if (op instanceof Op.Put put) {
                    batch.put(families.get(next.get(put.bucket())), put.key(), put.value());
                } else if (op instanceof Op.Delete delete) {
                    batch.delete(families.get(next.get(delete.bucket())), delete.key());
                } else if (op instanceof Op.CreateBucket) {
                    String family = op.bucket() + "~" + System.currentTimeMillis() + "." + ++created;
                    families.put(family, db.createColumnFamily(new ColumnFamilyDescriptor(Bytes.utf8(family))));
                    made.add(family);
                    batch.put(Bytes.utf8(CATALOG + op.bucket()), Bytes.utf8(family));
                    next.put(op.bucket(), family);
                } else {
                    String family = next.remove(op.bucket());
                    // A family of the application's own is marked deleted; one of Gearshift's is forgotten.
                    batch.put(Bytes.utf8(CATALOG + op.bucket()), new byte[0]);
                    dropped.add(family);
                }
            }
            db.write(durable, batch);
        } catch (RocksDBException | RuntimeException e) {
            made.forEach(this::drop);
            throw e instanceof RocksDBException r ? failure(r) : (RuntimeException) e;
        }
        live = Map.copyOf(next);
        dropped.forEach(this::drop);
    }

    private void drop(String family) {
        ColumnFamilyHandle handle = families.remove(family);
        if (handle != null) {
            retired.add(handle);
            try {
                db.dropColumnFamily(handle);
            } catch (RocksDBException e) {
                throw failure(e);
            }
        }
    }

    private GearshiftException failure(RocksDBException e) {
        return new GearshiftException(ErrorCode.CONNECTION, "rocksdb:" + dir + ": " + e.getMessage(), e);
    }

    @Override
    public void backup(Path target) {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot write a checkpoint of rocksdb:" + dir + " to "
                    + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        families.values().forEach(ColumnFamilyHandle::close);
        retired.forEach(ColumnFamilyHandle::close);
        db.close();
        durable.close();
        options.close();
    }
}
