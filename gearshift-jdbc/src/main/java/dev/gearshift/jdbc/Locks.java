package dev.gearshift.jdbc;

import dev.gearshift.Guard;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A SQL database's migration lock (exclusive, one migrator per schema) and the shared lock application instances
 * hold while they run, and how its statements' waits for other sessions' locks end: a dialect's locking role.
 */
public interface Locks {

    /**
     * True when a statement gave up waiting for a lock another session holds (the wait that
     * {@link #lockWaitSetting} bounds): run again later, it may well succeed.
     */
    default boolean isLockTimeout(SQLException error) {
        return false;
    }

    /**
     * The session setting, and its value, that makes a statement give up after waiting {@code wait} for a lock
     * (PostgreSQL: {@code lock_timeout}); empty where the database has none. Without it a DDL statement queued
     * behind a long reader waits for ever, and every later reader queues behind it.
     */
    default Optional<java.util.Map.Entry<String, String>> lockWaitSetting(Duration wait) {
        return Optional.empty();
    }

    /**
     * The sessions that {@code waiting} is blocked by right now, each described for a person (process id,
     * application, user, state, statement), read through {@code observer}; empty when it waits for nothing.
     */
    default List<String> lockBlockers(Connection observer, Connection waiting) throws SQLException {
        return List.of();
    }

    /**
     * Takes the exclusive migration lock of {@code schema} on {@code connection}, held until closed.
     * If application instances hold the shared lock ({@link Guard}), refuses at once naming them, unless
     * {@code waitForGuards}; another migrator is waited for up to {@code timeout}.
     */
    AutoCloseable lockExclusive(Connection connection, String schema, Duration timeout, boolean waitForGuards);

    /** Takes the shared lock an application instance holds while it runs; closes the connection on close. */
    Guard lockShared(Connection connection, String schema);

    /** As {@link #lockExclusive}, letting guards of {@code major} run on (see Store#lockForPatches). */
    default AutoCloseable lockForPatches(Connection connection, String schema, Duration timeout, boolean waitForGuards,
                                         long major) {
        return lockExclusive(connection, schema, timeout, waitForGuards);
    }

    /** A guard that says which major its instance runs. */
    default Guard lockShared(Connection connection, String schema, long major) {
        return lockShared(connection, schema);
    }
}
