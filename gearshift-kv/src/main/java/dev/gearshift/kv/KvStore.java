package dev.gearshift.kv;

import java.nio.file.Path;

/**
 * An embedded, file-backed key-value store: H2's MVStore ({@code mvstore:PATH}) or RocksDB ({@code rocksdb:PATH}),
 * opened with {@link KvStores}. Each write made directly on the store commits on its own; writes made in a
 * {@link #begin() write unit} commit together or not at all, crash included. The store's files are locked against
 * other processes for as long as it is open; in one process, every opening of a path shares one open store.
 */
public interface KvStore extends Buckets, AutoCloseable {

    /** {@code mvstore:PATH} or {@code rocksdb:PATH}. */
    String url();

    /** The store's file (MVStore) or directory (RocksDB). */
    Path path();

    /** A write unit: its reads see its own writes, and nothing of it is seen or kept until it commits. */
    WriteUnit begin();

    /**
     * Writes a consistent copy of the store to {@code target} while it stays open (MVStore: the file as of the
     * last commit; RocksDB: a checkpoint directory). Open the copy with {@link KvStores#open} of the same kind.
     */
    void backup(Path target);

    @Override
    void close();
}
