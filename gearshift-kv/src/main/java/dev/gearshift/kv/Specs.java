package dev.gearshift.kv;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/** Specs for common changes, as InfluxDB's {@code migration.CreateBuckets}. */
public final class Specs {

    /** How many keys a rewrite commits at a time unless told otherwise. */
    public static final int CHUNK = 10_000;

    private Specs() {
    }

    /** Up creates the buckets, down deletes them. */
    public static Spec createBuckets(String name, String... buckets) {
        List<String> all = List.of(buckets);
        return Spec.of(name, store -> all.forEach(store::createBucket), store -> {
            for (int i = all.size() - 1; i >= 0; i--) {
                store.deleteBucket(all.get(i));
            }
        });
    }

    /**
     * Up moves every key of {@code from} to a new bucket {@code to}, down moves them back, each in one unit (so
     * for buckets that fit in memory; rewrite larger ones).
     */
    public static Spec renameBucket(String name, String from, String to) {
        return Spec.of(name, store -> {
            copy(store, from, to);
            store.deleteBucket(from);
        }, store -> {
            copy(store, to, from);
            store.deleteBucket(to);
        });
    }

    /** Up copies every key of {@code from} to a new bucket {@code to}, down deletes {@code to}. */
    public static Spec copyBucket(String name, String from, String to) {
        return Spec.of(name, store -> copy(store, from, to), store -> store.deleteBucket(to));
    }

    private static void copy(Buckets store, String from, String to) {
        store.createBucket(to);
        try (Cursor cursor = store.cursor(from, KeyRange.all())) {
            cursor.forEachRemaining(e -> store.put(to, e.key(), e.value()));
        }
    }

    /**
     * Rewrites every value of {@code bucket} with {@code rewrite} (a data migration), {@link #CHUNK} keys a unit.
     * See {@link #rewrite(String, String, int, UnaryOperator, LongConsumer)}.
     */
    public static Spec rewrite(String name, String bucket, UnaryOperator<byte[]> rewrite) {
        return rewrite(name, bucket, CHUNK, rewrite, done -> {
        });
    }

    /**
     * Rewrites every value of {@code bucket} with {@code rewrite}, committing {@code chunk} keys a unit with the
     * last key done as the spec's cursor: memory stays that of one chunk, however large the bucket, and a run
     * that died half-way resumes after the last committed chunk once repaired, instead of rewriting values twice.
     * {@code progress} hears the number of keys done after each chunk. It cannot be migrated down: a rewrite's
     * inverse is another rewrite.
     */
    public static Spec rewrite(String name, String bucket, int chunk, UnaryOperator<byte[]> rewrite,
                               LongConsumer progress) {
        if (chunk < 1) {
            throw new GearshiftException(ErrorCode.USAGE, "a rewrite's chunk must hold 1 key or more");
        }
        return new Spec() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean transactional() {
                return false;
            }

            @Override
            public void up(Buckets store) {
                if (!(store instanceof Units units)) {
                    throw new GearshiftException(ErrorCode.USAGE, "spec \"" + name + "\" rewrites in chunks: it"
                            + " runs outside a write unit");
                }
                byte[] after = units.cursor().orElse(null);
                long done = 0;
                while (true) {
                    byte[] last = null;
                    try (WriteUnit unit = units.begin();
                         Cursor cursor = units.cursor(bucket, after == null ? KeyRange.all() : KeyRange.after(after))) {
                        int n = 0;
                        while (n < chunk && cursor.hasNext()) {
                            KvEntry entry = cursor.next();
                            unit.put(bucket, entry.key(), rewrite.apply(entry.value()));
                            last = entry.key();
                            n++;
                        }
                        boolean more = cursor.hasNext();
                        units.commit(unit, more ? last : null);
                        done += n;
                        progress.accept(done);
                        if (!more) {
                            return;
                        }
                    }
                    after = last;
                }
            }
        };
    }
}
