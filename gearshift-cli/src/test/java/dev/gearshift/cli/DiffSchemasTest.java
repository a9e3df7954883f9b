package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which schema a {@code diff} writes for: the one schema a one-schema script runs in (set on the search path,
 * created when the from side has none), or every schema named in a whole-database script.
 */
@ExtendWith(PostgresExtension.class)
class DiffSchemasTest {

    @Test
    void publicIsOnTheSearchPathOnce(TestDatabase db, @TempDir Path temp) throws Exception {
        Path src = temp.resolve("schema.sql");
        Cli.write(src, "CREATE TABLE notes (id int);\n");
        Run run = run("-C", temp.toString(), "diff", db.url(), src.toString(), "--dev-url", db.url());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\nSET search_path TO public;\n").doesNotContain("public, public")
                .doesNotContain("CREATE SCHEMA");
    }

    /** Against a database without the schema, the script creates it: else its tables would land in public. */
    @Test
    void aSchemaTheFromSideLacksIsCreated(TestDatabase db, @TempDir Path temp) throws Exception {
        String schema = db.newSchema();
        Path src = temp.resolve("schema.sql");
        Cli.write(src, "CREATE TABLE notes (id int);\n");
        Run run = run("-C", temp.toString(), "--schema", schema, "diff", db.url(), src.toString(), "--dev-url",
                db.url());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("CREATE SCHEMA IF NOT EXISTS " + schema + ";\nSET search_path TO " + schema
                + ", public;\n");
        try {
            execute(db.url(), run.out());
            assertThat(db.column("SELECT relname FROM pg_class WHERE relnamespace = '" + schema
                    + "'::regnamespace")).containsExactly("notes");
            assertThat(db.column("SELECT to_regclass('public.notes')::text")).containsOnlyNulls();
        } finally {
            db.dropSchemaQuietly(schema);
        }
    }

    /** {@code currentSchema} in both URLs: the script is for the from side's schema, not for --schema's. */
    @Test
    void theSchemaOfTheFromUrlIsTheOneWritten(TestDatabase db) throws Exception {
        String from = db.newSchema();
        String to = db.newSchema();
        db.execute("CREATE SCHEMA " + from + "; CREATE SCHEMA " + to + "; CREATE TABLE " + to + ".notes (id int)");
        try {
            Run run = run("diff", withSchema(db, from), withSchema(db, to));
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).contains(", schema " + from + "\n", "SET search_path TO " + from + ", public;\n",
                    "CREATE TABLE notes (").doesNotContain("CREATE SCHEMA");
            execute(db.url(), run.out());
            assertThat(run("diff", withSchema(db, from), withSchema(db, to)).out()).contains("-- no differences");
        } finally {
            db.dropSchemaQuietly(from);
            db.dropSchemaQuietly(to);
        }
    }

    /**
     * A database with several schemas: --all-schemas compares all of them, --schemas those listed; the script
     * names every object by its schema, creates and drops schemas, and leaves nothing to do once applied.
     */
    @Test
    void wholeDatabases(TestDatabase db, @TempDir Path temp) throws Exception {
        Path src = temp.resolve("db.sql");
        Cli.write(src, """
                CREATE SCHEMA billing;
                CREATE TYPE billing.state AS ENUM ('open', 'paid');
                CREATE SCHEMA app;
                CREATE TABLE app.accounts (id int PRIMARY KEY);
                CREATE TABLE billing.invoices (id int PRIMARY KEY, account int REFERENCES app.accounts,
                                               state billing.state);
                CREATE VIEW app.open_invoices AS SELECT id FROM billing.invoices WHERE state = 'open';
                """);
        String database = "gs_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.execute("CREATE DATABASE " + database);
        String url = db.url().replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + database);
        try {
            execute(url, "CREATE SCHEMA old; CREATE TABLE old.t (id int);");
            Run all = run("-C", temp.toString(), "diff", url, src.toString(), "--all-schemas", "--dev-url", db.url());
            assertThat(all.exit()).as(all.toString()).isZero();
            assertThat(all.out()).contains(", every schema\n", "CREATE SCHEMA app;", "CREATE TABLE app.accounts (",
                            "-- DESTRUCTIVE: drops schema old\nDROP SCHEMA old;",
                            "ALTER TABLE billing.invoices ADD CONSTRAINT invoices_account_fkey FOREIGN KEY (account)"
                                    + " REFERENCES app.accounts(id);")
                    .containsSubsequence("CREATE TABLE billing.invoices (", "CREATE VIEW app.open_invoices AS")
                    .doesNotContain("search_path");

            Run listed = run("-C", temp.toString(), "--json", "diff", url, src.toString(), "--schemas", "app",
                    "--schemas", "old", "--dev-url", db.url());
            assertThat(listed.exit()).as(listed.toString()).isZero();
            assertThat(listed.json().get("schemas").toString()).isEqualTo("[\"app\",\"old\"]");
            assertThat(listed.json().get("sql").asText()).contains("CREATE TABLE app.accounts (", "DROP SCHEMA old")
                    .doesNotContain("billing.invoices (");

            execute(url, all.out());
            Run again = run("-C", temp.toString(), "diff", url, src.toString(), "--schemas", "app,billing,old",
                    "--dev-url", db.url());
            assertThat(again.out()).as(again.toString()).contains(", schemas app, billing, old\n",
                    "-- no differences");

            Run both = run("diff", url, src.toString(), "--schemas", "app", "--all-schemas");
            assertThat(both.exit()).isEqualTo(2);
            assertThat(both.err()).contains("--schemas and --all-schemas exclude each other");
        } finally {
            db.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static String withSchema(TestDatabase db, String schema) {
        return "db:" + db.url() + (db.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Runs a script as psql -f would: statements one after the other, the session's settings carried. */
    private static void execute(String url, String script) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(script);
        }
    }
}
