package dev.gearshift.jdbc;

import dev.gearshift.HistoryEntry;
import dev.gearshift.Version;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history table in the target schema. Rows are only ever appended: the state of a version is
 * its latest row, so the table is an audit log and the current state in one.
 *
 * <p>It is also the fence that makes every migration apply once. Each row a writer appends names the row it
 * follows in that writer's view of the history ({@code follows}, unique), so two writers that read the same
 * history cannot both append to it: the second one's insert, in the same transaction as its migration, fails,
 * and its migration rolls back with it. A migrator that lost its lock without noticing can therefore never
 * commit beside the one that took the lock over. One instance is one writer's view, for one locked run.
 */
final class HistoryTable {

    private static final String COLUMNS = "module, version, version_key, name, kind, action, checksum, outcome, error,"
            + " duration_ms, tool_version";

    private final Dialect dialect;
    private final String schema;
    private final String table;
    private final String qualified;
    /** Whether the table has the {@code follows} column, as learnt by {@link #read}; tables of 0.1 lack it. */
    private boolean fenced = true;
    /** Whether the table has the {@code version_key} column, as learnt by {@link #read}; older tables lack it. */
    private boolean keyed = true;
    /** The last row of this writer's view, and of what it knows to be committed; 0 for an empty history. */
    private long head;
    private long committedHead;

    HistoryTable(Dialect dialect, String schema, String table) {
        this.dialect = dialect;
        this.schema = schema;
        this.table = table;
        this.qualified = dialect.quote(schema) + "." + dialect.quote(table);
    }

    String schema() {
        return schema;
    }

    String qualifiedName() {
        return qualified;
    }

    boolean exists(Connection connection) throws SQLException {
        return dialect.tableExists(connection, schema, table);
    }

