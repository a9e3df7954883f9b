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
        roundTrip = RoundTrip.inSchemasOf(db);
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

    /**
     * A small rental-shop schema with what made a public sample schema fail both ways: an aggregate over a state
     * function, views that use the aggregate, a domain, trigger functions, a materialized view, functions returning
     * tables and rows, sequences owned by columns.
     */
    private static final String SHOP = """
            CREATE TYPE rating AS ENUM ('G', 'PG', 'R');
            CREATE DOMAIN release_year AS integer CONSTRAINT release_year_check CHECK (VALUE >= 1900 AND VALUE <= 2200);
            CREATE SEQUENCE actor_actor_id_seq;
            CREATE TABLE actor (
                actor_id integer DEFAULT nextval('actor_actor_id_seq') PRIMARY KEY,
                first_name text NOT NULL,
                last_name text NOT NULL,
                last_update timestamptz NOT NULL DEFAULT now()
            );
            ALTER SEQUENCE actor_actor_id_seq OWNED BY actor.actor_id;
            CREATE TABLE film (
                film_id serial PRIMARY KEY,
                title text NOT NULL,
                description text,
                year release_year,
                rating rating DEFAULT 'G',
                rental_rate numeric(4, 2) NOT NULL DEFAULT 4.99,
                fulltext tsvector,
                last_update timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE film_actor (
                actor_id integer NOT NULL REFERENCES actor ON DELETE RESTRICT,
                film_id integer NOT NULL REFERENCES film ON DELETE RESTRICT,
                PRIMARY KEY (actor_id, film_id)
            );
            CREATE TABLE rental (
                rental_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                film_id integer NOT NULL REFERENCES film,
                customer text NOT NULL,
                rented_on date NOT NULL,
                amount numeric(5, 2)
            );
            CREATE INDEX film_fulltext ON film USING gist (fulltext);

            CREATE FUNCTION _join_names(text, text) RETURNS text LANGUAGE sql IMMUTABLE
                AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END $$;
            CREATE AGGREGATE join_names(text) (SFUNC = _join_names, STYPE = text);

            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN NEW.last_update := now(); RETURN NEW; END $$;
            CREATE TRIGGER actor_touch BEFORE UPDATE ON actor FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE TRIGGER film_touch BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE TRIGGER film_fulltext BEFORE INSERT OR UPDATE ON film FOR EACH ROW
                EXECUTE FUNCTION tsvector_update_trigger(fulltext, 'pg_catalog.english', title, description);

            CREATE VIEW actor_films AS
                SELECT a.actor_id, a.first_name, a.last_name, join_names(f.title) AS films
                FROM actor a JOIN film_actor fa USING (actor_id) JOIN film f USING (film_id)
                GROUP BY a.actor_id, a.first_name, a.last_name;
            CREATE VIEW film_list AS
                SELECT f.film_id, f.title, f.rating, join_names(a.first_name || ' ' || a.last_name) AS actors
                FROM film f LEFT JOIN film_actor fa USING (film_id) LEFT JOIN actor a USING (actor_id)
                GROUP BY f.film_id, f.title, f.rating;
            CREATE VIEW busy_actors AS SELECT actor_id, films FROM actor_films WHERE films LIKE '%,%';

            CREATE FUNCTION film_revenue(p_film integer) RETURNS numeric LANGUAGE sql STABLE
            BEGIN ATOMIC
                SELECT coalesce(sum(amount), 0) FROM rental WHERE film_id = p_film;
            END;
            CREATE MATERIALIZED VIEW revenue_by_film AS
                SELECT film_id, title, film_revenue(film_id) AS revenue FROM film;
            CREATE UNIQUE INDEX revenue_by_film_id ON revenue_by_film (film_id);
            CREATE VIEW top_films AS SELECT title, revenue FROM revenue_by_film ORDER BY revenue DESC LIMIT 10;

            CREATE FUNCTION films_in_year(p_year integer) RETURNS TABLE (film_id integer, title text)
                LANGUAGE sql STABLE AS $$ SELECT film_id, title FROM film WHERE year = p_year $$;
            CREATE FUNCTION rentals_of(p_customer text) RETURNS SETOF rental LANGUAGE plpgsql STABLE
                AS $$ BEGIN RETURN QUERY SELECT * FROM rental WHERE customer = p_customer; END $$;
            CREATE FUNCTION last_day(d date) RETURNS date LANGUAGE sql IMMUTABLE STRICT
            BEGIN ATOMIC
                SELECT (date_trunc('month', d) + interval '1 month' - interval '1 day')::date;
            END;
            CREATE VIEW monthly AS SELECT last_day(rented_on) AS month, count(*) AS rentals FROM rental GROUP BY 1;
            """;

    @Test
    void aRentalShopIsBuiltFromNothingAndTornDown() throws Exception {
        SchemaChanges up = roundTrip.check("", SHOP);
        assertThat(up.sql()).containsSubsequence("CREATE OR REPLACE FUNCTION _join_names(",
                "CREATE OR REPLACE AGGREGATE join_names(text)", "CREATE VIEW actor_films", "CREATE VIEW busy_actors");
        SchemaChanges down = roundTrip.check(SHOP, "");
        assertThat(down.sql()).containsSubsequence("DROP VIEW busy_actors", "DROP VIEW actor_films",
                "DROP AGGREGATE join_names(text)", "DROP FUNCTION _join_names(text, text)");
    }

    @Test
    void aStateFunctionChangedUnderItsAggregate() throws Exception {
        String to = SHOP.replace("ELSE $1 || ', ' || $2 END $$;", "ELSE $1 || '; ' || $2 END $$;")
                .replace("CREATE AGGREGATE join_names(text) (SFUNC = _join_names, STYPE = text);",
                        "CREATE AGGREGATE join_names(text) (SFUNC = _join_names, STYPE = text, PARALLEL = SAFE);");
        roundTrip.check(SHOP, to);
    }

    @Test
    void sqlFunctionsWithStringBodiesWaitForWhatTheyName() throws Exception {
        // nothing records what a string body uses, yet PostgreSQL parses it: a_total reads a view and calls z_double
        SchemaChanges up = roundTrip.check("", """
                CREATE TABLE t (n int);
                CREATE VIEW positive AS SELECT n FROM t WHERE n > 0;
                CREATE FUNCTION z_double(x bigint) RETURNS bigint LANGUAGE sql AS 'SELECT x * 2';
                CREATE FUNCTION a_total() RETURNS bigint LANGUAGE sql AS 'SELECT z_double(sum(n)) FROM positive'""");
        assertThat(up.sql()).containsSubsequence("CREATE VIEW positive", "FUNCTION a_total()")
                .containsSubsequence("FUNCTION z_double(", "FUNCTION a_total()");
    }
}
