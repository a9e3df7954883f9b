package dev.gearshift.postgres.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real PostgreSQL for one test. Tests isolate themselves by working in a fresh schema
 * ({@link #newSchema()}), so they can share one server and run in any order.
 *
 * @param url a JDBC URL with credentials, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
 */
public record TestDatabase(String url) {

    /** A schema name no other test uses; the schema itself is not created. */
    public String newSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of every row. */
    public List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** Drops a schema a test made, with all it holds; a leftover schema does no harm beyond taking room. */
    public void dropSchemaQuietly(String schema) {
        try {
            execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            // reported by no test: the schema only takes room
        }
    }

    public boolean schemaExists(String schema) throws SQLException {
        return !column("SELECT 1 FROM pg_namespace WHERE nspname = '" + schema + "'").isEmpty();
    }

    /**
     * A text picture of everything in a schema: tables with columns and row counts, constraints, indexes,
     * views, functions, sequences, triggers, grants. Two schemas with equal snapshots (after replacing the
     * schema name) have the same structure.
     */
    public String snapshot(String schema) throws SQLException {
        StringBuilder text = new StringBuilder();
        String s = "'" + schema + "'";
        String[] queries = {
            "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable"
                + " || ' default=' || coalesce(column_default, '') FROM information_schema.columns"
                + " WHERE table_schema = " + s + " ORDER BY table_name, ordinal_position",
            "SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
                + " FROM pg_constraint WHERE connamespace = " + s + "::regnamespace ORDER BY 1",
            "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = " + s + " ORDER BY 1",
            "SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = " + s + " ORDER BY 1",
            "SELECT 'function ' || p.proname || '(' || pg_get_function_arguments(p.oid) || ') ' || md5(p.prosrc)"
                + " FROM pg_proc p WHERE p.pronamespace = " + s + "::regnamespace ORDER BY 1",
            "SELECT 'sequence ' || sequence_name FROM information_schema.sequences WHERE sequence_schema = " + s
                + " ORDER BY 1",
            "SELECT 'trigger ' || event_object_table || ' ' || trigger_name || ' ' || event_manipulation"
                + " FROM information_schema.triggers WHERE trigger_schema = " + s + " ORDER BY 1",
            "SELECT 'grant ' || table_name || '.' || column_name || ' ' || grantee || ' ' || privilege_type"
                + " FROM information_schema.column_privileges WHERE table_schema = " + s
                + " AND grantee <> current_user ORDER BY 1",
            "SELECT 'table ' || c.relname || ' ' || c.relkind::text FROM pg_class c WHERE c.relnamespace = " + s
                + "::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY 1",
        };
        if (!schemaExists(schema)) {
            return "(no schema " + schema + ")";
        }
        for (String query : queries) {
            for (String line : column(query)) {
                text.append(line.replace(schema + ".", "<schema>.")).append('\n');
            }
        }
        return text.toString();
    }
}
