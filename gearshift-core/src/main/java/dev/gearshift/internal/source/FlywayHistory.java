package dev.gearshift.internal.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that keep Flyway's {@code flyway_schema_history} as Flyway itself would have written it, for
 * {@code keep_tool_history} in Flyway's layout ({@link ToolHistory} appends them to each script, so they commit
 * with the migration). PostgreSQL's SQL, as Flyway's PostgreSQL support writes it.
 */
final class FlywayHistory {

    /** Flyway's default table name; a flyway.conf may name another ({@code flyway.table}). */
    static final String TABLE = dev.gearshift.internal.model.MigrationSet.FLYWAY_TABLE;

    private FlywayHistory() {
    }

    /**
     * A versioned migration applied: the row Flyway inserts. {@code version} is the file's version with
     * {@code _} read as {@code .}, as Flyway records it; {@code script} the path under the location.
     */
    static List<String> applied(String table, String version, String name, String script, int checksum) {
        return withTable(table, insert(table, "'" + literal(version.replace('_', '.')) + "'", name, script, checksum));
    }

    /** A repeatable migration run (again): Flyway inserts a row without a version each time it runs one. */
    static List<String> repeated(String table, String name, String script, int checksum) {
        return withTable(table, insert(table, "NULL", name, script, checksum));
    }

    /**
     * A versioned migration taken down. Flyway's community edition has no undo, and the {@code UNDO_SQL} rows of
     * its paid editions are a type the community edition does not know (its {@code CoreMigrationType} has none):
     * the version's rows are deleted instead, so that any Flyway sees the version pending again, as it is, and a
     * later {@code flyway migrate} applies it.
     */
    static List<String> undone(String table, String version) {
        return withTable(table, "DELETE FROM " + quoted(table) + " WHERE \"version\" = '" + literal(version.replace('_', '.')) + "'");
    }

    private static List<String> withTable(String table, String statement) {
        List<String> statements = new ArrayList<>(create(table));
        statements.add(statement);
        return statements;
    }

    /**
     * Flyway's own table, created when missing (a team starting with Gearshift can switch to Flyway): the columns,
     * key and index Flyway's PostgreSQL support creates, the key declared with the table so that it can be
     * created only if absent.
     */
    static List<String> create(String table) {
        return List.of("CREATE TABLE IF NOT EXISTS " + quoted(table) + " (\n"
                        + "    \"installed_rank\" INT NOT NULL,\n"
                        + "    \"version\" VARCHAR(50),\n"
                        + "    \"description\" VARCHAR(200) NOT NULL,\n"
                        + "    \"type\" VARCHAR(20) NOT NULL,\n"
                        + "    \"script\" VARCHAR(1000) NOT NULL,\n"
                        + "    \"checksum\" INTEGER,\n"
                        + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
                        + "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),\n"
                        + "    \"execution_time\" INTEGER NOT NULL,\n"
                        + "    \"success\" BOOLEAN NOT NULL,\n"
                        + "    CONSTRAINT \"" + table + "_pk\" PRIMARY KEY (\"installed_rank\")\n"
                        + ")",
                "CREATE INDEX IF NOT EXISTS \"" + table + "_s_idx\" ON " + quoted(table) + " (\"success\")");
    }

    /**
     * Flyway's description is the name with {@code _} read as a space; installed_on takes the column's default.
     * The execution time is the time since the transaction began: the migration's own, since these statements
     * end it (in a single-transaction run, the time since that run began).
     */
    private static String insert(String table, String version, String name, String script, int checksum) {
        return "INSERT INTO " + quoted(table) + " (\"installed_rank\", \"version\", \"description\", \"type\", \"script\","
                + " \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                + " SELECT coalesce(max(\"installed_rank\"), 0) + 1, " + version + ", '"
                + literal(name.replace('_', ' ')) + "', 'SQL', '" + literal(script) + "', " + checksum
                + ", current_user, (extract(epoch FROM clock_timestamp() - now()) * 1000)::int, true FROM " + quoted(table);
    }

    private static String quoted(String table) {
        return "\"" + table.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return text.replace("'", "''");
    }

    /** The path of a script under its location, as Flyway records it. */
    static String script(Path location, Path file) {
        return location.relativize(file).toString().replace('\\', '/');
    }
}
