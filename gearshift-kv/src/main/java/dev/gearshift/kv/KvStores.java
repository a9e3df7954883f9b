package dev.gearshift.kv;

import dev.gearshift.kv.internal.OpenStores;
import java.nio.file.Path;

/**
 * Opens key-value stores. In one process, every opening of a path shares one open store (the stores lock their
 * files per process); the files are closed, and free for other processes, when the last opening is closed.
 */
public final class KvStores {

    private KvStores() {
    }

    /** {@code mvstore:PATH} or {@code rocksdb:PATH}; a store that does not exist yet is created. */
    public static KvStore open(String url) {
        return OpenStores.process().open(OpenStores.Location.parse(url));
    }

    /** An H2 MVStore file. */
    public static KvStore mvstore(Path file) {
        return open("mvstore:" + file);
    }

    /** A RocksDB directory; buckets are column families. */
    public static KvStore rocksdb(Path directory) {
        return open("rocksdb:" + directory);
    }

    /**
     * Puts back the store at {@code url} as {@code backup} holds it (a backup {@link KvStore#backup} or
     * {@link KvMigrator#backupPath} wrote): the store's file or directory is replaced by a copy of the backup,
     * which stays as it is. The store must be closed, in this process and every other.
     */
    public static void restore(String url, Path backup) {
        OpenStores.process().restore(OpenStores.Location.parse(url), backup);
    }

    /** Whether the store at {@code url} exists (opening it would not create it). */
    public static boolean exists(String url) {
        return OpenStores.Location.parse(url).exists();
    }
}
