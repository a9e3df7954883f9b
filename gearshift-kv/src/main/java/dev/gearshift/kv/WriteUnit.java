package dev.gearshift.kv;

/**
 * Writes that commit together: MVStore writes them in one store version, RocksDB in one write batch (buckets
 * created or deleted in the unit included). Closing a unit that was not committed discards it.
 */
public interface WriteUnit extends Buckets, AutoCloseable {

    /** Makes every write of the unit durable and visible at once. The unit may not be used afterwards. */
    void commit();

    /** How many writes the unit holds (a chunked rewrite commits when it grows past its chunk). */
    int pending();

    @Override
    void close();
}
