package dev.gearshift.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run does not keep one backend for every tenant's DDL (its caches would grow and slow every later
 * tenant): backends are replaced every few migrated tenants; tenants with nothing to do replace none.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetRecyclingTest {

    private static final int TENANTS = 30;

    private TestDatabase server;
    private String database;
    private String url;

    @BeforeEach
    void setUp(TestDatabase server) throws Exception {
        this.server = server;
        database = FleetFixtures.createDatabase(server);
        url = FleetFixtures.withDatabase(server, database);
    }

    @AfterEach
    void drop() throws Exception {
        FleetFixtures.dropDatabase(server, database);
    }

    @Test
    void backendsThatMigratedAFewTenantsAreReplacedAndIdleTenantsReplaceNone(@TempDir Path temp) throws Exception {
        Path project = temp.resolve("ddl");
        FleetFixtures.write(project.resolve("migrations/core/1_a.up.sql"), "CREATE TABLE a (id int PRIMARY KEY);\n");
        FleetFixtures.write(project.resolve("migrations/core/2_b.up.sql"), "CREATE TABLE b (id int REFERENCES a);\n");
        String prefix = FleetFixtures.prefix();
        FleetFixtures.createSchemas(url, prefix, TENANTS);
        List<Tenant> tenants = Tenants.schemasLike(url, null, null, prefix + "%");
        TestDatabase tenantDb = new TestDatabase(url);

        for (int run = 0; run < 2; run++) {
            try (StatementCounter counter = StatementCounter.install();
                 Fleet fleet = Fleet.configure(FleetFixtures.project(tenantDb, project)).tenants(tenants).parallel(1)
                         .build()) {
                FleetResult result = fleet.up(Target.latest());
                assertThat(result.succeeded()).as("%s", result.outcomes()).isTrue();
                if (run == 0) {
                    assertThat(result.outcomes()).allMatch(o -> o.migrations() == 2);
                    // One tenant at a time, one connection each (the lock is taken on the session that works):
                    // without recycling, 1 or 2 backends; replaced after every 10 tenants, 3.
                    assertThat(counter.connections(database)).as("backends opened for %d migrated tenants", TENANTS)
                            .isGreaterThanOrEqualTo(TENANTS / 10).isLessThan(TENANTS);
                } else {
                    assertThat(result.outcomes()).allMatch(o -> o.migrations() == 0);
                    assertThat(counter.connections(database)).as("backends opened when nothing is to do").isEqualTo(1);
                }
            }
        }
    }
}
