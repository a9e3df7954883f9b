package dev.gearshift.systemtests;

import dev.gearshift.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/** Reads the database behind the CLI's back: history rows, catalog facts, backends. */
final class Db {

    private Db() {
    }

    /** One history row, as stored. */
    record Row(long id, String module, long version, String name, String action, String outcome, String error) {
        String migration() {
            return module + "/" + version;
        }
    }

    /** The URL with a PgJDBC ApplicationName of our choosing: the CLI's backends are then easy to find. */
    static String withApplicationName(String url, String applicationName) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
    }

    static List<Row> history(TestDatabase db, String schema) throws SQLException {
        List<Row> rows = new ArrayList<>();
        if (!tableExists(db, schema, "gearshift_history")) {
            return rows;
        }
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT id, module, version, name, action, outcome, error FROM "
                     + schema + ".gearshift_history ORDER BY id")) {
            while (result.next()) {
                rows.add(new Row(result.getLong(1), result.getString(2), result.getLong(3), result.getString(4),
                        result.getString(5), result.getString(6), result.getString(7)));
            }
        }
        return rows;
    }

    /**
     * What the history says, computed here independently of Gearshift: the latest row of each version that
     * was not rolled back decides. Values: {@code applied}, {@code failed}; versions reverted or repaired are absent.
     */
    static Map<String, String> stateFromHistory(List<Row> rows) {
        Map<String, Row> latest = new LinkedHashMap<>();
        for (Row row : rows) {
            if (!row.outcome().equals("rolled-back")) {
                latest.put(row.migration(), row);
            }
        }
        Map<String, String> state = new HashMap<>();
        latest.forEach((migration, row) -> {
            if (row.action().equals("up") && row.outcome().equals("success")) {
                state.put(migration, "applied");
            } else if (!row.outcome().equals("success")) {
                state.put(migration, "failed");
            }
        });
        return state;
    }

    /** Violations of "applied once": an up that succeeded again without a down (or repair) in between. */
    static List<String> appliedTwice(List<Row> rows) {
        Set<String> applied = new TreeSet<>();
        List<String> twice = new ArrayList<>();
        for (Row row : rows) {
            if (!row.outcome().equals("success")) {
                continue;
            }
            if (row.action().equals("up")) {
                if (!applied.add(row.migration())) {
                    twice.add(row.migration() + " (row " + row.id() + ")");
                }
            } else {
                applied.remove(row.migration());
            }
        }
        return twice;
    }

    static boolean tableExists(TestDatabase db, String schema, String table) throws SQLException {
        return exists(db, "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?", schema, table);
    }

    static boolean schemaExistsQuietly(TestDatabase db, String schema) {
        try {
            return db.schemaExists(schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean exists(TestDatabase db, String sql, Object... parameters) throws SQLException {
        try (Connection connection = db.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    static long count(TestDatabase db, String sql) throws SQLException {
        return Long.parseLong(db.column(sql).get(0));
    }

    /** Backends (connections) whose application_name is {@code applicationName}. */
    static long backends(TestDatabase db, String applicationName) throws SQLException {
        return count(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'");
    }

    /**
     * Waits until PostgreSQL has ended every backend of a killed CLI. A backend busy with a statement notices
     * that its client is gone only when the statement ends, and holds its locks until then.
     */
    static void awaitBackendsGone(TestDatabase db, String applicationName, Duration limit) throws Exception {
        await("the backends of " + applicationName + " to end", limit, () -> {
            try {
                return backends(db, applicationName) == 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Polls a condition until it holds; fails after {@code limit}. Never used as a timing assertion. */
    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + " after " + limit);
            }
            Thread.sleep(20);
        }
    }

    /** The rows of every table of a schema (history excluded), as md5 per table: equal data, equal text. */
    static String data(TestDatabase db, String schema) throws SQLException {
        StringBuilder text = new StringBuilder();
        for (String table : db.column("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = '" + schema + "' AND c.relkind = 'r' AND c.relname <> 'gearshift_history'"
                + " ORDER BY 1")) {
            text.append(table).append(' ').append(db.column("SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text,"
                    + " '|' ORDER BY t::text)), '-') FROM " + schema + "." + table + " t").get(0)).append('\n');
        }
        return text.toString();
    }

    /** Indexes of the schema that PostgreSQL marks invalid (a CREATE INDEX CONCURRENTLY that did not finish). */
    static List<String> invalidIndexes(TestDatabase db, String schema) throws SQLException {
        return db.column("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "'"
                + " AND NOT (i.indisvalid AND i.indisready) ORDER BY 1");
    }

    static void dropSchema(TestDatabase db, String schema) {
        try {
            db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException ignored) {
            // best effort: every test works in schemas of its own
        }
    }
}
