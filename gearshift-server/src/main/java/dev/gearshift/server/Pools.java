package dev.gearshift.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.gearshift.jdbc.JdbcPool;
import dev.gearshift.jdbc.JdbcStoreProvider;
import dev.gearshift.jdbc.JdbcTarget;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connection pools, one per database and login, opened on first use: starting the service dials nothing, and a
 * database nobody asks for is never contacted.
 */
final class Pools implements AutoCloseable {

    /**
     * Every connection of a pool was in use for the whole wait: the service is busy, the database is fine. Told
     * apart from a database that cannot be reached, so that the caller gets a 503 with {@code Retry-After}, not a
     * 502 and the pool's internals.
     */
    static final class Exhausted extends SQLTransientConnectionException {
        Exhausted(String message) {
            super(message);
        }
    }

    private record Key(String url, String user, String password, Duration connectTimeout) {
    }

    /** How long a request's database may take to hand out a connection. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Map<Key, Bounded> pools = new ConcurrentHashMap<>();
    private final int size;

    Pools(int size) {
        this.size = size;
    }

    DataSource dataSource(String url, Credentials credentials) {
        return dataSource(url, credentials, CONNECT_TIMEOUT);
    }

    /** {@code connectTimeout}: a fleet's, so that an unreachable tenant database is given up on soon. */
    DataSource dataSource(String url, Credentials credentials, Duration connectTimeout) {
        return pools.computeIfAbsent(new Key(url, credentials.user(), credentials.password(), connectTimeout), key -> {
            JdbcTarget target = JdbcStoreProvider.resolve(key.url(), key.user(), key.password());
            return new Bounded(JdbcPool.open(target, size, key.connectTimeout(), "gearshift-server"), size);
        });
    }

    @Override
    public void close() {
        pools.values().forEach(p -> p.pool.close());
        pools.clear();
    }

    /** A pool whose timeout for want of a free connection is an {@link Exhausted}. */
    private record Bounded(HikariDataSource pool, int size) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            try {
                return pool.getConnection();
            } catch (SQLTransientConnectionException e) {
                // with a cause, the pool could not open a connection: the database's failure, reported as such
                if (e.getCause() == null && pool.getHikariPoolMXBean() != null
                        && pool.getHikariPoolMXBean().getActiveConnections() >= size) {
                    throw new Exhausted("all " + size + " connections of this service to the database are in use"
                            + " (limits.connections_per_database)");
                }
                throw e;
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the pool's login is fixed");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return pool.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return pool.isWrapperFor(type);
        }
    }
}
