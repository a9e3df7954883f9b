package dev.gearshift.postgres;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import dev.gearshift.jdbc.Backup;
import dev.gearshift.jdbc.Dialect;
import dev.gearshift.jdbc.FailedStatementException;
import dev.gearshift.jdbc.HistoryDdl;
import dev.gearshift.jdbc.JdbcTarget;
import dev.gearshift.jdbc.Locks;
import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.SqlStatement;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** PostgreSQL: PgJDBC, psql-compatible script splitting, COPY FROM stdin and advisory locks. */
public final class PostgresDialect implements Dialect {

    /** {@code postgres://user:password@host:port/database?params}, as libpq and the Skygear seed write it. */
    private static final Pattern NATIVE_URL = Pattern.compile(
            "postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]*)(?:/([^?]*))?(?:\\?(.*))?");
    static final Pattern JDBC_URL = Pattern.compile(
            "jdbc:postgresql://\\[?([^/:?\\]]*)\\]?(?::(\\d+))?/([^?]*)(?:\\?(.*))?");

    private static final HistoryDdl HISTORY_DDL = new PostgresHistoryDdl();
    private static final Backup PG_DUMP = new PgDump();

    private final ScriptParser parser = new PgScriptParser();
    private final Locks locks = new PostgresLocks();

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean accepts(String url) {
        return url.startsWith("jdbc:postgresql:") || url.startsWith("postgres://") || url.startsWith("postgresql://");
    }

