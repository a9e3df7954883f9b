package dev.gearshift.kv.internal;

/** One write of a unit, replayed in order when the unit commits. */
public sealed interface Op {

    String bucket();

    record CreateBucket(String bucket) implements Op {
    }

    record DeleteBucket(String bucket) implements Op {
    }

    record Put(String bucket, byte[] key, byte[] value) implements Op {
    }

    record Delete(String bucket, byte[] key) implements Op {
    }
}
