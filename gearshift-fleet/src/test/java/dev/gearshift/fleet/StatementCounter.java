package dev.gearshift.fleet;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Counts the statements this JVM sends to each PostgreSQL database, as the client sees them: a JDBC driver
 * put in front of pgjdbc in {@link DriverManager} that hands out connections whose statements count every
 * {@code execute*} call (one call is one round trip; a batch counts once).
 *
 * <p>Why this and not the server's statistics: {@code pg_stat_statements} is not loaded on an embedded or a
 * default server, and {@code pg_stat_database.xact_commit} is flushed lazily (PostgreSQL 15+: when a backend
 * goes idle, at most once a second) and also counts autovacuum's transactions, which follow exactly the kind of
 * catalog churn creating hundreds of schemas makes. Counting at the driver is exact and deterministic. HikariCP
 * (what a fleet pools connections with) asks {@link DriverManager#getDriver} for the driver of a JDBC URL when a
 * pool is built, so pools built while this is installed use it; its connection checks use
 * {@link Connection#isValid}, which is not a statement and is not counted.
 */
final class StatementCounter implements Driver, AutoCloseable {

    private final Driver postgres;
    private final Map<String, AtomicInteger> statements = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();

    private StatementCounter(Driver postgres) {
        this.postgres = postgres;
    }

    /** Puts a counter in front of pgjdbc until {@link #close()}. */
    static StatementCounter install() throws SQLException {
        Driver postgres = DriverManager.getDriver("jdbc:postgresql://localhost/postgres");
        StatementCounter counter = new StatementCounter(postgres);
        // DriverManager asks drivers in registration order: re-register pgjdbc after the counter.
        DriverManager.deregisterDriver(postgres);
        DriverManager.registerDriver(counter);
        DriverManager.registerDriver(postgres);
        return counter;
    }

    /** Statements executed on connections to {@code database} so far. */
    int statements(String database) {
        return statements.getOrDefault(database, new AtomicInteger()).get();
    }

    /** Connections opened to {@code database} so far. */
    int connections(String database) {
        return connections.getOrDefault(database, new AtomicInteger()).get();
    }

    @Override
    public void close() throws SQLException {
        DriverManager.deregisterDriver(this);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection connection = postgres.connect(url, info);
        if (connection == null) {
            return null;
        }
        String database = databaseOf(url);
        connections.computeIfAbsent(database, d -> new AtomicInteger()).incrementAndGet();
        AtomicInteger count = statements.computeIfAbsent(database, d -> new AtomicInteger());
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new Forward(connection, (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (result instanceof Statement statement) {
                        Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                                : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                                new Forward(statement, (p, m, a) -> {
                                    if (m.getName().startsWith("execute")) {
                                        count.incrementAndGet();
                                    }
                                    return invoke(statement, m, a);
                                }));
                    }
                    return result;
                }));
    }

    /** {@code jdbc:postgresql://host:port/DATABASE?...} -> DATABASE. */
    static String databaseOf(String url) {
        String rest = url.replaceFirst("^jdbc:postgresql://[^/]*/?", "");
        int end = rest.indexOf('?');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Calls {@code handler}, except for unwrap and isWrapperFor, which reach the driver's own object. */
    private record Forward(Object target, InvocationHandler handler) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return StatementCounter.invoke(target, method, args);
            }
            if (method.getName().equals("equals") && args != null && args.length == 1) {
                return proxy == args[0];
            }
            if (method.getName().equals("hashCode") && (args == null || args.length == 0)) {
                return System.identityHashCode(proxy);
            }
            return handler.invoke(proxy, method, args);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return postgres.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return postgres.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return postgres.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return postgres.getParentLogger();
    }
}
