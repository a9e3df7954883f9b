package dev.gearshift.postgres;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Guard;
import dev.gearshift.Remedy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The migration lock of one schema: a session-level advisory lock keyed (gearshift, crc32(schema)).
 * Migrators take it exclusively; running application instances take it shared (the Lily seed's scheme),
 * so a migration never runs under live instances and never twice at once.
 */
final class AdvisoryLock {

    /** 'gear' in ASCII: the first key, so Gearshift's locks are easy to find in pg_locks. */
    static final int NAMESPACE = 0x67656172;

    /** A guard waits for a running migration however long it takes (a century, in nanoseconds, fits a long). */
    private static final Duration FOREVER = Duration.ofDays(36_500);

    private final Connection connection;
    private final String schema;
    private final int key;

    AdvisoryLock(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
        CRC32 crc = new CRC32();
        crc.update(schema.getBytes(StandardCharsets.UTF_8));
        this.key = (int) crc.getValue();
    }

    AutoCloseable exclusive(Duration timeout, boolean waitForGuards) {
        try {
            if (!call("SELECT pg_try_advisory_lock(?, ?)")) {
                List<Holder> holders = holders();
                List<Holder> applications = holders.stream().filter(h -> h.shared).toList();
                if (!applications.isEmpty() && !waitForGuards) {
                    throw new GearshiftException(ErrorCode.LOCKED_BY_APPLICATION, "schema " + schema
                            + " is guarded by running application instances, so migrating it is refused: "
                            + describe(applications) + "; stop them first, or wait for them", Remedy.WAIT_FOR_GUARDS);
                }
                waitFor(timeout);
            }
            return () -> {
                try {
                    call("SELECT pg_advisory_unlock(?, ?)");
                } catch (SQLException gone) {
                    // The session is gone, and the lock with it; the failure that ended it is being reported.
                }
            };
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot take the migration lock of " + schema + ": "
                    + e.getMessage(), e);
        }
    }

    /** Migrators of additive patches exclude each other on this key, (MIGRATORS, crc32(schema)). */
    static final int MIGRATORS = NAMESPACE + 1;
    /** A guard's major: a shared lock on (crc32(schema) ^ MAJORS, major), beside the shared schema lock. */
    static final int MAJORS = 0x6d616a72;

    /**
     * The lock of a run that applies only additive patches of {@code major}: with no instance running, the
     * exclusive lock as always. While instances run that all declared {@code major} (the Lily model: patches keep
     * them working), the run takes the migrators' key exclusively instead (one patching run at a time), then the
     * schema lock shared and the major's lock, so it looks to others like an instance of that major: a migrator of
     * anything else keeps waiting for every one of them. Any other instance, or a migrator, stops it as before.
     */
    AutoCloseable forPatches(Duration timeout, boolean waitForGuards, long major) {
        try {
            if (call("SELECT pg_try_advisory_lock(?, ?)")) {
                return () -> {
                    try {
                        call("SELECT pg_advisory_unlock(?, ?)");
                    } catch (SQLException gone) {
                        // the session is gone, and the lock with it
                    }
                };
            }
            List<Holder> holders = holders();
            if (holders.isEmpty() || holders.stream().anyMatch(h -> !h.shared) || !allOfMajor(holders, major)) {
                return exclusive(timeout, waitForGuards);
            }
            if (!poll(MIGRATORS, key, "SELECT pg_try_advisory_lock(?, ?)", timeout)) {
                throw timedOut(timeout);
            }
            if (!call("SELECT pg_try_advisory_lock_shared(?, ?)")) { // a migrator came in between: as usual
                call(MIGRATORS, key, "SELECT pg_advisory_unlock(?, ?)");
                return exclusive(timeout, waitForGuards);
            }
            call(key ^ MAJORS, (int) major, "SELECT pg_try_advisory_lock_shared(?, ?)");
            return () -> {
                try {
                    call(key ^ MAJORS, (int) major, "SELECT pg_advisory_unlock_shared(?, ?)");
                    call("SELECT pg_advisory_unlock_shared(?, ?)");
                    call(MIGRATORS, key, "SELECT pg_advisory_unlock(?, ?)");
                } catch (SQLException gone) {
                    // the session is gone, and its locks with it
                }
            };
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot take the migration lock of " + schema + ": "
                    + e.getMessage(), e);
        }
    }

    /** True when every holder's session also holds the lock of {@code major}: instances that run it. */
    private boolean allOfMajor(List<Holder> holders, long major) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT count(DISTINCT pid) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND classid = ?::oid AND objid = ?::oid AND objsubid = 2
                  AND pid = ANY (?)""")) {
            query.setLong(1, Integer.toUnsignedLong(key ^ MAJORS));
            query.setLong(2, Integer.toUnsignedLong((int) major));
            query.setArray(3, connection.createArrayOf("int4", holders.stream().map(h -> h.pid).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(1) == holders.stream().map(h -> h.pid).distinct().count();
            }
        }
    }

    /** The shared lock of an instance that runs {@code major}: see {@link #forPatches}. */
    Guard shared(long major) {
        Guard guard = shared();
        try {
            call(key ^ MAJORS, (int) major, "SELECT pg_try_advisory_lock_shared(?, ?)");
        } catch (SQLException e) {
            guard.close();
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot take the shared lock of " + schema + ": "
                    + e.getMessage(), e);
        }
        return guard;
    }

    private void waitFor(Duration timeout) throws SQLException {
        if (!poll("SELECT pg_try_advisory_lock(?, ?)", timeout)) {
            throw timedOut(timeout);
        }
    }

    /**
     * Waits for the lock by trying again and again, never in one blocking {@code pg_advisory_lock} call: a
     * statement that waits holds a snapshot, and a {@code CREATE INDEX CONCURRENTLY} in the lock holder's run
     * waits for every older snapshot to end, so a blocked waiter and the holder would wait for each other
     * (through the holder's client, where PostgreSQL's deadlock detector cannot see it). Between tries this
     * session is idle and holds no snapshot.
     */
    private boolean poll(String sql, Duration timeout) throws SQLException {
        return poll(NAMESPACE, key, sql, timeout);
    }

    private boolean poll(int first, int second, String sql, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 5;
        while (!call(first, second, sql)) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(pauseMillis, leftMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
        return true;
    }

    private GearshiftException timedOut(Duration timeout) throws SQLException {
        return new GearshiftException(ErrorCode.LOCK_TIMEOUT, "another migrator holds the lock of schema " + schema
                + " and did not finish within " + timeout.toMillis() / 1000.0 + " s: " + describe(holders())
                + "; wait for it, or raise the migrator wait", Remedy.MIGRATOR_WAIT);
    }

    Guard shared() {
        try {
            if (!poll("SELECT pg_try_advisory_lock_shared(?, ?)", FOREVER)) {
                throw new GearshiftException(ErrorCode.LOCK_TIMEOUT, "interrupted while waiting for the shared lock of "
                        + schema);
            }
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot take the shared lock of " + schema + ": "
                    + e.getMessage(), e);
        }
        return new Guard() {
            @Override
            public String schema() {
                return schema;
            }

            @Override
            public void close() {
                try (connection) {
                    call("SELECT pg_advisory_unlock_shared(?, ?)");
                } catch (SQLException ignored) {
                    // Closing the connection releases the lock anyway.
                }
            }
        };
    }

    private boolean call(String sql) throws SQLException {
        return call(NAMESPACE, key, sql);
    }

    private boolean call(int first, int second, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, first);
            statement.setInt(2, second);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private record Holder(int pid, String application, String user, String client, String since, boolean shared) {
        @Override
        public String toString() {
            return (shared ? "application " : "migrator ") + "pid " + pid + " ('" + application + "', user " + user
                    + (client == null ? "" : ", from " + client) + ", connected since " + since + ")";
        }
    }

    private List<Holder> holders() throws SQLException {
        List<Holder> holders = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT l.pid, a.application_name, a.usename, host(a.client_addr),
                       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), l.mode = 'ShareLock'
                FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ?::oid AND l.objid = ?::oid AND l.objsubid = 2
                ORDER BY l.pid""")) {
            query.setLong(1, Integer.toUnsignedLong(NAMESPACE));
            query.setLong(2, Integer.toUnsignedLong(key));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    holders.add(new Holder(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getBoolean(6)));
                }
            }
        }
        return holders;
    }

    private static String describe(List<Holder> holders) {
        return holders.isEmpty() ? "(the holder has just let go)" : holders.toString();
    }
}
