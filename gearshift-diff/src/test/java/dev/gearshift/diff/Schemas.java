package dev.gearshift.diff;

import dev.gearshift.postgres.PgScriptParser;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.spi.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Test support: throwaway schemas on the test database, loaded from SQL, read back as models. */
final class Schemas {

    private static final PgScriptParser PARSER = new PgScriptParser();

    private final TestDatabase db;

    Schemas(TestDatabase db) {
        this.db = db;
    }

    TestDatabase database() {
        return db;
    }

    /** A new schema holding what {@code sql} creates (run with the schema first on the search path). */
    String load(String sql) throws SQLException {
        return load(sql, new java.util.ArrayList<>());
    }

    /** {@link #load(String)}, adding the new schema's name to {@code created} before the SQL runs (to drop it). */
    String load(String sql, List<String> created) throws SQLException {
        String schema = db.newSchema();
        db.execute("CREATE SCHEMA " + schema);
        created.add(schema);
        run(schema, sql);
        return schema;
    }

    /**
     * A schema named {@code schema} holding what {@code sql} creates: for a side of a whole-database round trip,
     * where the sides are databases of their own and their schemas must have the same names to compare.
     */
    void loadAs(String schema, String sql) throws SQLException {
        db.execute("CREATE SCHEMA " + schema);
        run(schema, sql);
    }

    /** The schemas {@code schemas} of this database as one model, names qualified (those missing are left out). */
    SchemaModel readDatabase(List<String> schemas) throws SQLException {
        try (Connection connection = db.connect()) {
            return SchemaModel.readDatabase(connection, schemas, java.util.Set.of());
        }
    }

    /** Runs {@code sql} in one transaction, as a migration runs, with {@code schema} first on the search path. */
    void run(String schema, String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SET search_path TO " + schema + ", public");
            for (SqlStatement each : PARSER.split(sql, "test.sql")) {
                statement.execute(each.sql());
            }
            connection.commit();
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + "\nin schema " + schema + " running:\n" + sql, e);
        }
    }

    /**
     * Runs a diff part by part, as they declare: a transactional part in one transaction, any other statement by
     * statement outside one, as a {@code -- gearshift:no-transaction} migration runs.
     */
    void run(String schema, SchemaChanges.Part part) throws SQLException {
        if (part.transactional()) {
            run(schema, part.sql());
            return;
        }
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema + ", public");
            for (SqlStatement each : PARSER.split(part.sql(), "test.sql")) {
                statement.execute(each.sql());
            }
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + "\nin schema " + schema + " running outside a transaction:\n"
                    + part.sql(), e);
        }
    }

    SchemaModel read(String schema) throws SQLException {
        try (Connection connection = db.connect()) {
            return SchemaModel.read(connection, schema);
        }
    }

    /**
     * {@link TestDatabase#snapshot}, with the schema's name taken out so two schemas compare, and its lines sorted:
     * an existing table gets new columns at its end, so column order is not compared.
     */
    String snapshot(String schema) throws SQLException {
        return db.snapshot(schema).replace(schema, "<schema>").lines().sorted()
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    void drop(List<String> schemas) throws SQLException {
        if (!schemas.isEmpty()) {
            db.execute("DROP SCHEMA IF EXISTS " + String.join(", ", schemas) + " CASCADE");
        }
    }

    /**
     * Drops every schema and extension of the database but {@code public}: for a database of its own that a
     * test fills with objects outside its schema (extensions, other schemas), between two uses.
     */
    void clear() throws SQLException {
        // one statement, so one connection: this runs after every try of a property
        db.execute("""
                DO $$ DECLARE name text; BEGIN
                    FOR name IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
                        EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', name);
                    END LOOP;
                    FOR name IN SELECT nspname FROM pg_namespace WHERE nspname <> 'public'
                            AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' LOOP
                        EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', name);
                    END LOOP;
                END $$""");
    }

    /** A new database on {@code server}'s server, for one test class; {@link #dropDatabase} when done. */
    static Schemas inNewDatabase(TestDatabase server, String prefix) throws SQLException {
        String name = prefix + "_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        server.execute("CREATE DATABASE " + name);
        return new Schemas(new TestDatabase(server.url().replaceFirst("(jdbc:postgresql://[^/]*/)[^?]*", "$1" + name)));
    }

    /** Drops this database, from {@code server} (any other database of the same server). */
    void dropDatabase(TestDatabase server) throws SQLException {
        String name = db.url().replaceFirst("jdbc:postgresql://[^/]*/([^?]*).*", "$1");
        server.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** Roles the tests grant to; created once per server (they are shared by every database of it). */
    void createRoles() throws SQLException {
        for (String role : List.of("gs_reader", "gs_writer")) {
            db.execute("DO $$ BEGIN CREATE ROLE " + role + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        }
    }
}
