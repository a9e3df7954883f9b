package dev.gearshift.kv;

import java.util.List;
import java.util.Optional;

/**
 * What a key-value store and one of its write units both do: named buckets of keys and values, each kept in the
 * unsigned byte order of its keys. Writing to a bucket that does not exist, creating one that does, or deleting
 * one that does not fails with a {@link dev.gearshift.GearshiftException} naming the bucket.
 */
public interface Buckets {

    /** The buckets, by name. */
    List<String> buckets();

    boolean bucketExists(String bucket);

    void createBucket(String bucket);

    /** Deletes the bucket and everything in it. */
    void deleteBucket(String bucket);

    Optional<byte[]> get(String bucket, byte[] key);

    void put(String bucket, byte[] key, byte[] value);

    /** Deletes a key; a key that is not there is no error. */
    void delete(String bucket, byte[] key);

    /** The entries of {@code range}, in key order. Close it: a store may hold resources for it. */
    Cursor cursor(String bucket, KeyRange range);

    /** The bucket's last key, if it holds any. */
    Optional<byte[]> lastKey(String bucket);
}
