package dev.gearshift.kv;

import java.util.Optional;

/**
 * What a spec that is not transactional works with: the schema's buckets, where each write commits on its own,
 * and write units it commits itself, each with a cursor kept in the spec's record, so that a run that stopped
 * half-way resumes where it stopped.
 */
public interface Units extends Buckets {

    /** A write unit over the same buckets. */
    WriteUnit begin();

    /** Where a previous run of this spec stopped: the cursor of its last committed unit. */
    Optional<byte[]> cursor();

    /**
     * Commits {@code unit} and, in the same unit, {@code cursor} as where this spec has got to; null when the spec
     * is done, which clears it.
     */
    void commit(WriteUnit unit, byte[] cursor);
}
