package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The stores open in this process, one per path. It is the one piece of state shared across the process, and
 * must be: MVStore and RocksDB lock their files per process, so a second opening of a path in the same process
 * (the application's own store, a migrator, a test's look at it) has to share the first one. The last closing
 * closes the files, and so frees them for other processes; a killed process frees them with its file locks.
 */
public final class OpenStores {

    private static final OpenStores PROCESS = new OpenStores();

    private final Map<Path, OpenStore> open = new HashMap<>();

    private OpenStores() {
    }

    public static OpenStores process() {
        return PROCESS;
    }

    /** {@code mvstore:PATH} or {@code rocksdb:PATH}, a query ({@code ?migrator=...}) left out. */
    public record Location(String kind, Path path) {

        public static Location parse(String url) {
            String bare = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            int colon = bare.indexOf(':');
            String kind = colon < 0 ? "" : bare.substring(0, colon);
            if (!kind.equals("mvstore") && !kind.equals("rocksdb") || bare.length() == colon + 1) {
                throw new GearshiftException(ErrorCode.USAGE, "'" + url + "' is not a key-value store: give"
                        + " mvstore:PATH or rocksdb:PATH");
            }
            return new Location(kind, Path.of(bare.substring(colon + 1)).toAbsolutePath().normalize());
        }

        public String url() {
            return kind + ":" + path;
        }

        /** Whether the store's files are there (a missing store is not created by reading it). */
        public boolean exists() {
            return kind.equals("mvstore") ? Files.isRegularFile(path) : Files.exists(path.resolve("CURRENT"));
        }
    }

    public synchronized OpenStore open(Location location) {
        OpenStore store = open.get(location.path());
        if (store == null) {
            Backend backend = location.kind().equals("mvstore") ? new MvBackend(location.path())
                    : new RocksBackend(location.path());
            store = new OpenStore(location.kind(), location.path(), backend, this);
            open.put(location.path(), store);
        } else if (!store.kind().equals(location.kind())) {
            throw new GearshiftException(ErrorCode.USAGE, location.path() + " is open as a " + store.kind()
                    + " store, not " + location.kind());
        }
        store.references++;
        return store;
    }

    public synchronized void restore(Location location, Path backup) {
        if (open.containsKey(location.path())) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot restore " + location.url() + " while it is open in"
                    + " this process: close it first");
        }
        if (!Files.exists(backup)) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot restore " + location.url() + ": there is no backup"
                    + " at " + backup);
        }
        try {
            if (Files.exists(location.path())) {
                try (var files = Files.walk(location.path())) {
                    for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
            try (var files = Files.walk(backup)) {
                for (Path file : files.toList()) {
                    Path copy = location.path().resolve(backup.relativize(file).toString());
                    Files.copy(file, file.equals(backup) ? location.path() : copy);
                }
            }
        } catch (java.io.IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot restore " + location.url() + " from " + backup
                    + ": " + e.getMessage(), e);
        }
    }

    synchronized void release(OpenStore store) {
        if (--store.references == 0) {
            open.remove(store.path());
            store.closeBackend();
        }
    }
}
