package dev.gearshift.kv;

import dev.gearshift.kv.internal.Bytes;
import java.util.Optional;

/**
 * Keys from {@code from} (inclusive) to {@code to} (exclusive), in unsigned byte order; an empty bound is open.
 */
public record KeyRange(Optional<byte[]> from, Optional<byte[]> to) {

    public static KeyRange all() {
        return new KeyRange(Optional.empty(), Optional.empty());
    }

    public static KeyRange between(byte[] from, byte[] to) {
        return new KeyRange(Optional.of(from.clone()), Optional.of(to.clone()));
    }

    /** Keys from {@code from} on. */
    public static KeyRange from(byte[] from) {
        return new KeyRange(Optional.of(from.clone()), Optional.empty());
    }

    /** Keys after {@code key} (a resumed cursor's next chunk). */
    public static KeyRange after(byte[] key) {
        return from(Bytes.successor(key));
    }

    /** Keys that start with {@code prefix}. */
    public static KeyRange prefix(byte[] prefix) {
        return new KeyRange(Optional.of(prefix.clone()), Bytes.prefixEnd(prefix));
    }

    public boolean contains(byte[] key) {
        return from.map(f -> Bytes.compare(key, f) >= 0).orElse(true)
                && to.map(t -> Bytes.compare(key, t) < 0).orElse(true);
    }
}
