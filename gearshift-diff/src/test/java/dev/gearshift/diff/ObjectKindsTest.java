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
        Schemas schemas = new Schemas(db);
        schemas.createRoles();
        roundTrip = new RoundTrip(schemas, true);
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
}
