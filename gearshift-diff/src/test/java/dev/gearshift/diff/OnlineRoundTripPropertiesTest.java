package dev.gearshift.diff;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The round trip of {@link RoundTripPropertiesTest} on near pairs (tables on both sides, their keys, checks and
 * indexes changing), written online: each part applied as it declares leaves the schema it says it leaves, and
 * the last one leaves the other side.
 */
class OnlineRoundTripPropertiesTest {

    private static EmbeddedPostgres embedded;
    private static RoundTrip roundTrip;

    @BeforeContainer
    static void start() throws Exception {
        String url = System.getenv(PostgresExtension.URL_VARIABLE);
        if (url == null || url.isBlank()) {
            embedded = EmbeddedPostgres.builder().setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
            url = embedded.getJdbcUrl("postgres", "postgres");
        }
        Schemas schemas = new Schemas(new TestDatabase(url));
        schemas.createRoles();
        roundTrip = new RoundTrip(schemas, false, SchemaDiff.Options.ONLINE);
    }

    @AfterContainer
    static void stop() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }

    /** The kinds that live in a schema: the sides share one database here. */
    private static final Set<ObjectKind> KINDS = ObjectKind.SUPPORTED.stream()
            .filter(kind -> kind != ObjectKind.EXTENSION && kind != ObjectKind.EXTENSION_VERSION
                    && kind != ObjectKind.SCHEMAS && kind != ObjectKind.INHERITANCE && kind != ObjectKind.PARTITION)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(ObjectKind.class)));

    @Property(tries = 20, seed = "7", shrinking = ShrinkingMode.OFF)
    void nearSchemasOnline(@ForAll long seed, @ForAll long noise,
                           @ForAll @DoubleRange(min = 0.02, max = 0.2) double rate) throws Exception {
        SchemaChanges up = roundTrip.check(RandomSchemas.of(seed, KINDS).sql(),
                RandomSchemas.near(seed, noise, rate, KINDS).sql());
        Statistics.collect(up.parts().size() > 1 ? "split in parts" : "one part");
        // the split is what this property is about: a run where no pair needed it proved nothing
        Statistics.coverage(coverage -> coverage.check("split in parts").count(n -> n > 0));
    }
}
