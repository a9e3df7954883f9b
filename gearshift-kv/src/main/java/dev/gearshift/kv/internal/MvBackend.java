package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.kv.KvEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * H2's MVStore: a bucket is a map. Auto-commit is off, so a store version holds exactly one unit's writes, and
 * after a crash the file opens at the last committed version: a unit is in it whole or not at all.
 */
final class MvBackend implements Backend {

    private final Path file;
    private final MVStore store;

    MvBackend(Path file) {
        this.file = file;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        } catch (MVStoreException e) {
            throw openFailure("mvstore:" + file, e);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot create the folder of mvstore:" + file + ": "
                    + e.getMessage(), e);
        }
    }

    static GearshiftException openFailure(String url, RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("locked")) {
            return new GearshiftException(ErrorCode.CONNECTION, "store " + url + " is held by another process (its"
                    + " file is locked): stop that process, or migrate from within it with KvMigrator", e);
        }
        return new GearshiftException(ErrorCode.CONNECTION, "store " + url + " cannot be opened: it is not a"
                + " readable MVStore file, or it is damaged (" + message + "); restore it from a backup", e);
    }

    private MVMap<String, byte[]> map(String bucket) {
        return store.openMap(bucket, new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    }

    @Override
    public Set<String> buckets() {
        return new TreeSet<>(store.getMapNames());
    }

    @Override
    public boolean exists(String bucket) {
        return store.hasMap(bucket);
    }

    @Override
    public byte[] get(String bucket, byte[] key) {
        return map(bucket).get(Bytes.latin1(key));
    }

    @Override
    public Cursor scan(String bucket, KeyRange range) {
        String from = range.from().map(Bytes::latin1).orElse(null);
        String to = range.to().map(Bytes::latin1).orElse(null);
        org.h2.mvstore.Cursor<String, byte[]> cursor = map(bucket).cursor(from);
        return new Cursor() {
            private String key;
            private byte[] value;

            @Override
            public boolean hasNext() {
                if (key == null && cursor.hasNext()) {
                    String next = cursor.next();
                    if (to == null || next.compareTo(to) < 0) {
                        key = next;
                        value = cursor.getValue();
                    }
                }
                return key != null;
            }

            @Override
            public KvEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                KvEntry entry = new KvEntry(Bytes.fromLatin1(key), value);
                key = null;
                return entry;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public byte[] lowerKey(String bucket, byte[] key) {
        MVMap<String, byte[]> map = map(bucket);
        String found = key == null ? map.lastKey() : map.lowerKey(Bytes.latin1(key));
        return found == null ? null : Bytes.fromLatin1(found);
    }

    @Override
    public void commit(List<Op> ops) {
        try {
            for (Op op : ops) {
                if (op instanceof Op.Put put) {
                    map(put.bucket()).put(Bytes.latin1(put.key()), put.value());
                } else if (op instanceof Op.Delete delete) {
                    map(delete.bucket()).remove(Bytes.latin1(delete.key()));
                } else if (op instanceof Op.CreateBucket create) {
                    map(create.bucket());
                } else {
                    store.removeMap(op.bucket());
                }
            }
            store.commit();
        } catch (RuntimeException e) {
            store.rollback();
            throw e;
        }
    }

    @Override
    public void backup(Path target) {
        // Commits are serialised by the caller and nothing writes between them (auto-commit is off), so the file
        // as of now is the last committed version, whole.
        try {
            store.commit();
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