    /**
     * Creates the table unless it exists, and gives a table made before the fence or the version key their columns;
     * under the lock.
     */
    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.historyDdl().createTable(qualified));
            if (!fenced) {
                statement.execute(dialect.historyDdl().addFence(qualified));
                fenced = true;
            }
            if (!keyed) {
                statement.execute(dialect.historyDdl().addVersionKey(qualified));
                keyed = true;
            }
        }
    }

    /** Reads every row, and takes the last one as the head that this writer's next row follows. */
    List<HistoryEntry> read(Connection connection) throws SQLException {
        if (!exists(connection)) {
            return List.of();
        }
        List<HistoryEntry> entries = new ArrayList<>();
        // SELECT *: the fence column's presence comes with the rows, without a catalog query.
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM " + qualified + " ORDER BY id")) {
            fenced = hasColumn(rows.getMetaData(), "follows");
            keyed = hasColumn(rows.getMetaData(), "version_key");
            while (rows.next()) {
                entries.add(toEntry(rows, keyed));
            }
        }
        head = committedHead = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).id();
        return entries;
    }

    /** True when the table predates the fence or the version key; {@link #create} adds them. */
    boolean needsUpgrade() {
        return !fenced || !keyed;
    }

    private static boolean hasColumn(ResultSetMetaData columns, String name) throws SQLException {
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            if (columns.getColumnName(i).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static final String SELECT_LIST = "id, " + COLUMNS.replace("version_key, ", "")
            + ", installed_by, installed_at";

    /**
     * The history of many schemas of one database in a few queries: which of them have the table (one query
     * per 2,000 schemas, which also tells the tables made before {@code version_key}), then their rows in a UNION
     * ALL per 100 tables. Schemas without the table map to no rows.
     */
    static Map<String, List<HistoryEntry>> readMany(Connection connection, Dialect dialect, String table,
                                                    List<String> schemas) throws SQLException {
        Map<String, List<HistoryEntry>> histories = new LinkedHashMap<>();
        schemas.forEach(schema -> histories.put(schema, new ArrayList<>()));
        List<String> withTable = new ArrayList<>();
        java.util.Set<String> keyed = new java.util.HashSet<>();
        for (int from = 0; from < schemas.size(); from += CHUNK) {
            List<String> chunk = schemas.subList(from, Math.min(schemas.size(), from + CHUNK));
            // One query, so a fleet's status stays a few statements; a join on the one column costs less than
            // grouping all columns of the tables (information_schema.columns is an expensive view).
            try (PreparedStatement query = connection.prepareStatement("SELECT t.table_schema, c.column_name"
                    + " FROM information_schema.tables t LEFT JOIN information_schema.columns c"
                    + " ON c.table_schema = t.table_schema AND c.table_name = t.table_name"
                    + " AND c.column_name = 'version_key' WHERE t.table_name = ? AND t.table_schema IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                query.setString(1, table);
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        withTable.add(rows.getString(1));
                        if (rows.getString(2) != null) {
                            keyed.add(rows.getString(1));
                        }
                    }
                }
            }
        }
        for (int from = 0; from < withTable.size(); from += TABLES_PER_QUERY) {
            StringBuilder sql = new StringBuilder();
            for (String schema : withTable.subList(from, Math.min(withTable.size(), from + TABLES_PER_QUERY))) {
                if (!sql.isEmpty()) {
                    sql.append("\nUNION ALL ");
                }
                sql.append("SELECT '").append(schema.replace("'", "''")).append("' AS schema_name, ")
                        .append(keyed.contains(schema) ? "version_key" : "NULL AS version_key").append(", ").append(SELECT_LIST)
                        .append(" FROM ").append(dialect.quote(schema)).append('.').append(dialect.quote(table));
            }
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql.toString())) {
                while (rows.next()) {
                    histories.get(rows.getString("schema_name")).add(toEntry(rows, true));
                }
            }
        }
        histories.values().forEach(rows -> rows.sort(java.util.Comparator.comparingLong(HistoryEntry::id)));
        return histories;
    }

    /** Schemas per catalog query: keeps statements and parameter lists well inside server limits. */
    private static final int CHUNK = 2000;

    /**
     * History tables per UNION ALL. PostgreSQL's planning time grows faster than the number of tables in one
     * statement, and an ORDER BY over the union costs more than all the rest (1,000 tenants: 1.0 s in one
     * ordered statement, 0.24 s in ten unordered ones on a fresh backend), so rows are put in order here.
     */
    private static final int TABLES_PER_QUERY = 100;

    /** @param keyed whether the rows have the {@code version_key} column */
    private static HistoryEntry toEntry(ResultSet rows, boolean keyed) throws SQLException {
        Timestamp at = rows.getTimestamp("installed_at");
        long integer = rows.getLong("version");
        Optional<Version> version = !rows.wasNull() ? Optional.of(Version.of(integer))
                : Optional.ofNullable(keyed ? rows.getString("version_key") : null).map(Version::parse);
        return new HistoryEntry(rows.getLong("id"), rows.getString("module"), version,
                rows.getString("name"), rows.getString("kind"), rows.getString("action"),
                rows.getString("checksum"), rows.getString("outcome"), rows.getString("error"),
                rows.getString("installed_by"), at == null ? null : at.toInstant(),
                Duration.ofMillis(rows.getLong("duration_ms")), rows.getString("tool_version"));
    }

    /**
     * Appends a row after this writer's head; {@code id}, {@code installedBy} and {@code installedAt} come from
     * the database. Throws {@link ConcurrentWriter} when another writer appended after the head this one read.
     */
    void append(Connection connection, HistoryEntry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + qualified + " (" + COLUMNS
                + ", follows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            // An integer version is stored as it always was, so that a Gearshift that only knows the integer
            // column reads the table alike; any other version as text; a repeatable migration's as neither.
            Optional<Version> version = entry.version();
            insert.setString(1, entry.module());
            insert.setObject(2, version.filter(Version::isInteger).map(Version::longValue).orElse(null),
                    java.sql.Types.BIGINT);
            insert.setString(3, version.filter(v -> !v.isInteger()).map(Version::toString).orElse(null));
            insert.setString(4, entry.name());
            insert.setString(5, entry.kind());
            insert.setString(6, entry.action());
            insert.setString(7, entry.checksum());
            insert.setString(8, entry.outcome());
            insert.setString(9, entry.error());
            insert.setLong(10, entry.duration() == null ? 0 : entry.duration().toMillis());
            insert.setString(11, entry.toolVersion());
            insert.setLong(12, head);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                head = id.getLong(1);
            }
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                throw new ConcurrentWriter(e);
            }
            throw e;
        }
        if (connection.getAutoCommit()) {
            committedHead = head;
        }
    }

    /** The transaction holding this writer's appends committed. */
    void committed() {
        committedHead = head;
    }

    /** The transaction holding this writer's appends rolled back: its rows are gone. */
    void rolledBack() {
        head = committedHead;
    }

    /** Another writer appended to the history after this writer read it: this writer no longer holds the lock. */
    static final class ConcurrentWriter extends SQLException {
        ConcurrentWriter(SQLException cause) {
            super("another migrator wrote to the history at the same time", cause.getSQLState(), cause);
        }
    }
}
