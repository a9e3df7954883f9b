package dev.gearshift.fleet;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections one tenant's work takes from its database's pool, remembered so that a tenant that runs
 * past its timeout can be stopped (aborting them makes the running statement fail at once), and so that the
 * backends that ran its migrations can be retired afterwards ({@link BackendRecycler}).
 */
final class TenantConnections implements DataSource {

    /**
     * One connection handed out: the pool's handle (what the pool evicts by) and the driver's connection
     * behind it, which identifies the server backend across borrows (the handle is new for every borrow).
     */
    record Lease(Connection pooled, Connection backend) {
    }

    private final DataSource pool;
    private final List<Lease> handedOut = new CopyOnWriteArrayList<>();

    TenantConnections(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = pool.getConnection();
        Connection backend;
        try {
            backend = connection.unwrap(Connection.class);
        } catch (SQLException e) {
            backend = connection;
        }
        handedOut.add(new Lease(connection, backend));
        return connection;
    }

    /** Every connection handed out so far, in order; the same backend may appear more than once. */
    List<Lease> leases() {
        return List.copyOf(handedOut);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("tenant connections use the pool's credentials");
    }

    /** Aborts every connection still open: the pool replaces them, the tenant's work fails. */
    void abortAll(Executor executor) {
        for (Lease lease : handedOut) {
            Connection connection = lease.pooled();
            try {
                if (!connection.isClosed()) {
                    connection.abort(executor);
                }
            } catch (SQLException ignored) {
                // already gone
            }
        }
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
