package dev.gearshift.jdbc;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.Store;
import dev.gearshift.spi.StoreProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.sql.DataSource;

/**
 * A SQL database as a kind of store: a store module extends this with its {@link Dialect} and registers it as a
 * {@link StoreProvider} service.
 */
public abstract class JdbcStoreProvider implements StoreProvider {

    private final Dialect dialect;

    protected JdbcStoreProvider(Dialect dialect) {
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String name() {
        return dialect.name();
    }

    @Override
    public boolean accepts(String url) {
        return dialect.accepts(url);
    }

    @Override
    public boolean accepts(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return dialect.accepts(connection.getMetaData().getURL());
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot connect: " + e.getMessage(), e);
        }
    }

    @Override
    public ScriptParser parser() {
        return dialect.parser();
    }

    @Override
    public int maxIdentifierBytes() {
        return dialect.maxIdentifierBytes();
    }

    @Override
    public Store open(Endpoint endpoint, Options options) {
        Connections connections = endpoint.dataSource().isPresent()
                ? new DataSourceConnections(endpoint.dataSource().get(), endpoint.description())
                : new DriverConnections(dialect.resolve(endpoint.url().orElseThrow(), endpoint.user().orElse(null),
                        endpoint.password().orElse(null)));
        return new JdbcStore(dialect, capabilities(), connections, endpoint.schema(), options);
    }

    /**
     * A user-facing URL (JDBC or native, such as {@code postgres://}) with optional credentials, as a driver URL
     * and properties, by the SQL store that accepts it.
     */
    public static JdbcTarget resolve(String url, String user, String password) {
        return dialectFor(url).orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, "no SQL database"
                + " understands '" + Secrets.mask(url) + "'; use jdbc:postgresql://host/db or"
                + " postgres://user@host:port/db")).resolve(url, user, password);
    }

    /** The dialect of the SQL store that accepts {@code url}, if any. */
    public static Optional<Dialect> dialectFor(String url) {
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class, JdbcStoreProvider.class.getClassLoader())) {
            if (provider instanceof JdbcStoreProvider jdbc && jdbc.accepts(url)) {
                return Optional.of(jdbc.dialect);
            }
        }
        return Optional.empty();
    }

    private record DriverConnections(JdbcTarget jdbc) implements Connections {
        @Override
        public Connection open() throws SQLException {
            return DriverManager.getConnection(jdbc.jdbcUrl(), jdbc.properties());
        }

        @Override
        public String display() {
            return jdbc.display();
        }

        @Override
        public Optional<JdbcTarget> target() {
            return Optional.of(jdbc);
        }
    }

    private record DataSourceConnections(DataSource dataSource, String display) implements Connections {
        @Override
        public Connection open() throws SQLException {
            return dataSource.getConnection();
        }
    }
}
