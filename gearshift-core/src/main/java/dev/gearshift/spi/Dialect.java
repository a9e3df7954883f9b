package dev.gearshift.spi;

import dev.gearshift.Guard;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything Gearshift needs to know about one database product. Found with
 * {@link java.util.ServiceLoader}; the first whose {@link #accepts} says yes is used.
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

    void createSchema(Connection connection, String schema) throws SQLException;

    /** Makes unqualified names in later statements resolve to {@code schema}. */
    void useSchema(Connection connection, String schema) throws SQLException;

    /**
     * Sets a setting such as {@code lock_timeout} for the statements that follow; {@code local} limits it to
     * the current transaction.
     */
    void setSessionSetting(Connection connection, String name, String value, boolean local) throws SQLException;

    /** The current value of a setting, so a migration's own setting can be undone after it. */
    String currentSetting(Connection connection, String name) throws SQLException;

    /** Quotes an identifier for use in generated SQL. */
    String quote(String identifier);

    /** The DDL of the history table; see {@link dev.gearshift.HistoryEntry} for the columns. */
    String historyTableDdl(String qualifiedTable);

    /** Runs one statement; dialects with inline data (COPY FROM stdin) handle it here. */
    void execute(Connection connection, SqlStatement statement) throws SQLException;

    /**
     * Why this statement cannot run inside a transaction block (e.g. {@code CREATE INDEX CONCURRENTLY}),
     * or empty when it can.
     */
    Optional<String> transactionRestriction(SqlStatement statement);

    /** True for BEGIN, COMMIT, ROLLBACK and their synonyms, which would break Gearshift's own transactions. */
    boolean isTransactionControl(SqlStatement statement);

    /** The database's own explanation of an error: message, detail, hint, SQLSTATE. */
    String describe(SQLException error);

    /** 1-based character offset of the error inside the failing statement, when the database reports it. */
    OptionalInt errorPosition(SQLException error);

    /**
     * Takes the exclusive migration lock of {@code schema} on {@code connection}, held until closed.
     * If application instances hold the shared lock ({@link Guard}), refuses at once naming them, unless
     * {@code waitForGuards}; another migrator is waited for up to {@code timeout}.
     */
    AutoCloseable lockExclusive(Connection connection, String schema, Duration timeout, boolean waitForGuards);

    /**
     * Writes a backup of {@code schema} to {@code file} before a run changes it (the InfluxDB seed's backup
     * path), with the database's own dump tool. Throws when the backup cannot be made: nothing is run then.
     */
    void backup(JdbcTarget target, String schema, java.nio.file.Path file);

    /** Takes the shared lock an application instance holds while it runs; closes the connection on close. */
    Guard lockShared(Connection connection, String schema);
}
