package dev.gearshift.diff;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The round trip on generated pairs: A + diff(A, B) = B and back, for schemas drawn by {@link RandomSchemas}, half
 * of the pairs unrelated, half near each other. A failure prints both schemas' SQL and the diff that went wrong;
 * the seeds reproduce it. Bounded: each try loads three schemas and reads seven, about half a second, so the
 * tries are kept to 50 in all (runs with more tries, 320 pairs, passed while this was written).
 */
class RoundTripPropertiesTest {

    private static EmbeddedPostgres embedded;
    private static RoundTrip roundTrip;

    @BeforeContainer
    static void start() throws Exception {
        // jqwik has no JUnit extensions: the same choice as PostgresExtension, made here
        String url = System.getenv(PostgresExtension.URL_VARIABLE);
        if (url == null || url.isBlank()) {
            embedded = EmbeddedPostgres.builder().setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
            url = embedded.getJdbcUrl("postgres", "postgres");
        }
        Schemas schemas = new Schemas(new TestDatabase(url));
        schemas.createRoles();
        roundTrip = new RoundTrip(schemas, false);
    }

    @AfterContainer
    static void stop() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void unrelatedSchemas(@ForAll long seedA, @ForAll long seedB) throws Exception {
        roundTrip.check(RandomSchemas.of(seedA), RandomSchemas.of(seedB));
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void nearSchemas(@ForAll long seed, @ForAll long noise, @ForAll @DoubleRange(min = 0.02, max = 0.2) double rate)
            throws Exception {
        roundTrip.check(RandomSchemas.of(seed), RandomSchemas.near(seed, noise, rate));
    }
}
