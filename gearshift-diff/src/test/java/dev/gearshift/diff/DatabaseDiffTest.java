package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.postgres.PgScriptParser;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.spi.SqlStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whole-database diffs: several schemas compared at once, their names qualified, schemas created and dropped, and
 * objects of one schema over objects of another created and dropped in the right order. Each side is a database
 * of its own, since both sides hold schemas of the same names.
 */
@ExtendWith(PostgresExtension.class)
class DatabaseDiffTest {

    private static final PgScriptParser PARSER = new PgScriptParser();

    /** Two schemas that use each other: a view in a over a view in b, a foreign key and a column type across. */
    private static final String TWO_SCHEMAS = """
            CREATE SCHEMA b;
            COMMENT ON SCHEMA b IS 'billing';
            GRANT USAGE ON SCHEMA b TO gs_reader;
            CREATE TYPE b.mood AS ENUM ('ok', 'bad');
            CREATE TABLE b.u (id int PRIMARY KEY, m b.mood);
            CREATE VIEW b.w AS SELECT id, m FROM b.u;
            CREATE FUNCTION b.next(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
            CREATE EXTENSION citext SCHEMA b;
            CREATE SCHEMA a;
            CREATE SEQUENCE a.s;
            CREATE TABLE a.t (
                id int PRIMARY KEY DEFAULT nextval('a.s'),
                u_id int REFERENCES b.u (id),
                m b.mood DEFAULT 'ok',
                name b.citext,
                n int GENERATED ALWAYS AS (b.next(id)) STORED
            );
            CREATE INDEX t_u ON a.t (u_id);
            CREATE VIEW a.v AS SELECT w.id, w.m FROM b.w;
            CREATE TABLE public.p (id serial PRIMARY KEY, t_id int REFERENCES a.t (id));
            """;

    /** Diffs of databases are applied with nothing on the search path: every name they write is qualified. */
    private static final String NO_SEARCH_PATH = "SET search_path TO '';\n";

    private TestDatabase db;
    private final List<String> databases = new ArrayList<>();

    @BeforeEach
    void setUp(TestDatabase db) throws SQLException {
        this.db = db;
        new Schemas(db).createRoles();
    }

    @AfterEach
    void dropDatabases() {
        for (String name : databases) {
            try {
                db.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // a leftover test database is harmless; its name says what it is
            }
        }
    }

    @Test
    void schemasThatUseEachOtherRoundTrip() throws Exception {
        SchemaChanges up = roundTrip("", TWO_SCHEMAS);
        assertThat(up.sql()).contains("CREATE SCHEMA a;", "CREATE SCHEMA b;", "COMMENT ON SCHEMA b IS 'billing';",
                        "GRANT USAGE ON SCHEMA b TO gs_reader;", "CREATE TYPE b.mood AS ENUM ('ok', 'bad');",
                        "CREATE EXTENSION citext SCHEMA b VERSION ", "CREATE TABLE a.t (", "name b.citext",
                        "ALTER TABLE a.t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES b.u(id);",
                        "CREATE INDEX t_u ON a.t USING btree (u_id);")
                // the view in a is over the view in b: b's goes first, though a comes before b
                .containsSubsequence("CREATE VIEW b.w AS", "CREATE VIEW a.v AS")
                .containsSubsequence("CREATE SCHEMA b;", "CREATE TYPE b.mood", "CREATE TABLE a.t (");
        assertThat(up.statements()).extracting(SchemaChanges.Statement::object).contains("schema a", "table a.t",
                "view b.w");

        SchemaChanges down = roundTrip(TWO_SCHEMAS, "");
        assertThat(down.sql()).containsSubsequence("DROP VIEW a.v;", "DROP VIEW b.w;")
                .containsSubsequence("DROP TABLE a.t;", "DROP TABLE b.u;", "DROP TYPE b.mood;", "DROP SCHEMA b;")
                .contains("-- DESTRUCTIVE: drops schema a\nDROP SCHEMA a;", "DROP TABLE public.p;");
    }

    @Test
    void objectsMoveBetweenSchemasAndSchemasChange() throws Exception {
        roundTrip("""
                CREATE SCHEMA a;
                CREATE SCHEMA b;
                COMMENT ON SCHEMA a IS 'first';
                CREATE TABLE a.t (id int PRIMARY KEY);
                CREATE TABLE b.t (id int PRIMARY KEY, a_id int REFERENCES a.t);
                """, """
                CREATE SCHEMA a;
                CREATE SCHEMA c;
                COMMENT ON SCHEMA a IS 'second';
                GRANT USAGE, CREATE ON SCHEMA a TO gs_writer;
                CREATE TABLE a.t (id bigint PRIMARY KEY);
                CREATE TABLE c.t (id int PRIMARY KEY, a_id bigint REFERENCES a.t);
                CREATE VIEW c.v AS SELECT x.id FROM a.t x JOIN c.t y USING (id);
                """);
    }

