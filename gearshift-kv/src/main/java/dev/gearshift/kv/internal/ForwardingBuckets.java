package dev.gearshift.kv.internal;

import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import java.util.List;
import java.util.Optional;

/** Buckets that another object's are, for views that add to them. */
abstract class ForwardingBuckets implements Buckets {

    private final Buckets inner;

    ForwardingBuckets(Buckets inner) {
        this.inner = inner;
    }

    @Override
    public List<String> buckets() {
        return inner.buckets();
    }

    @Override
    public boolean bucketExists(String bucket) {
        return inner.bucketExists(bucket);
    }

    @Override
    public void createBucket(String bucket) {
        inner.createBucket(bucket);
    }

    @Override
    public void deleteBucket(String bucket) {
        inner.deleteBucket(bucket);
    }

    @Override
    public Optional<byte[]> get(String bucket, byte[] key) {
        return inner.get(bucket, key);
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        inner.put(bucket, key, value);
    }

    @Override
    public void delete(String bucket, byte[] key) {
        inner.delete(bucket, key);
    }

    @Override
    public Cursor cursor(String bucket, KeyRange range) {
        return inner.cursor(bucket, range);
    }

    @Override
    public Optional<byte[]> lastKey(String bucket) {
        return inner.lastKey(bucket);
    }
}
