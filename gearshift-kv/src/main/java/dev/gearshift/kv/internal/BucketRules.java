package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;

/** The errors every store gives for buckets used wrongly, in the same words. */
final class BucketRules {

    private BucketRules() {
    }

    static GearshiftException missing(String bucket) {
        return new GearshiftException(ErrorCode.USAGE, "bucket " + bucket + " does not exist");
    }

    static GearshiftException present(String bucket) {
        return new GearshiftException(ErrorCode.USAGE, "bucket " + bucket + " already exists");
    }

    static void checkName(String bucket) {
        if (bucket == null || bucket.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "a bucket name is empty");
        }
    }
}
