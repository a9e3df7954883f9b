package dev.gearshift.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices when a migration this service starts must wait for another one of the same target that it is already
 * running, and for how long. The lock itself is the core's advisory lock; this only watches the service's own
 * traffic, so Prometheus can show lock contention without the engine reporting it.
 */
final class LockWaits {

    /** One lock-taking operation: ended by {@link #close}, which reports the wait, if any. */
    final class Operation {
        private final String key;
        private final String label;
        private final long started = System.nanoTime();
        private final List<Operation> before;
        private volatile long finished;

        private Operation(String key, String label, List<Operation> before) {
            this.key = key;
            this.label = label;
            this.before = before;
        }

        void close() {
            finished = System.nanoTime();
            synchronized (LockWaits.this) {
                List<Operation> running = inFlight.get(key);
                running.remove(this);
                if (running.isEmpty()) {
                    inFlight.remove(key);
                }
            }
            if (!before.isEmpty()) {
                // it could not have the lock before every earlier operation had let go of it
                long freed = before.stream().mapToLong(o -> o.finished == 0 ? finished : o.finished).max()
                        .orElse(started);
                metrics.lockWaited(label, Duration.ofNanos(Math.max(0, Math.min(freed, finished) - started)));
            }
        }
    }

    private final Map<String, List<Operation>> inFlight = new ConcurrentHashMap<>();
    private final Metrics metrics;

    LockWaits(Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param key   what the lock is about: a database and schema
     * @param label how the target is named in metrics
     */
    synchronized Operation begin(String key, String label) {
        List<Operation> running = inFlight.computeIfAbsent(key, k -> new ArrayList<>());
        Operation operation = new Operation(key, label, List.copyOf(running));
        running.add(operation);
        return operation;
    }
}
