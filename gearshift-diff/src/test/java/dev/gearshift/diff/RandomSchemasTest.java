package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The generator behind {@link RoundTripPropertiesTest}, over a fixed set of seeds: every kind occurs, often; a
 * kind switched off never does; and the SQL of every kind, pending ones too, runs on PostgreSQL (so switching a
 * pending kind on tests the diff, not the generator).
 */
@ExtendWith(PostgresExtension.class)
class RandomSchemasTest {

    private static final int SEEDS = 200;

    @Test
    void everyKindOccursInManySchemas() {
        Map<ObjectKind, Integer> schemasWith = new EnumMap<>(ObjectKind.class);
        for (long seed = 0; seed < SEEDS; seed++) {
            RandomSchemas.of(seed, ObjectKind.ALL).kinds().forEach(kind -> schemasWith.merge(kind, 1, Integer::sum));
        }
        for (ObjectKind kind : ObjectKind.values()) {
            assertThat(schemasWith.getOrDefault(kind, 0)).as("schemas with %s of %d", kind, SEEDS)
                    .isGreaterThanOrEqualTo(SEEDS / 20);
        }
    }

    @Test
    void aKindSwitchedOffIsNeverWritten() {
        for (long seed = 0; seed < SEEDS; seed++) {
            RandomSchemas.Schema schema = RandomSchemas.of(seed, ObjectKind.SUPPORTED);
            assertThat(schema.kinds()).doesNotContainAnyElementsOf(ObjectKind.PENDING);
            // INHERITED_COLUMN_MERGE, the one pending kind: a child declaring c_bool, which its parent may have
            assertThat(schema.sql()).doesNotContainPattern("c_bool boolean[^\\n]*\\) INHERITS");
        }
        assertThat(RandomSchemas.of(1, Set.of(ObjectKind.TABLE)).sql()).doesNotContain("PRIMARY KEY", "VIEW");
    }

    @Test
    void aSchemaIsAFunctionOfItsSeed() {
        assertThat(RandomSchemas.of(42, ObjectKind.ALL)).isEqualTo(RandomSchemas.of(42, ObjectKind.ALL));
        assertThat(RandomSchemas.near(42, 7, 0.1, ObjectKind.ALL))
                .isEqualTo(RandomSchemas.near(42, 7, 0.1, ObjectKind.ALL));
    }

    @Test
    void everyKindRunsOnPostgres(TestDatabase server) throws Exception {
        new Schemas(server).createRoles();
        Schemas database = Schemas.inNewDatabase(server, "gs_gen");
        try {
            for (long seed = 0; seed < 20; seed++) {
                for (RandomSchemas.Schema schema : new RandomSchemas.Schema[] {RandomSchemas.of(seed, ObjectKind.ALL),
                    RandomSchemas.near(seed, seed + 1, 0.2, ObjectKind.ALL)}) {
                    try {
                        database.load(schema.sql());
                    } catch (SQLException e) {
                        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
                    }
                    database.clear();
                }
            }
        } finally {
            database.dropDatabase(server);
        }
    }
}