    @Override
    public JdbcTarget resolve(String url, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "gearshift");
        String jdbcUrl = url;
        Matcher nativeUrl = NATIVE_URL.matcher(url);
        if (!url.startsWith("jdbc:")) {
            if (!nativeUrl.matches() || nativeUrl.group(3).isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "not a PostgreSQL URL: " + Secrets.mask(url)
                        + "; write postgres://user:password@host:port/database");
            }
            jdbcUrl = "jdbc:postgresql://" + nativeUrl.group(3) + "/" + (nativeUrl.group(4) == null ? "" : nativeUrl.group(4))
                    + (nativeUrl.group(5) == null ? "" : "?" + nativeUrl.group(5));
            if (nativeUrl.group(1) != null && !nativeUrl.group(1).isEmpty()) {
                properties.setProperty("user", decode(nativeUrl.group(1)));
            }
            if (nativeUrl.group(2) != null && !nativeUrl.group(2).isEmpty()) {
                properties.setProperty("password", decode(nativeUrl.group(2)));
            }
        }
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return new JdbcTarget(jdbcUrl, properties, Secrets.mask(url));
    }

    /** Percent-decoding, as libpq does; text that is not valid percent-encoding ("100%") is taken as written. */
    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return text;
        }
    }

    @Override
    public ScriptParser parser() {
        return parser;
    }

    @Override
    public String defaultSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_schema()")) {
            result.next();
            String schema = result.getString(1);
            return schema == null ? "public" : schema;
        }
    }

    /** current_user, as Flyway reads it: a role set for the login user (ALTER ROLE ... SET role) counts. */
    @Override
    public String currentUser(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_user")) {
            result.next();
            return result.getString(1);
        }
    }

    @Override
    public boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    @Override
    public void createSchema(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        }
    }

    /** One catalog lookup by name (JDBC's getTables is a generic, much heavier query). */
    @Override
    public boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, quote(schema) + "." + quote(table));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /**
     * The target schema, then public, so functions of extensions installed in public still resolve. Always
     * the same two, never appended to what the session had: pooled connections move between tenants.
     */
    @Override
    public void useSchema(Connection connection, String schema) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement(
                "SELECT set_config('search_path', quote_ident(?) || ', public', false)")) {
            set.setString(1, schema);
            set.execute();
        }
    }

    @Override
    public void setSessionSetting(Connection connection, String name, String value, boolean local) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, ?)")) {
            set.setString(1, name);
            set.setString(2, value);
            set.setBoolean(3, local);
            set.execute();
        }
    }

    @Override
    public String currentSetting(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT current_setting(?)")) {
            query.setString(1, name);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    /** NAMEDATALEN - 1: PostgreSQL truncates longer names, with only a NOTICE. */
    @Override
    public int maxIdentifierBytes() {
        return 63;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public boolean isConnectionLost(SQLException error) {
        // 57P: the server shut down or terminated the backend (pg_terminate_backend, idle_session_timeout).
        String state = error.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    @Override
    public List<String> invalidIndexes(Connection connection, String schema) throws SQLException {
        List<String> indexes = new java.util.ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT c.relname FROM pg_index i JOIN pg_class c"
                + " ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND NOT i.indisvalid ORDER BY c.relname")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getString(1));
                }
            }
        }
        return indexes;
    }

    @Override
    public void dropIndex(Connection connection, String schema, String index) throws SQLException {
        try (Statement drop = connection.createStatement()) {
            drop.execute("DROP INDEX CONCURRENTLY IF EXISTS " + quote(schema) + "." + quote(index));
        }
    }

    @Override
    public void execute(Connection connection, SqlStatement statement) throws SQLException {
        if (statement.isCopyFromStdin()) {
            try {
                connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(statement.sql(), new StringReader(statement.copyData()));
            } catch (java.io.IOException e) {
                throw new SQLException("COPY data could not be sent: " + e.getMessage(), "08006", e);
            }
            return;
        }
        try (Statement jdbc = connection.createStatement()) {
            jdbc.execute(statement.sql());
        }
    }

    /**
     * Inside a transaction, the statements between COPYs go as one JDBC batch: PgJDBC pipelines them, so a
     * migration costs one round trip instead of one per statement. PostgreSQL stops at the first error; PgJDBC
     * names that entry only in its message ("Batch entry 3 ... was aborted"), so the entry is taken from there
     * and accepted only if the message also quotes that entry's text.
     */
    @Override
    public void executeAll(Connection connection, List<SqlStatement> statements) throws FailedStatementException {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            throw new FailedStatementException(-1, e);
        }
        if (autoCommit) {
            Dialect.super.executeAll(connection, statements);
            return;
        }
        int start = 0;
        while (start < statements.size()) {
            int end = start;
            while (end < statements.size() && !statements.get(end).isCopyFromStdin()) {
                end++;
            }
            if (end - start > 1) {
                executeBatch(connection, statements.subList(start, end), start);
                start = end;
            } else {
                // a COPY, or a lone statement between COPYs: nothing to pipeline
                try {
                    execute(connection, statements.get(start));
                } catch (SQLException e) {
                    throw new FailedStatementException(start, e);
                }
                start++;
            }
        }
    }

    private static void executeBatch(Connection connection, List<SqlStatement> batch, int offset)
            throws FailedStatementException {
        try (Statement jdbc = connection.createStatement()) {
            for (SqlStatement statement : batch) {
                jdbc.addBatch(statement.sql());
            }
            jdbc.executeBatch();
        } catch (BatchUpdateException e) {
            SQLException error = e.getNextException() != null ? e.getNextException() : e;
            int entry = failedEntry(e.getMessage(), batch);
            throw new FailedStatementException(entry < 0 ? -1 : offset + entry, error);
        } catch (SQLException e) {
            throw new FailedStatementException(-1, e);
        }
    }

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** The first number in PgJDBC's batch message that is an entry whose text the message also quotes. */
    static int failedEntry(String message, List<SqlStatement> batch) {
        if (message == null) {
            return -1;
        }
        Matcher number = NUMBER.matcher(message);
        while (number.find()) {
            try {
                int entry = Integer.parseInt(number.group());
                if (entry < batch.size() && message.contains(batch.get(entry).sql())) {
                    return entry;
                }
            } catch (NumberFormatException tooLong) {
                // not an entry number
            }
        }
        return -1;
    }

    @Override
    public Optional<String> deferredFlush() {
        return Optional.of("SET LOCAL synchronous_commit TO off");
    }

    @Override
    public void prepareMigrationSession(Connection connection) throws SQLException {
        // Only synchronous_commit 'off' returns before the local flush; 'local', 'on', 'remote_write' and
        // 'remote_apply' all wait for it, and the stronger ones must stay. idle_session_timeout exists from
        // PostgreSQL 14 on: CASE evaluates set_config only where it does.
        try (Statement set = connection.createStatement()) {
            set.execute("SELECT CASE WHEN current_setting('synchronous_commit') = 'off'"
                    + " THEN set_config('synchronous_commit', 'on', false) END,"
                    + " CASE WHEN current_setting('server_version_num')::int >= 140000"
                    + " THEN set_config('idle_session_timeout', '0', false) END");
        }
    }

    @Override
    public String describe(SQLException error) {
        if (error instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            StringBuilder text = new StringBuilder();
            text.append(server.getSeverity() == null ? "ERROR" : server.getSeverity()).append(": ")
                    .append(server.getMessage());
            if (server.getSQLState() != null) {
                text.append(" (SQLSTATE ").append(server.getSQLState()).append(')');
            }
            if (server.getDetail() != null) {
                text.append("\nDETAIL: ").append(server.getDetail());
            }
            if (server.getHint() != null) {
                text.append("\nHINT: ").append(server.getHint());
            }
            if (server.getWhere() != null) {
                text.append("\nWHERE: ").append(server.getWhere());
            }
            return text.toString();
        }
        return error.getMessage() + (error.getSQLState() == null ? "" : " (SQLSTATE " + error.getSQLState() + ")");
    }

    @Override
    public OptionalInt errorPosition(SQLException error) {
        if (error instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getPosition() > 0) {
            return OptionalInt.of(psql.getServerErrorMessage().getPosition());
        }
        return OptionalInt.empty();
    }

    @Override
    public Locks locks() {
        return locks;
    }

    @Override
    public HistoryDdl historyDdl() {
        return HISTORY_DDL;
    }

    @Override
    public Optional<Backup> backup() {
        return Optional.of(PG_DUMP);
    }
}
