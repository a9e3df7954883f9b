package dev.gearshift.diff;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The round trip on generated pairs: A + diff(A, B) = B and back, for schemas drawn by {@link RandomSchemas}
 * from every {@link ObjectKind} the diff supports, half of the pairs unrelated, half near each other. Each
 * direction's diff runs in one transaction; the result must equal the other side by catalog (column order aside)
 * and the next diff must be empty. A failure prints both schemas' SQL and the diff that went wrong; the seeds
 * reproduce it (keep them in {@link RegressionSeedsTest}). The statistics report how often each kind was generated,
 * and the property fails when an enabled kind never was.
 *
 * <p>The three sides live in three databases of their own, since extensions and other schemas belong to a
 * database; a pair with objects in the second schema is diffed as a whole database ({@link RoundTrip#checkDatabase},
 * qualified names), any other as one schema. A try loads three schemas, reads five and clears three databases:
 * 0.5-1 s on a quiet 2-core machine (1.5 s measured while five other builds ran), so the default of 45 tries per
 * property ({@code jqwik.tries.default} in {@code junit-platform.properties}) keeps the class at 45-90 s per CI
 * pass. For a long local run (and with the pending kinds on):
 * <pre>
 * ./mvnw -B -pl gearshift-diff -am verify -Dtest=RoundTripPropertiesTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DskipITs -Djqwik.tries.default=500 -Dgearshift.roundtrip.kinds=all
 * </pre>
 * (a system property wins over {@code junit-platform.properties}; it also sets the tries of every other property of
 * the module that does not set its own). {@code gearshift.roundtrip.kinds} is {@code supported} (the default),
 * {@code all}, or a list of {@link ObjectKind}s ({@code TABLE,PARTITION,INDEX}).
 */
class RoundTripPropertiesTest {

    static final String KINDS_PROPERTY = "gearshift.roundtrip.kinds";

    private static final Set<ObjectKind> KINDS = kinds(System.getProperty(KINDS_PROPERTY, "supported"));

    private static EmbeddedPostgres embedded;
    private static TestDatabase server;
    private static Schemas[] sides;
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
        server = new TestDatabase(url);
        new Schemas(server).createRoles();
        sides = new Schemas[] {Schemas.inNewDatabase(server, "gs_props_a"), Schemas.inNewDatabase(server, "gs_props_b"),
            Schemas.inNewDatabase(server, "gs_props_c")};
        roundTrip = new RoundTrip(sides[0], sides[1], sides[2], false, SchemaDiff.Options.DEFAULTS);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            if (sides != null) {
                for (Schemas side : sides) {
                    side.dropDatabase(server);
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** What a try leaves outside its schemas (an extension, the other schema) must not reach the next. */
    @AfterTry
    void clear() throws Exception {
        for (Schemas side : sides) {
            side.clear();
        }
    }

    @Property(seed = "-5593916358786632098", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void unrelatedSchemas(@ForAll long seedA, @ForAll long seedB) throws Exception {
        check(RandomSchemas.of(seedA, KINDS), RandomSchemas.of(seedB, KINDS));
    }

    @Property(seed = "42", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void nearSchemas(@ForAll long seed, @ForAll long noise, @ForAll @DoubleRange(min = 0.02, max = 0.2) double rate)
            throws Exception {
        check(RandomSchemas.of(seed, KINDS), RandomSchemas.near(seed, noise, rate, KINDS));
    }

    private static void check(RandomSchemas.Schema a, RandomSchemas.Schema b) throws Exception {
        Set<ObjectKind> generated = EnumSet.noneOf(ObjectKind.class);
        generated.addAll(a.kinds());
        generated.addAll(b.kinds());
        generated.forEach(kind -> Statistics.label("kinds").collect(kind));
        Statistics.label("kinds").coverage(coverage -> KINDS.forEach(kind -> coverage.check(kind).count(n -> n > 0)));
        Statistics.label("diff").collect(generated.contains(ObjectKind.SCHEMAS) ? "database" : "one schema");
        check(roundTrip, a, b);
    }

    /**
     * The round trip of a generated pair: of the whole database when a side has objects in the other schema
     * (qualified names and all), else of the one schema, as {@code new --diff} writes for a fleet.
     */
    static void check(RoundTrip roundTrip, RandomSchemas.Schema a, RandomSchemas.Schema b) throws Exception {
        if (a.kinds().contains(ObjectKind.SCHEMAS) || b.kinds().contains(ObjectKind.SCHEMAS)) {
            roundTrip.checkDatabase(a.sql(), b.sql(), List.of(RandomSchemas.OTHER_SCHEMA));
        } else {
            roundTrip.check(a.sql(), b.sql());
        }
    }

    static Set<ObjectKind> kinds(String names) {
        return switch (names.strip().toLowerCase(Locale.ROOT)) {
            case "supported" -> ObjectKind.SUPPORTED;
            case "all" -> ObjectKind.ALL;
            default -> Arrays.stream(names.split(",")).map(String::strip)
                    .map(name -> ObjectKind.valueOf(name.toUpperCase(Locale.ROOT)))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(ObjectKind.class)));
        };
    }
}
