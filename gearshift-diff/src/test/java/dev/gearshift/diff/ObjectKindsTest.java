package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Collations, conversions between user types, views replaced in place, generated columns made plain, and what is
 * marked destructive: each a fixed pair of schemas that round-trips both ways (see {@link RoundTrip}).
 */
@ExtendWith(PostgresExtension.class)
class ObjectKindsTest {

    private RoundTrip roundTrip;

    @BeforeEach
    void setUp(TestDatabase db) throws Exception {
        roundTrip = RoundTrip.inSchemasOf(db);
    }

    @Test
    void aColumnGoesFromOneEnumToAnotherThroughText() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TYPE e1 AS ENUM ('a', 'b');
                CREATE TYPE e2 AS ENUM ('a', 'b', 'c');
                CREATE TABLE t (c e1, cs e1[])""", """
                CREATE TYPE e1 AS ENUM ('a', 'b');
                CREATE TYPE e2 AS ENUM ('a', 'b', 'c');
                CREATE TABLE t (c e2, cs e2[])""");
        assertThat(up.sql()).contains("ALTER TABLE t ALTER COLUMN c TYPE e2 USING c::text::e2",
                "ALTER TABLE t ALTER COLUMN cs TYPE e2[] USING cs::text::e2[]");
        // from an enum to a composite type's neighbour kinds: integer has no cast from an enum either
        roundTrip.check("CREATE TYPE e1 AS ENUM ('1', '2'); CREATE TABLE t (c e1)", "CREATE TABLE t (c integer)");
    }

    @Test
    void collationsAreCreatedDroppedAndReplaced() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE COLLATION byte_order (provider = libc, locale = 'C');
                CREATE COLLATION gone FROM "POSIX";
                CREATE TABLE t (a text COLLATE byte_order, b text)""", """
                CREATE COLLATION byte_order (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
                CREATE COLLATION caseless (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
                CREATE TABLE t (a text COLLATE byte_order, b text COLLATE caseless);
                CREATE DOMAIN name_ci AS text COLLATE caseless;
                COMMENT ON COLLATION caseless IS 'equal whatever the case'""");
        assertThat(up.sql()).contains("CREATE COLLATION caseless (provider = icu, locale = 'und-u-ks-level2',"
                + " deterministic = false)", "DROP COLLATION gone", "ALTER COLLATION byte_order RENAME TO");
    }

    @Test
    void aColumnWhoseOnlyChangeIsItsCollation() throws Exception {
        SchemaChanges up = roundTrip.check("CREATE TABLE t (a int, b text); CREATE INDEX t_b ON t (b)",
                "CREATE TABLE t (a int, b text COLLATE \"C\"); CREATE INDEX t_b ON t (b)");
        assertThat(up.sql()).contains("ALTER TABLE t ALTER COLUMN b TYPE text COLLATE \"C\"")
                .doesNotContain("USING").doesNotContain("from text to text");
        assertThat(up.destructive()).isFalse();
    }

    @Test
    void aGeneratedColumnBecomesPlainAndKeepsItsValues() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE t (a int, doubled int GENERATED ALWAYS AS (a * 2) STORED, label text
                    GENERATED ALWAYS AS ('#' || a) STORED)""", """
                CREATE TABLE t (a int, doubled int, label varchar(20) NOT NULL DEFAULT '')""");
        assertThat(up.sql()).contains("ALTER TABLE t ALTER COLUMN doubled DROP EXPRESSION",
                "ALTER TABLE t ALTER COLUMN label DROP EXPRESSION").doesNotContain("DROP COLUMN");
    }

    @Test
    void viewsAreReplacedInPlaceWhenTheirColumnsAllowIt() throws Exception {
        String table = "CREATE TABLE t (id int, name text, price numeric);\n";
        SchemaChanges up = roundTrip.check(table + """
                CREATE VIEW v AS SELECT id, name FROM t;
                CREATE VIEW w AS SELECT id FROM v;
                CREATE VIEW renamed AS SELECT id, name FROM t;
                GRANT SELECT ON v TO gs_reader""", table + """
                CREATE VIEW v WITH (security_barrier) AS SELECT id, upper(name) AS name, price FROM t WHERE id > 0;
                CREATE VIEW w AS SELECT id FROM v;
                CREATE VIEW renamed AS SELECT id, name AS label FROM t;
                GRANT SELECT ON v TO gs_reader""");
        assertThat(up.sql()).contains("CREATE OR REPLACE VIEW v WITH (security_barrier=true) AS")
                .doesNotContain("DROP VIEW v").doesNotContain("DROP VIEW w").contains("DROP VIEW renamed");
        assertThat(up.statements()).noneMatch(SchemaChanges.Statement::destructive);
    }

    @Test
    void destructiveMarking() throws Exception {
        // a view coming back as a materialized view loses nothing; an index of a replaced one that stays dropped does
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE t (id int, n int);
                CREATE VIEW v AS SELECT id FROM t;
                CREATE MATERIALIZED VIEW m AS SELECT id, n FROM t;
                CREATE INDEX m_n ON m (n);
                CREATE INDEX t_n ON t (n)""", """
                CREATE TABLE t (id int, n int);
                CREATE MATERIALIZED VIEW v AS SELECT id FROM t;
                CREATE MATERIALIZED VIEW m AS SELECT id, n + 1 AS n FROM t""");
        assertThat(up.statements()).filteredOn(SchemaChanges.Statement::destructive)
                .extracting(SchemaChanges.Statement::sql).containsExactlyInAnyOrder("DROP INDEX m_n", "DROP INDEX t_n");
    }
}
