package dev.gearshift.fleet;

import static dev.gearshift.fleet.FleetFixtures.appliedInAll;
import static dev.gearshift.fleet.FleetFixtures.exampleAppliedOnce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hundreds of tenant schemas in two databases: one run migrates them all exactly once, and the fleet's
 * status reads each database in one statement per 100 tenants (plus one), not in statements per tenant.
 */
@ExtendWith(PostgresExtension.class)
class FleetScaleTest {

    private static final int PER_DATABASE = 150;

    private TestDatabase db;
    private String databaseA;
    private String databaseB;
    private String urlA;
    private String urlB;
    private String prefix;

    @BeforeEach
    void databases(TestDatabase db) throws Exception {
        this.db = db;
        FleetFixtures.ensureAppRole(db);
        databaseA = FleetFixtures.createDatabase(db);
        databaseB = FleetFixtures.createDatabase(db);
        urlA = FleetFixtures.withDatabase(db, databaseA);
        urlB = FleetFixtures.withDatabase(db, databaseB);
        prefix = FleetFixtures.prefix();
    }

    @AfterEach
    void drop() throws Exception {
        FleetFixtures.dropDatabase(db, databaseA);
        FleetFixtures.dropDatabase(db, databaseB);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void migratesHundredsOfSchemasInTwoDatabasesOnceEachAndReadsTheirStatusInConstantQueries() throws Exception {
        List<String> schemasA = FleetFixtures.createSchemas(urlA, prefix + "a", PER_DATABASE);
        List<String> schemasB = FleetFixtures.createSchemas(urlB, prefix + "b", PER_DATABASE);
        List<Tenant> tenants = new ArrayList<>(Tenants.schemasLike(urlA, null, null, prefix + "%"));
        tenants.addAll(Tenants.schemasLike(urlB, null, null, prefix + "%"));
        assertThat(tenants).hasSize(2 * PER_DATABASE);
        assertThat(tenants).filteredOn(t -> t.url().equals(urlA)).extracting(Tenant::schema)
                .containsExactlyElementsOf(schemasA);
        assertThat(tenants).filteredOn(t -> t.url().equals(urlB)).extracting(Tenant::schema)
                .containsExactlyElementsOf(schemasB);

        List<String> started = java.util.Collections.synchronizedList(new ArrayList<>());
        FleetResult result;
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(8).maxFailures(0)
                .listener(new FleetListener() {
                    @Override
                    public void started(Tenant tenant) {
                        started.add(tenant.name());
                    }
                }).build()) {
            FleetStatus before = fleet.status();
            assertThat(before.tenants()).hasSize(2 * PER_DATABASE).noneMatch(FleetStatus.TenantStatus::isCurrent);
            assertThat(before.countsPerVersion()).isEqualTo(Map.of("core", Map.of("none", 2 * PER_DATABASE),
                    "auth", Map.of("none", 2 * PER_DATABASE)));

            result = fleet.up(Target.latest());
        }

        assertThat(result.outcomes()).hasSize(2 * PER_DATABASE);
        assertThat(result.outcomes()).as("%s", result.outcomes().stream()
                        .filter(o -> o.state() != TenantOutcome.State.DONE).limit(3).toList())
                .allSatisfy(o -> {
                    assertThat(o.state()).isEqualTo(TenantOutcome.State.DONE);
                    assertThat(o.migrations()).isEqualTo(8);
                    assertThat(o.message()).isEmpty();
                });
        assertThat(result.succeeded()).isTrue();
        assertThat(result.stopReason()).isEmpty();
        assertThat(started).as("every tenant started exactly once").hasSize(2 * PER_DATABASE)
                .doesNotHaveDuplicates();

        Map<String, Integer> once = exampleAppliedOnce();
        assertThat(appliedInAll(urlA, schemasA)).hasSize(PER_DATABASE).allSatisfy((schema, applied) ->
                assertThat(applied).as(schema).isEqualTo(once));
        assertThat(appliedInAll(urlB, schemasB)).hasSize(PER_DATABASE).allSatisfy((schema, applied) ->
                assertThat(applied).as(schema).isEqualTo(once));

        // The status of the whole fleet, counting the statements sent to each database.
        FleetStatus status;
        try (StatementCounter counter = StatementCounter.install();
             Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(8).build()) {
            status = fleet.status();
            int bigA = counter.statements(databaseA);
            int bigB = counter.statements(databaseB);

            // The same with 3 tenants per database: the count grows by one statement per 100 tenants (PostgreSQL
            // plans a union of more tables ever more slowly), never by one per tenant.
            List<Tenant> few = new ArrayList<>(tenants.subList(0, 3));
            few.addAll(tenants.subList(PER_DATABASE, PER_DATABASE + 3));
            try (Fleet small = Fleet.configure(FleetFixtures.project(db)).tenants(few).build()) {
                FleetStatus smallStatus = small.status();
                assertThat(smallStatus.tenants()).hasSize(6).allMatch(FleetStatus.TenantStatus::isCurrent);
            }
            int smallA = counter.statements(databaseA) - bigA;
            int smallB = counter.statements(databaseB) - bigB;

            assertThat(smallA).as("statements to %s for 3 tenants", databaseA).isPositive().isLessThanOrEqualTo(2);
            assertThat(smallB).as("statements to %s for 3 tenants", databaseB).isPositive().isLessThanOrEqualTo(2);
            assertThat(bigA).as("statements to %s for %d tenants", databaseA, PER_DATABASE).isEqualTo(smallA + 1);
            assertThat(bigB).as("statements to %s for %d tenants", databaseB, PER_DATABASE).isEqualTo(smallB + 1);
        }

        assertThat(status.tenants()).hasSize(2 * PER_DATABASE).allSatisfy(t -> {
            assertThat(t.isCurrent()).as(t.tenant()).isTrue();
            assertThat(t.error()).isEmpty();
            assertThat(t.current()).isEqualTo(Map.of("core", Optional.of(Version.of(6)), "auth", Optional.of(Version.of(2))));
        });
        assertThat(status.tenants()).extracting(FleetStatus.TenantStatus::tenant)
                .containsExactlyElementsOf(tenants.stream().map(Tenant::name).toList());
        assertThat(status.countsPerVersion()).isEqualTo(Map.of("core", Map.of("6", 2 * PER_DATABASE),
                "auth", Map.of("2", 2 * PER_DATABASE)));
    }
}
