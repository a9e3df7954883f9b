package dev.gearshift.kv.internal;

import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One kind of key-value store, reduced to what the write units above it need: reads of committed state, and an
 * atomic commit of a list of writes. Its caller serialises commits.
 */
public interface Backend {

    Set<String> buckets();

    boolean exists(String bucket);

    /** Null when the key is not there; the bucket exists. */
    byte[] get(String bucket, byte[] key);

    Cursor scan(String bucket, KeyRange range);

    /** The last key before {@code key} (before the end when null), or null. */
    byte[] lowerKey(String bucket, byte[] key);

    /** Applies every write, or none of them, crash included. */
    void commit(List<Op> ops);

    void backup(Path target);

    void close();
}
