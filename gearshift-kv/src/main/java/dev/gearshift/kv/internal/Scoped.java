package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import java.util.List;
import java.util.Optional;

/**
 * The buckets of one schema: a named schema's buckets are kept as {@code schema/bucket}, so that one store holds
 * many schemas (a fleet's tenants, a test's targets); the default schema's buckets are the store's own, and
 * {@code /} in a bucket name is left to named schemas. A schema exists once its marker bucket {@code schema/} does.
 */
public final class Scoped implements Buckets {

    private final Buckets inner;
    private final String prefix;

    private Scoped(Buckets inner, String prefix) {
        this.inner = inner;
        this.prefix = prefix;
    }

    /** {@code schema} empty: the store's own buckets. */
    public static Scoped of(Buckets inner, Optional<String> schema) {
        return new Scoped(inner, schema.map(s -> s + "/").orElse(""));
    }

    /** The bucket that marks a named schema as existing; none for the default one. */
    public static Optional<String> marker(Optional<String> schema) {
        return schema.map(s -> s + "/");
    }

    public String raw(String bucket) {
        BucketRules.checkName(bucket);
        if (bucket.indexOf('/') >= 0) {
            throw new GearshiftException(ErrorCode.USAGE, "bucket name '" + bucket + "' holds a '/', which"
                    + " Gearshift keeps for the buckets of named schemas");
        }
        return prefix + bucket;
    }

    @Override
    public List<String> buckets() {
        return inner.buckets().stream().filter(b -> b.startsWith(prefix) && b.length() > prefix.length()
                && b.indexOf('/', prefix.length()) < 0).map(b -> b.substring(prefix.length())).toList();
    }

    @Override
    public boolean bucketExists(String bucket) {
        return inner.bucketExists(raw(bucket));
    }

    @Override
    public void createBucket(String bucket) {
        try {
            inner.createBucket(raw(bucket));
        } catch (GearshiftException e) {
            throw named(e, bucket);
        }
    }

    @Override
    public void deleteBucket(String bucket) {
        try {
            inner.deleteBucket(raw(bucket));
        } catch (GearshiftException e) {
            throw named(e, bucket);
        }
    }

    @Override
    public Optional<byte[]> get(String bucket, byte[] key) {
        try {
            return inner.get(raw(bucket), key);
        } catch (GearshiftException e) {
            throw named(e, bucket);
        }
    }

    @Override
    public void put(String bucket, byte[] key, byte[] value) {
        try {
            inner.put(raw(bucket), key, value);
        } catch (GearshiftException e) {
            throw named(e, bucket);
        }
    }

    @Override
    public void delete(String bucket, byte[] key) {
        try {
            inner.delete(raw(bucket), key);
        } catch (GearshiftException e) {
            throw named(e, bucket);
        }
    }

    @Override
    public Cursor cursor(String bucket, KeyRange range) {
        try {
            return inner.cursor(raw(bucket), range);
        } catch (GearshiftException e) {
            throw named(e, bucket);
        }
    }

    @Override
    public Optional<byte[]> lastKey(String bucket) {
        try {
            return inner.lastKey(raw(bucket));
        } catch (GearshiftException e) {
            throw named(e, bucket);
        }
    }

    /** The error as the schema's user names the bucket, without the schema's prefix. */
    private GearshiftException named(GearshiftException e, String bucket) {
        if (prefix.isEmpty() || e.getMessage() == null || !e.getMessage().contains(prefix + bucket)) {
            return e;
        }
        return new GearshiftException(e.code(), e.getMessage().replace(prefix + bucket, bucket), e);
    }
}