    @Test
    void aListOfSchemasLeavesTheOthersOutAndOneSchemaStaysUnqualified() throws Exception {
        String url = database(TWO_SCHEMAS + "CREATE SCHEMA other; CREATE TABLE other.x (id int);");
        SchemaModel listed = SchemaModel.readDatabase(url, null, null, List.of("a", "b", "missing"));
        assertThat(listed.isDatabase()).isTrue();
        assertThat(listed.schemas()).containsExactly("a", "b");
        assertThat(listed.objects()).contains("schema a", "table a.t", "constraint t_pkey on a.t", "type b.mood",
                "extension b.citext").noneMatch(o -> o.contains("other") || o.contains("public"));

        SchemaModel all = SchemaModel.readDatabase(url, null, null, List.of());
        assertThat(all.schemas()).containsExactly("a", "b", "other", "public");

        SchemaModel one = SchemaModel.read(url, null, null, "a");
        assertThat(one.isDatabase()).isFalse();
        assertThat(one.objects()).contains("table t", "index t_u").doesNotContain("table a.t");
        assertThat(one.ddl()).contains("CREATE TABLE t (", "ALTER TABLE t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY"
                + " (u_id) REFERENCES b.u(id)").doesNotContain("a.t").doesNotContain("CREATE SCHEMA");

        assertThatThrownBy(() -> SchemaDiff.between(one, listed)).isInstanceOf(GearshiftException.class)
                .satisfies(e -> assertThat(((GearshiftException) e).code()).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> SchemaDiff.between(listed, listed, List.of(Rename.parse("t=u"))))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("renames are for one-schema diffs")
                .satisfies(e -> assertThat(((GearshiftException) e).code()).isEqualTo(ErrorCode.USAGE));
    }

    @Test
    void aSchemaThatIsMissingIsKnownAsSuch() throws Exception {
        String url = database("CREATE SCHEMA here;");
        assertThat(SchemaModel.read(url, null, null, "here").exists()).isTrue();
        assertThat(SchemaModel.read(url, null, null, "nowhere").exists()).isFalse();
        assertThat(SchemaModel.empty("x").exists()).isFalse();
    }

    @Test
    void aDatabaseIsBuiltFromSqlThatNamesItsSchemas(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        java.nio.file.Path file = temp.resolve("schema.sql");
        java.nio.file.Files.writeString(file, TWO_SCHEMAS);
        try (Shadow shadow = Shadow.at(db.url(), null, null)) {
            SchemaModel built = shadow.loadDatabase(List.of(file), List.of());
            SchemaModel live = SchemaModel.readDatabase(database(TWO_SCHEMAS), null, null, List.of());
            assertThat(SchemaDiff.between(live, built).isEmpty()).isTrue();
            SchemaModel onlyA = shadow.loadDatabase(List.of(file), List.of("a"));
            assertThat(onlyA.unsupported()).contains("outside schema a: relation b.u")
                    .noneMatch(u -> u.contains("relation a."));
        }
    }

    // ------------------------------------------------------------------------------------------ support

    /**
     * Databases A and B from SQL; A + diff(A, B) reads as B, with nothing more to do, and B + diff(B, A) as A.
     * Returns diff(A, B).
     */
    private SchemaChanges roundTrip(String sqlA, String sqlB) throws SQLException {
        String a = database(sqlA);
        String b = database(sqlB);
        SchemaModel modelA = read(a);
        SchemaModel modelB = read(b);
        assertThat(modelA.unsupported()).as("unsupported in A").isEmpty();
        assertThat(modelB.unsupported()).as("unsupported in B").isEmpty();

        SchemaChanges up = SchemaDiff.between(modelA, modelB);
        run(a, NO_SEARCH_PATH + up.sql());
        assertSame(read(a), modelB, "A + diff(A, B) should be B; diff(A, B) was:\n" + up.sql());

        SchemaChanges down = SchemaDiff.between(modelB, modelA);
        run(a, NO_SEARCH_PATH + down.sql());
        assertSame(read(a), modelA, "B + diff(B, A) should be A; diff(B, A) was:\n" + down.sql());
        return up;
    }

    private static void assertSame(SchemaModel actual, SchemaModel expected, String context) {
        SchemaChanges left = SchemaDiff.between(actual, expected);
        assertThat(left.sql()).as(context).isEmpty();
        assertThat(left.differences()).as(context).isEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    private static SchemaModel read(String url) {
        return SchemaModel.readDatabase(url, null, null, List.of());
    }

    /** A new database holding what {@code sql} creates; its URL. */
    private String database(String sql) throws SQLException {
        String name = "gs_dbdiff_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.execute("CREATE DATABASE " + name);
        databases.add(name);
        String url = db.url().replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + name);
        run(url, sql);
        return url;
    }

    /** Runs {@code sql} in one transaction, with the server's default search path. */
    private static void run(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (SqlStatement each : PARSER.split(sql, "test.sql")) {
                statement.execute(each.sql());
            }
            connection.commit();
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + "\nrunning:\n" + sql, e);
        }
    }
}
