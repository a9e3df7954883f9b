package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two well-known public sample schemas, written from their published structure for these tests (Pagila, a DVD
 * rental store, and Northwind Traders): created from nothing, dropped to nothing, turned into each other, and
 * edited the way a team edits a schema.
 */
@ExtendWith(PostgresExtension.class)
class SampleSchemasTest {

    private RoundTrip roundTrip;

    @BeforeEach
    void setUp(TestDatabase db) throws Exception {
        roundTrip = RoundTrip.inSchemasOf(db);
    }

    static String sample(String name) throws IOException {
        try (InputStream in = SampleSchemasTest.class.getResourceAsStream("/samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pagilaFromNothingAndBack() throws Exception {
        SchemaChanges create = roundTrip.check("", sample("pagila.sql"));
        assertThat(create.destructive()).isFalse();
        assertThat(create.sql()).containsSubsequence("CREATE TYPE mpaa_rating", "CREATE TABLE film (",
                "ALTER TABLE film ADD CONSTRAINT film_pkey", "CREATE VIEW film_list");
        // store and staff reference each other: both tables first, then both foreign keys
        assertThat(create.sql()).containsSubsequence("CREATE TABLE staff", "CREATE TABLE store",
                "store_manager_staff_id_fkey");
    }

    @Test
    void northwindFromNothingAndBack() throws Exception {
        roundTrip.check("", sample("northwind.sql"));
    }

    @Test
    void pagilaIntoNorthwindAndBack() throws Exception {
        roundTrip.check(sample("pagila.sql"), sample("northwind.sql"));
    }

    @Test
    void pagilaEdited() throws Exception {
        String pagila = sample("pagila.sql");
        String edited = pagila
                .replace("rental_rate numeric(4,2) NOT NULL DEFAULT 4.99", "rental_rate numeric(5,2) NOT NULL DEFAULT 3.99")
                .replace("'NC-17');", "'NC-17', 'NR');")
                .replace("CREATE INDEX idx_title ON film (title);", "CREATE INDEX idx_title ON film (lower(title));")
                .replace("fulltext tsvector NOT NULL\n);", "fulltext tsvector NOT NULL,\n    imdb_id text UNIQUE\n);")
                .replace("amount numeric(5,2) NOT NULL CHECK (amount >= 0)", "amount numeric(7,2) NOT NULL CHECK (amount > 0)")
                .replace("interval '1 day')::date", "interval '1 day')::date + 0")
                .replace("CREATE VIEW sales_by_store AS", "CREATE VIEW sales_by_store_gone AS")
                + "\nCOMMENT ON TABLE actor IS 'people in films';\nGRANT SELECT ON film_list TO gs_reader;\n";
        assertThat(edited).isNotEqualTo(pagila);
        SchemaChanges up = roundTrip.check(pagila, edited);
        assertThat(up.sql()).containsSubsequence("DROP VIEW film_list;", "ALTER TABLE film ALTER COLUMN rental_rate"
                + " TYPE numeric(5,2)", "CREATE VIEW film_list").contains("ALTER TYPE mpaa_rating ADD VALUE 'NR'");
    }
}
