package dev.gearshift.jdbc;

import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the JDBC base needs to know about one SQL database product; a {@link JdbcStoreProvider} over it
 * makes it a store.
 */
public interface Dialect {

    /** Short lower-case name, e.g. {@code postgresql}. */
    String name();

    /** True for URLs of this database, JDBC ({@code jdbc:postgresql:...}) or native ({@code postgres://...}). */
    boolean accepts(String url);

    /** Turns a user-facing URL plus optional credentials into a JDBC URL with login properties. */
    JdbcTarget resolve(String url, String user, String password);

    ScriptParser parser();

    /** The schema a new connection works in when none is configured. */
    String defaultSchema(Connection connection) throws SQLException;

    boolean schemaExists(Connection connection, String schema) throws SQLException;

    /** The user a session runs as: the login user, unless the database says otherwise. */
    default String currentUser(Connection connection) throws SQLException {
        return connection.getMetaData().getUserName();
    }

    void createSchema(Connection connection, String schema) throws SQLException;

    /** True if {@code table} exists in {@code schema}; false also when the schema does not exist. */
    default boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (java.sql.ResultSet tables = connection.getMetaData().getTables(null, schema, table, null)) {
            while (tables.next()) {
                if (table.equals(tables.getString("TABLE_NAME")) && schema.equals(tables.getString("TABLE_SCHEM"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Makes unqualified names in later statements resolve to {@code schema}. */
    void useSchema(Connection connection, String schema) throws SQLException;

    /**
     * Sets a setting such as {@code lock_timeout} for the statements that follow; {@code local} limits it to
     * the current transaction.
     */
    void setSessionSetting(Connection connection, String name, String value, boolean local) throws SQLException;

    /** The current value of a setting, so a migration's own setting can be undone after it. */
    String currentSetting(Connection connection, String name) throws SQLException;

    /**
     * The longest name, in UTF-8 bytes, the database keeps as given. Longer names are refused before anything
     * runs: a database that cuts them short would give two such names one schema but two migration locks.
     */
    default int maxIdentifierBytes() {
        return Integer.MAX_VALUE;
    }

    /** Quotes an identifier for use in generated SQL. */
    String quote(String identifier);

    /** True when a statement failed on a unique constraint or index. */
    default boolean isUniqueViolation(SQLException error) {
        return "23505".equals(error.getSQLState());
    }

    /** True when the server refused the login (wrong user or password). */
    default boolean isLoginRefused(SQLException error) {
        return error.getSQLState() != null && error.getSQLState().startsWith("28");
    }

    /**
     * True when the session itself is gone (server stopped, backend terminated, network lost), so that whatever
     * it held, transaction and locks alike, is gone with it.
     */
    default boolean isConnectionLost(SQLException error) {
        return error.getSQLState() != null && error.getSQLState().startsWith("08");
    }

    /**
     * Indexes of {@code schema} that a failed concurrent build left invalid: the database keeps them (and updates
     * them on every write) without using them, and their names block the build's next attempt.
     */
    default List<String> invalidIndexes(Connection connection, String schema) throws SQLException {
        return List.of();
    }

    /** Drops one index of {@code schema}, without blocking the table's readers and writers where it can. */
    default void dropIndex(Connection connection, String schema, String index) throws SQLException {
        throw new SQLException("this database has no invalid indexes to drop");
    }

    /** Runs one statement; dialects with inline data (COPY FROM stdin) handle it here. */
    void execute(Connection connection, SqlStatement statement) throws SQLException;

    /**
     * Runs statements in order, stopping at the first that fails. Inside a transaction a dialect may send them
     * in fewer round trips than one each (a migration is mostly many short DDL statements); in autocommit mode
     * each must run on its own, as statements that refuse transaction blocks need.
     */
    default void executeAll(Connection connection, List<SqlStatement> statements) throws FailedStatementException {
        for (int i = 0; i < statements.size(); i++) {
            try {
                execute(connection, statements.get(i));
            } catch (SQLException e) {
                throw new FailedStatementException(i, e);
            }
        }
    }

    /**
     * A statement that lets the current transaction commit without waiting for its log to reach disk, or empty.
     * The engine runs it in every migration's transaction except the run's last write: the database writes its
     * log in order, so that last, ordinary commit makes every earlier one durable too, and each migration still
     * commits atomically with its history row. For that to hold, {@link #prepareMigrationSession} must have made
     * the session's ordinary commits wait for the disk.
     */
    default Optional<String> deferredFlush() {
        return Optional.empty();
    }

    /**
     * Readies a session the engine migrates through, whatever the server's defaults: its commits wait for the
     * disk (an embedded or test server often returns from commits before their log is flushed; a stronger
     * default, such as waiting for replicas, stays), and the server does not end it for being idle while it
     * holds the migration lock (it is, while a no-transaction migration runs on a session of its own).
     */
    default void prepareMigrationSession(Connection connection) throws SQLException {
    }

    /** Its migration lock and the shared lock application instances hold, and how its lock waits end. */
    Locks locks();

    /** The DDL of its history table. */
    HistoryDdl historyDdl();

    /** Its own dump tool, when it has one. */
    default Optional<Backup> backup() {
        return Optional.empty();
    }

    /** The database's own explanation of an error: message, detail, hint, SQLSTATE. */
    String describe(SQLException error);

    /** 1-based character offset of the error inside the failing statement, when the database reports it. */
    OptionalInt errorPosition(SQLException error);
}
