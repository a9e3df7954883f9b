package dev.gearshift.postgres;

import dev.gearshift.Guard;
import dev.gearshift.jdbc.Locks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * PostgreSQL's locks: session advisory locks keyed on the schema ({@link AdvisoryLock}), {@code lock_timeout} for
 * statements' waits, and {@code pg_blocking_pids} to name whom a statement waited for.
 */
final class PostgresLocks implements Locks {

    @Override
    public boolean isLockTimeout(SQLException error) {
        return "55P03".equals(error.getSQLState()); // lock_not_available
    }

    @Override
    public Optional<java.util.Map.Entry<String, String>> lockWaitSetting(Duration wait) {
        return Optional.of(java.util.Map.entry("lock_timeout", wait.toMillis() + "ms"));
    }

    @Override
    public List<String> lockBlockers(Connection observer, Connection waiting) throws SQLException {
        int pid = waiting.unwrap(PGConnection.class).getBackendPID();
        List<String> blockers = new java.util.ArrayList<>();
        try (PreparedStatement query = observer.prepareStatement("SELECT pid, application_name, usename, state,"
                + " left(regexp_replace(query, '\\s+', ' ', 'g'), 200), extract(epoch FROM now() - xact_start)::bigint FROM pg_stat_activity"
                + " WHERE pid = ANY (pg_blocking_pids(?)) ORDER BY pid")) {
            query.setInt(1, pid);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    blockers.add("pid " + rows.getInt(1) + " (application '" + rows.getString(2) + "', user "
                            + rows.getString(3) + ", " + rows.getString(4) + ", transaction open for "
                            + rows.getLong(6) + " s): " + rows.getString(5));
                }
            }
        }
        return blockers;
    }

    @Override
    public AutoCloseable lockExclusive(Connection connection, String schema, Duration timeout, boolean waitForGuards) {
        return new AdvisoryLock(connection, schema).exclusive(timeout, waitForGuards);
    }

    @Override
    public Guard lockShared(Connection connection, String schema) {
        return new AdvisoryLock(connection, schema).shared();
    }

    @Override
    public AutoCloseable lockForPatches(Connection connection, String schema, Duration timeout, boolean waitForGuards,
                                        long major) {
        return new AdvisoryLock(connection, schema).forPatches(timeout, waitForGuards, major);
    }

    @Override
    public Guard lockShared(Connection connection, String schema, long major) {
        return new AdvisoryLock(connection, schema).shared(major);
    }
}
