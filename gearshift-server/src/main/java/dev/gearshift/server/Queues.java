package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Fair, bounded queues in front of the databases, for {@code POST /migrate}. Without them every request took a pool
 * connection at once: those on one schema sat on a connection each while they polled for the schema's advisory lock,
 * the pool ran dry, and the rest failed with the pool's own timeout. Now a request that takes the lock first waits
 * its turn for its schema here (first come, first served, within {@code lock_timeout}), holding nothing; then it
 * waits for one of the database's slots, of which there are no more than the pool can serve. A request that would
 * wait past the bounds is told at once to come back later, with {@code Retry-After}.
 */
final class Queues {

    /** A place in a queue, held while the request runs: {@link #close} in a finally block. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    /** One fair queue: {@code permits} run, up to {@code bound} wait. */
    private static final class Gate {
        final Semaphore permits;
        final int bound;
        int waiting;
        int users;
        /** Recent time a turn was held, in ms (moving average): the basis of {@code Retry-After}. */
        double heldMillis = 200;

        Gate(int permits, int bound) {
            this.permits = new Semaphore(permits, true);
            this.bound = bound;
        }
    }

    private final ServerConfig.Limits limits;
    private final Duration lockWait;
    private final Map<String, Gate> databases = new HashMap<>();
    private final Map<String, Gate> schemas = new HashMap<>();

    Queues(ServerConfig.Limits limits, Duration lockWait) {
        this.limits = limits;
        this.lockWait = lockWait;
    }

    /**
     * Waits for the request's turn: on its schema first when it takes the schema's lock, then on its database.
     *
     * @throws ApiError          429 or 503 {@code busy} with a retry delay, when a queue is full or the wait too long
     * @throws GearshiftException {@code LOCK_TIMEOUT} when this service's other requests kept the schema for the
     *                           whole {@code lock_timeout}, as the advisory lock would have
     */
    Turn enter(String database, String schema, boolean takesLock) throws InterruptedException {
        Turn schemaTurn = takesLock ? take(schemas, database + "/" + schema, 1, limits.queuePerSchema(), lockWait,
                () -> new ApiError(429, "busy", limits.queuePerSchema() + " requests already wait for schema " + schema
                        + " of database " + database + " (limits.queue_per_schema); retry later"),
                () -> new GearshiftException(ErrorCode.LOCK_TIMEOUT, "schema " + schema + " of " + database
                        + " stayed locked by other migrations for the whole lock_timeout (" + lockWait.toSeconds()
                        + " s)")) : () -> { };
        try {
            Turn databaseTurn = take(databases, database, limits.migrationsPerDatabase(), limits.queuePerDatabase(),
                    limits.queueWait(),
                    () -> new ApiError(503, "busy", limits.queuePerDatabase() + " requests already wait for database "
                            + database + " (limits.queue_per_database); retry later"),
                    () -> new ApiError(503, "busy", "database " + database + " was busy for the whole queue wait ("
                            + limits.queueWait().toSeconds() + " s, limits.queue_wait); retry later"));
            return () -> {
                databaseTurn.close();
                schemaTurn.close();
            };
        } catch (RuntimeException | InterruptedException e) {
            schemaTurn.close();
            throw e;
        }
    }

    private Turn take(Map<String, Gate> gates, String key, int permits, int bound, Duration wait,
                      java.util.function.Supplier<RuntimeException> full,
                      java.util.function.Supplier<RuntimeException> timedOut) throws InterruptedException {
        Gate gate;
        synchronized (this) {
            gate = gates.computeIfAbsent(key, k -> new Gate(permits, bound));
            // a free permit means no wait; otherwise the request joins the queue, if there is room
            if (gate.permits.availablePermits() == 0 && gate.waiting >= gate.bound) {
                throw withRetry(full.get(), retryAfter(gate, permits));
            }
            gate.users++;
            gate.waiting++;
        }
        boolean acquired = false;
        try {
            acquired = gate.permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            synchronized (this) {
                gate.waiting--;
                if (!acquired) {
                    release(gates, key, gate);
                }
            }
        }
        if (!acquired) {
            throw withRetry(timedOut.get(), retryAfter(gate, permits));
        }
        long started = System.nanoTime();
        return () -> {
            synchronized (this) {
                gate.heldMillis = 0.8 * gate.heldMillis + 0.2 * (System.nanoTime() - started) / 1e6;
                gate.permits.release();
                release(gates, key, gate);
            }
        };
    }

    /** Gates of schemas nobody asks for any more are forgotten, so a caller cannot grow the map without bound. */
    private static void release(Map<String, Gate> gates, String key, Gate gate) {
        if (--gate.users == 0) {
            gates.remove(key, gate);
        }
    }

    /** Seconds until the queue ahead has probably drained, at least 1 and at most 60. */
    private static long retryAfter(Gate gate, int permits) {
        double seconds = gate.heldMillis * (gate.waiting + 1) / permits / 1000;
        return Math.max(1, Math.min(60, (long) Math.ceil(seconds)));
    }

    private static RuntimeException withRetry(RuntimeException e, long seconds) {
        if (e instanceof ApiError api) {
            return api.retryAfter(seconds);
        }
        return e;
    }
}
