package dev.gearshift.jdbc;


import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Watches a migration's session while it runs, to say who it waited for should it give up waiting for a lock:
 * once the wait has ended in a timeout, the session no longer waits, and nothing tells whom it waited for. A
 * second session looks, but only once the migration has run {@link #FIRST_LOOK} (most finish sooner, and open
 * no connection), then every {@link #EVERY}. Best effort: what it cannot see, the error leaves out.
 */
final class LockWaitWatch implements AutoCloseable {

    private static final long FIRST_LOOK = 100;
    private static final long EVERY = 100;

    private final Thread thread;
    private volatile List<String> blockers = List.of();

    private LockWaitWatch(Dialect dialect, Connections connections, Connection waiting) {
        thread = new Thread(() -> watch(dialect, connections, waiting), "gearshift-lock-wait-watch");
        thread.setDaemon(true);
    }

    static LockWaitWatch start(Dialect dialect, Connections connections, Connection waiting) {
        LockWaitWatch watch = new LockWaitWatch(dialect, connections, waiting);
        watch.thread.start();
        return watch;
    }

    private void watch(Dialect dialect, Connections connections, Connection waiting) {
        try {
            Thread.sleep(FIRST_LOOK);
            try (Connection observer = connections.open()) {
                while (!Thread.currentThread().isInterrupted()) {
                    List<String> now = dialect.locks().lockBlockers(observer, waiting);
                    if (!now.isEmpty()) {
                        blockers = List.copyOf(now);
                    }
                    Thread.sleep(EVERY);
                }
            }
        } catch (InterruptedException | SQLException | RuntimeException e) {
            // the migration ended, or the watch cannot see: either way there is nothing more to learn
        }
    }

    /** The sessions it last saw the migration wait for. */
    List<String> blockers() {
        return blockers;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
