package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Extensions belong to a database, not to a schema, so their round trip runs over three throwaway databases
 * (A, B, and a copy of A to migrate) instead of three schemas.
 */
@ExtendWith(PostgresExtension.class)
class ExtensionsTest {

    private final List<String> databases = new ArrayList<>();
    private TestDatabase server;

    @AfterEach
    void dropDatabases() throws SQLException {
        for (String database : databases) {
            server.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void extensionsAndTheTypesTheyBring(TestDatabase db) throws Exception {
        server = db;
        new Schemas(db).createRoles();
        String a = """
                CREATE EXTENSION citext;
                CREATE TABLE t (email citext)""";
        String b = """
                CREATE EXTENSION hstore;
                CREATE EXTENSION citext;
                CREATE TABLE t (email citext UNIQUE, attrs hstore);
                CREATE INDEX t_attrs ON t USING gin (attrs);
                CREATE VIEW v AS SELECT email, attrs -> 'plan' AS plan FROM t""";
        Schemas inA = schemasIn(database(db));
        Schemas inB = schemasIn(database(db));
        Schemas inC = schemasIn(database(db));
        String app = "app";
        create(inA, app, a);
        create(inB, app, b);
        create(inC, app, a);
        SchemaModel modelA = inA.read(app);
        SchemaModel modelB = inB.read(app);
        assertThat(modelA.objects()).contains("extension citext").noneMatch(o -> o.startsWith("function"));
        assertThat(modelA.unsupported()).isEmpty();

        SchemaChanges up = SchemaDiff.between(modelA, modelB);
        assertThat(up.sql()).containsSubsequence("CREATE EXTENSION hstore VERSION '", "ALTER TABLE t ADD COLUMN attrs hstore",
                "CREATE INDEX t_attrs", "CREATE VIEW v");
        inC.run(app, up.sql());
        assertThat(inC.read(app)).isEqualTo(modelB);
        SchemaChanges down = SchemaDiff.between(modelB, modelA);
        assertThat(down.sql()).containsSubsequence("DROP VIEW v", "DROP COLUMN attrs", "DROP EXTENSION hstore");
        inC.run(app, down.sql());
        assertThat(inC.read(app)).isEqualTo(modelA);
    }

    @Test
    void versionsAreCompared(TestDatabase db) throws Exception {
        server = db;
        // pg_trgm 1.3 and 1.4 differ (1.4 marks its functions parallel safe); both PostgreSQL 15 and 17 ship them
        SchemaChanges up = roundTrip(db, "CREATE EXTENSION pg_trgm VERSION '1.3'",
                "CREATE EXTENSION pg_trgm VERSION '1.4'; CREATE EXTENSION citext VERSION '1.5'");
        assertThat(up.sql()).contains("ALTER EXTENSION pg_trgm UPDATE TO '1.4'",
                "CREATE EXTENSION citext VERSION '1.5'");
        // going back, an extension that nothing uses is installed again at the older version
        SchemaChanges down = roundTrip(db, "CREATE EXTENSION pg_trgm VERSION '1.4'",
                "CREATE EXTENSION pg_trgm VERSION '1.3'");
        assertThat(down.sql()).containsSubsequence("DROP EXTENSION pg_trgm", "CREATE EXTENSION pg_trgm VERSION '1.3'");
        // an extension in use is updated in place
        SchemaChanges used = SchemaDiff.between(read(db, """
                CREATE EXTENSION pg_trgm VERSION '1.3'; CREATE TABLE t (s text);
                CREATE INDEX t_s ON t USING gin (s gin_trgm_ops)"""), read(db, """
                CREATE EXTENSION pg_trgm VERSION '1.4'; CREATE TABLE t (s text);
                CREATE INDEX t_s ON t USING gin (s gin_trgm_ops)"""));
        assertThat(used.sql()).isEqualTo("ALTER EXTENSION pg_trgm UPDATE TO '1.4';\n");
    }

    /** A in one database, B in another, A again in a third: A + diff(A, B) reads as B, and back. */
    private SchemaChanges roundTrip(TestDatabase db, String a, String b) throws SQLException {
        SchemaModel modelA = read(db, a);
        SchemaModel modelB = read(db, b);
        Schemas inC = schemasIn(database(db));
        create(inC, "app", a);
        SchemaChanges up = SchemaDiff.between(modelA, modelB);
        inC.run("app", up.sql());
        assertThat(inC.read("app")).as(up.sql()).isEqualTo(modelB);
        assertThat(SchemaDiff.between(inC.read("app"), modelB).isEmpty()).isTrue();
        SchemaChanges down = SchemaDiff.between(modelB, modelA);
        inC.run("app", down.sql());
        assertThat(inC.read("app")).as(down.sql()).isEqualTo(modelA);
        return up;
    }

    private SchemaModel read(TestDatabase db, String sql) throws SQLException {
        Schemas in = schemasIn(database(db));
        create(in, "app", sql);
        return in.read("app");
    }

    private void create(Schemas schemas, String schema, String sql) throws SQLException {
        schemas.database().execute("CREATE SCHEMA " + schema);
        schemas.run(schema, sql);
    }

    private TestDatabase database(TestDatabase db) throws SQLException {
        String name = "gs_ext_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.execute("CREATE DATABASE " + name);
        databases.add(name);
        return new TestDatabase(db.url().replaceFirst("(jdbc:postgresql://[^/]*/)[^?]*", "$1" + name));
    }

    private static Schemas schemasIn(TestDatabase database) {
        return new Schemas(database);
    }

}
