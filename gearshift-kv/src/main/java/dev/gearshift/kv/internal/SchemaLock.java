package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Guard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The migration lock of one schema of an open store, and the guards of the application instances that use it.
 * Other processes are kept out by the store's file lock (held while the store is open, and gone with a killed
 * process); this lock orders the migrators of this process. A holder that lost it (its session ended, see
 * {@link #lose}) finds out at its next write.
 */
public final class SchemaLock {

    /** One migrator's hold of the lock. */
    public static final class Hold {
        final String migrator;
        final Instant since = Instant.now();
        volatile boolean lost;

        Hold(String migrator) {
            this.migrator = migrator;
        }

        public boolean lost() {
            return lost;
        }

        public String migrator() {
            return migrator;
        }
    }

    private final String schema;
    private final String store;
    private Hold holder;
    private final List<String> guards = new ArrayList<>();
    private final Set<String> waiting = new CopyOnWriteArraySet<>();
    private final Set<String> sleeping = new CopyOnWriteArraySet<>();

    SchemaLock(String schema, String store) {
        this.schema = schema;
        this.store = store;
    }

    /**
     * Takes the lock for {@code migrator}, waiting up to {@code wait} for another migrator; guards refuse at once
     * unless {@code waitForGuards}.
     */
    public synchronized Hold acquire(String migrator, Duration wait, boolean waitForGuards) {
        long deadline = System.nanoTime() + wait.toNanos();
        waiting.add(migrator);
        try {
            while (holder != null || !guards.isEmpty()) {
                if (!guards.isEmpty() && !waitForGuards) {
                    throw lockedByApplications();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (holder == null) {
                        throw lockedByApplications();
                    }
                    throw new GearshiftException(ErrorCode.LOCK_TIMEOUT, "another migrator holds the lock of schema "
                            + schema + " in " + store + ": '" + holder.migrator + "', since " + holder.since
                            + "; gave up after " + wait.toMillis() + " ms. Run again once it is done, or wait longer");
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GearshiftException(ErrorCode.LOCK_TIMEOUT, "interrupted while waiting for the lock of schema "
                    + schema, e);
        } finally {
            waiting.remove(migrator);
        }
        holder = new Hold(migrator);
        return holder;
    }

    private GearshiftException lockedByApplications() {
        return new GearshiftException(ErrorCode.LOCKED_BY_APPLICATION, "schema " + schema + " in " + store
                + " is in use by " + guards.stream().map(g -> "'" + g + "'").toList() + ": migrations wait until"
                + " they close their guards");
    }

    /** Lets go of the lock, if {@code hold} still has it. */
    public synchronized void release(Hold hold) {
        if (holder == hold) {
            holder = null;
            notifyAll();
        }
    }

    /** Takes the lock away from the migrator named so, as a session that ended would lose it. */
    public synchronized boolean lose(String migrator) {
        if (holder != null && holder.migrator.equals(migrator)) {
            holder.lost = true;
            holder = null;
            notifyAll();
            return true;
        }
        return false;
    }

    /** A guard of an application instance named {@code application}: migrations refuse while it is open. */
    public Guard guard(String application) {
        synchronized (this) {
            guards.add(application);
        }
        return new Guard() {
            private boolean closed;

            @Override
            public String schema() {
                return schema;
            }

            @Override
            public void close() {
                synchronized (SchemaLock.this) {
                    if (!closed) {
                        closed = true;
                        guards.remove(application);
                        SchemaLock.this.notifyAll();
                    }
                }
            }
        };
    }

    public boolean isWaiting(String migrator) {
        return waiting.contains(migrator);
    }

    public boolean isSleeping(String migrator) {
        return sleeping.contains(migrator);
    }

    void sleeping(String migrator, boolean asleep) {
        if (asleep) {
            sleeping.add(migrator);
        } else {
            sleeping.remove(migrator);
        }
    }
}
