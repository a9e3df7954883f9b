package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.kv.KvEntry;
import dev.gearshift.kv.WriteUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A write unit: its writes are kept here, in order, and seen by its own reads over the committed state; committing
 * hands them to the store in one commit. Nothing reaches the store before, so a unit that fails or is dropped
 * leaves nothing.
 */
final class Overlay implements WriteUnit {

    /** What the unit did to one bucket. */
    private static final class Pending {
        final boolean exists;
        /** Created or deleted by the unit: the committed contents are not seen through it. */
        final boolean fresh;
        /** Keys written by the unit; a null value is a deleted key. */
        final NavigableMap<byte[], byte[]> writes = new TreeMap<>(Bytes::compare);

        Pending(boolean exists, boolean fresh) {
            this.exists = exists;
            this.fresh = fresh;
        }
    }

    private final OpenStore store;
    private final Backend base;
    private final Map<String, Pending> buckets = new HashMap<>();
    private final List<Op> log = new ArrayList<>();
    private boolean done;

    Overlay(OpenStore store) {
        this.store = store;
        this.base = store.backend();
    }

    @Override
    public List<String> buckets() {
        TreeSet<String> names = new TreeSet<>(base.buckets());
        buckets.forEach((name, pending) -> {
            if (pending.exists) {
                names.add(name);
            } else {
                names.remove(name);
            }
        });
        return List.copyOf(names);
    }

    @Override
    public boolean bucketExists(String bucket) {
        Pending pending = buckets.get(bucket);
        return pending != null ? pending.exists : base.exists(bucket);
    }

    @Override
    public void createBucket(String bucket) {
        open();
        BucketRules.checkName(bucket);
        if (bucketExists(bucket)) {
            throw BucketRules.present(bucket);
        }
        buckets.put(bucket, new Pending(true, true));
        log.add(new Op.CreateBucket(bucket));
    }

    @Override
    public void deleteBucket(String bucket) {
        require(bucket);
        buckets.put(bucket, new Pending(false, true));
        log.add(new Op.DeleteBucket(bucket));
    }

    @Override
    public Optional<byte[]> get(String bucket, byte[] key) {
        Pending pending = require(bucket);
        if (pending != null && pending.writes.containsKey(key)) {
            return Optional.ofNullable(pending.writes.get(key));
        }
        return pending != null && pending.fresh ? Optional.empty() : Optional.ofNullable(base.get(bucket, key));
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        written(bucket).writes.put(key.clone(), value.clone());
        log.add(new Op.Put(bucket, key.clone(), value.clone()));
    }

    @Override
    public void delete(String bucket, byte[] key) {
        written(bucket).writes.put(key.clone(), null);
        log.add(new Op.Delete(bucket, key.clone()));
    }

    private Pending written(String bucket) {
        require(bucket);
        return buckets.computeIfAbsent(bucket, b -> new Pending(true, false));
    }

    @Override
    public Cursor cursor(String bucket, KeyRange range) {
        Pending pending = require(bucket);
        Cursor committed = pending != null && pending.fresh ? null : base.scan(bucket, range);
        if (pending == null) {
            return committed;
        }
        NavigableMap<byte[], byte[]> own = pending.writes;
        if (range.from().isPresent()) {
            own = own.tailMap(range.from().get(), true);
        }
        if (range.to().isPresent()) {
            own = own.headMap(range.to().get(), false);
        }
        return merge(committed, own.entrySet().iterator());
    }

    /** The committed entries and the unit's own, in key order; the unit's win, and its deletions hide keys. */
    private static Cursor merge(Cursor committed, Iterator<Map.Entry<byte[], byte[]>> own) {
        return new Cursor() {
            private KvEntry base = advance(committed);
            private Map.Entry<byte[], byte[]> mine = own.hasNext() ? own.next() : null;
            private KvEntry next;

            private static KvEntry advance(Cursor cursor) {
                return cursor != null && cursor.hasNext() ? cursor.next() : null;
            }

            @Override
            public boolean hasNext() {
                while (next == null && (base != null || mine != null)) {
                    int order = base == null ? 1 : mine == null ? -1 : Bytes.compare(base.key(), mine.getKey());
                    if (order < 0) {
                        next = base;
                        base = advance(committed);
                    } else {
                        if (order == 0) {
                            base = advance(committed);
                        }
                        if (mine.getValue() != null) {
                            next = new KvEntry(mine.getKey(), mine.getValue());
                        }
                        mine = own.hasNext() ? own.next() : null;
                    }
                }
                return next != null;
            }

            @Override
            public KvEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                KvEntry entry = next;
                next = null;
                return entry;
            }

            @Override
            public void close() {
                if (committed != null) {
                    committed.close();
                }
            }
        };
    }

    @Override
    public Optional<byte[]> lastKey(String bucket) {
        Pending pending = require(bucket);
        byte[] own = null;
        if (pending != null) {
            for (Map.Entry<byte[], byte[]> e : pending.writes.descendingMap().entrySet()) {
                if (e.getValue() != null) {
                    own = e.getKey();
                    break;
                }
            }
        }
        byte[] committed = null;
        if (pending == null || !pending.fresh) {
            committed = base.lowerKey(bucket, null);
            while (committed != null && pending != null && pending.writes.containsKey(committed)
                    && pending.writes.get(committed) == null) {
                committed = base.lowerKey(bucket, committed);
            }
        }
        if (own == null || committed != null && Bytes.compare(committed, own) > 0) {
            return Optional.ofNullable(committed);
        }
        return Optional.of(own);
    }

    private Pending require(String bucket) {
        open();
        if (!bucketExists(bucket)) {
            throw BucketRules.missing(bucket);
        }
        return buckets.get(bucket);
    }

    private void open() {
        if (done) {
            throw new GearshiftException(ErrorCode.INTERNAL, "this write unit was committed or closed already");
        }
    }

    @Override
    public int pending() {
        return log.size();
    }

    @Override
    public void commit() {
        commit(() -> {
        });
    }

    /** Commits after {@code check} found nothing wrong, with no other commit in between. */
    void commit(Runnable check) {
        open();
        done = true;
        store.commit(log, check);
    }

    @Override
    public void close() {
        done = true;
    }
}
