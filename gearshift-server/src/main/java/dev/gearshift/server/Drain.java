package dev.gearshift.server;

import java.time.Duration;

/**
 * Graceful shutdown for work that changes databases: once {@link #close} is called new work is refused with 503,
 * and {@link #awaitIdle} waits for the work already running to finish, so no migration is cut off half-way.
 */
final class Drain {

    private boolean closing;
    private int running;

    /** One admitted piece of work: {@link #done()} once it finished, in a finally block. */
    interface Admission {
        void done();
    }

    /** Admits one piece of work, or refuses it (503) once a shutdown has begun. */
    synchronized Admission enter() {
        if (closing) {
            throw new ApiError(503, "shutting-down", "the service is shutting down: it takes no new work");
        }
        running++;
        return this::leave;
    }

    private synchronized void leave() {
        running--;
        notifyAll();
    }

    synchronized void close() {
        closing = true;
    }

    synchronized boolean closing() {
        return closing;
    }

    /** True when everything finished within {@code grace}. */
    synchronized boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized int running() {
        return running;
    }
}
