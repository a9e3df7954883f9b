package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Aggregates, and objects that must be created and dropped in the order of their real dependencies (pg_depend),
 * not by kind: an aggregate after its state function, the views that use it after the aggregate.
 */
@ExtendWith(PostgresExtension.class)
class AggregatesAndDependenciesTest {

    private RoundTrip roundTrip;

    @BeforeEach
    void setUp(TestDatabase db) throws Exception {
        Schemas schemas = new Schemas(db);
        schemas.createRoles();
        roundTrip = new RoundTrip(schemas, true);
    }

    @Test
    void aggregatesAreCreatedDroppedAndReplaced() throws Exception {
        String concat = """
                CREATE FUNCTION _concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE
                    AS $$ SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ',' || $2 END $$;
                """;
        SchemaChanges up = roundTrip.check(concat + """
                CREATE AGGREGATE joined(text) (SFUNC = _concat, STYPE = text);
                CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);
                CREATE AGGREGATE gone(int) (SFUNC = int4pl, STYPE = int)""", concat + """
                CREATE AGGREGATE joined(text) (SFUNC = _concat, STYPE = text, INITCOND = '', PARALLEL = SAFE);
                CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0', COMBINEFUNC = int4pl,
                    MSFUNC = int4pl, MINVFUNC = int4mi, MSTYPE = int, MINITCOND = '0');
                CREATE AGGREGATE biggest(int) (SFUNC = int4larger, STYPE = int, SORTOP = >);
                CREATE AGGREGATE everything(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
                CREATE AGGREGATE pct(float8 ORDER BY anyelement) (SFUNC = ordered_set_transition,
                    STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
                CREATE AGGREGATE hypothetical_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
                    SFUNC = ordered_set_transition_multi, STYPE = internal, FINALFUNC = rank_final,
                    FINALFUNC_EXTRA, HYPOTHETICAL);
                REVOKE EXECUTE ON FUNCTION total(int) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION pct(float8, anyelement) TO gs_reader;
                COMMENT ON AGGREGATE pct(float8 ORDER BY anyelement) IS 'a percentile'""");
        assertThat(up.sql()).contains("CREATE OR REPLACE AGGREGATE total(integer) (\n    SFUNC = int4pl,",
                "DROP AGGREGATE gone(integer)", "HYPOTHETICAL", "CREATE OR REPLACE AGGREGATE everything(*)")
                .doesNotContain("DROP AGGREGATE total");
    }

    @Test
    void aWindowFunctionIsAFunction() throws Exception {
        roundTrip.check("", """
                CREATE FUNCTION my_rank() RETURNS bigint WINDOW LANGUAGE internal AS 'window_rank'""");
    }

    @Test
    void anAggregateWhoseResultTypeChangesIsDroppedWithTheViewsThatUseIt() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE t (n int);
                CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);
                CREATE VIEW v AS SELECT total(n) AS s FROM t""", """
                CREATE TABLE t (n int);
                CREATE AGGREGATE total(int) (SFUNC = int4_sum, STYPE = int8);
                CREATE VIEW v AS SELECT total(n) AS s FROM t""");
        assertThat(up.sql()).containsSubsequence("DROP VIEW v", "DROP AGGREGATE total(integer)",
                "CREATE OR REPLACE AGGREGATE total(integer)", "CREATE VIEW v");
    }
}
