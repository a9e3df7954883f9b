package dev.gearshift.fleet;

import static dev.gearshift.fleet.FleetFixtures.applied;
import static dev.gearshift.fleet.FleetFixtures.exampleAppliedOnce;
import static dev.gearshift.fleet.FleetFixtures.relations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Target;
import dev.gearshift.fleet.TenantOutcome.State;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One bad tenant among good ones: with --max-failures 0 the others finish; by default nothing new starts after
 * the first failure; a failed canary keeps the rest untouched; a resume after the fix finishes the run without
 * running done tenants again.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetFailuresTest {

    /** The test database: control tables live here. */
    private static TestDatabase server;
    /**
     * A database of this class's own for the tenant schemas: the example's CREATE INDEX CONCURRENTLY waits for
     * every older transaction in its database, so tenants share theirs with no other test.
     */
    private static TestDatabase db;
    private static String database;

    private String prefix;
    private final List<String> runs = new ArrayList<>();

    @BeforeAll
    static void database(TestDatabase test) throws Exception {
        server = test;
        FleetFixtures.ensureAppRole(server);
        database = FleetFixtures.createDatabase(server);
        db = new TestDatabase(FleetFixtures.withDatabase(server, database));
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        FleetFixtures.dropDatabase(server, database);
    }

    @BeforeEach
    void setUp() {
        this.prefix = FleetFixtures.prefix();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String run : runs) {
            server.execute("DELETE FROM gearshift_fleet.runs WHERE id = '" + run + "'");
        }
    }

    /** {@code count} tenant schemas; the one at {@code bad} already has a table the first migration creates. */
    private List<Tenant> tenants(int count, int bad) throws Exception {
        List<String> schemas = FleetFixtures.createSchemas(db.url(), prefix, count);
        db.execute("CREATE TABLE " + schemas.get(bad) + ".plans (conflicting int)");
        List<Tenant> tenants = Tenants.schemasLike(db.url(), null, null, prefix + "%");
        assertThat(tenants).extracting(Tenant::schema).containsExactlyElementsOf(schemas);
        return tenants;
    }

    private static Map<String, State> states(FleetResult result) {
        Map<String, State> states = new LinkedHashMap<>();
        result.outcomes().forEach(o -> states.put(o.tenant(), o.state()));
        return states;
    }

    /** Every tenant's row in gearshift_fleet.tenants: state, attempts, message. */
    private Map<String, List<String>> controlRows(String runId) throws Exception {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String row : server.column("SELECT tenant || '|' || state || '|' || attempts || '|' || coalesce(message, '')"
                + " FROM gearshift_fleet.tenants WHERE run_id = '" + runId + "' ORDER BY position")) {
            String[] parts = row.split("\\|", 4);
            rows.put(parts[0], List.of(parts[1], parts[2], parts[3]));
        }
        return rows;
    }

    @Test
    void withMaxFailuresZeroTheOthersFinishAndTheBadTenantFailsWithTheDatabaseError() throws Exception {
        List<Tenant> tenants = tenants(6, 3);
        String bad = tenants.get(3).name();

        FleetResult result;
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(3).maxFailures(0)
                .build()) {
            result = fleet.up(Target.latest());
        }

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stopReason()).isEmpty();
        assertThat(result.count(State.DONE)).isEqualTo(5);
        assertThat(result.count(State.FAILED)).isEqualTo(1);
        TenantOutcome failed = result.outcomes().get(3);
        assertThat(failed.tenant()).isEqualTo(bad);
        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.errorCode()).isEqualTo("migration-failed");
        assertThat(failed.message()).contains("relation \"plans\" already exists").contains("1_create_plans.up.sql");
        assertThat(failed.migrations()).isZero();
        for (Tenant tenant : tenants) {
            if (tenant.name().equals(bad)) {
                assertThat(applied(db.url(), tenant.schema())).isEmpty();
                assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                        + bad + "' AND table_name = 'plans'")).as("the conflicting table is untouched")
                        .containsExactly("conflicting");
            } else {
                assertThat(applied(db.url(), tenant.schema())).as(tenant.name()).isEqualTo(exampleAppliedOnce());
            }
        }
    }

    @Test
    void byDefaultNoTenantStartsAfterTheFirstFailureAndResumeFinishesTheRunAfterTheFix() throws Exception {
        List<Tenant> tenants = tenants(5, 1);
        String first = tenants.get(0).schema();
        String bad = tenants.get(1).schema();

        FleetResult result;
        try (ControlStore control = ControlStore.open(server.url(), null, null);
             Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(1).control(control)
                     .build()) {
            result = fleet.up(Target.latest());
            runs.add(result.runId());

            assertThat(states(result).values()).containsExactly(State.DONE, State.FAILED, State.SKIPPED,
                    State.SKIPPED, State.SKIPPED);
            assertThat(result.stopReason()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("1 tenant failed").contains("max failures: 1"));
            assertThat(result.outcomes().subList(2, 5)).allSatisfy(o -> {
                assertThat(o.message()).contains("max failures: 1");
                assertThat(relations(db.url(), o.schema())).as("nothing ran in a skipped tenant").isEmpty();
            });
            assertThat(result.outcomes().get(1).message()).contains("relation \"plans\" already exists");

            Map<String, List<String>> rows = controlRows(result.runId());
            assertThat(rows.get(first)).containsExactly("done", "1", "");
            assertThat(rows.get(bad).get(0)).isEqualTo("failed");
            assertThat(rows.get(bad).get(2)).contains("relation \"plans\" already exists");
            assertThat(rows.values()).extracting(r -> r.get(0)).containsExactly("done", "failed", "skipped", "skipped",
                    "skipped");
            assertThat(control.run(result.runId()).state()).isEqualTo("stopped");

            // Fix the tenant, resume: only what did not finish runs.
            List<String> firstHistory = FleetFixtures.historyRows(db.url(), first);
            db.execute("DROP TABLE " + bad + ".plans");
            FleetResult resumed = fleet.resume(result.runId());

            assertThat(resumed.runId()).isEqualTo(result.runId());
            assertThat(resumed.succeeded()).as("%s", resumed.outcomes()).isTrue();
            assertThat(resumed.stopReason()).isEmpty();
            assertThat(FleetFixtures.historyRows(db.url(), first)).as("a done tenant is not run again")
                    .isEqualTo(firstHistory);
            for (Tenant tenant : tenants) {
                assertThat(applied(db.url(), tenant.schema())).as(tenant.name()).isEqualTo(exampleAppliedOnce());
            }
            Map<String, List<String>> after = controlRows(result.runId());
            assertThat(after.values()).extracting(r -> r.get(0)).containsOnly("done");
            assertThat(after.get(first).get(1)).as("attempts of the tenant done in the first run").isEqualTo("1");
            assertThat(after.get(bad).get(1)).as("attempts of the fixed tenant").isEqualTo("2");
            assertThat(after.get(bad).get(2)).as("the old failure message is cleared").isEmpty();
            assertThat(control.run(result.runId()).state()).isEqualTo("finished");
            assertThat(control.run(result.runId()).done()).isEqualTo(5);
        }
    }

    @Test
    void aFailedCanaryLeavesTheOtherTenantsUntouched() throws Exception {
        List<Tenant> tenants = tenants(7, 1);

        FleetResult result;
        try (ControlStore control = ControlStore.open(server.url(), null, null);
             Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(4).canary(3)
                     .maxFailures(0).control(control).build()) {
            result = fleet.up(Target.latest());
            runs.add(result.runId());
            assertThat(control.run(result.runId()).state()).isEqualTo("stopped");
        }

        assertThat(states(result).values()).containsExactly(State.DONE, State.FAILED, State.DONE, State.SKIPPED,
                State.SKIPPED, State.SKIPPED, State.SKIPPED);
        assertThat(result.stopReason()).hasValueSatisfying(reason -> assertThat(reason).contains("canary"));
        for (TenantOutcome skipped : result.outcomes().subList(3, 7)) {
            assertThat(skipped.message()).contains("canary");
            assertThat(relations(db.url(), skipped.schema())).as(skipped.tenant()).isEmpty();
        }
        assertThat(applied(db.url(), tenants.get(0).schema())).isEqualTo(exampleAppliedOnce());
        assertThat(applied(db.url(), tenants.get(2).schema())).isEqualTo(exampleAppliedOnce());
    }

    @Test
    void aCanaryThatSucceedsOpensTheRunToEveryTenant() throws Exception {
        List<String> schemas = FleetFixtures.createSchemas(db.url(), prefix, 6);
        List<Tenant> tenants = Tenants.schemasLike(db.url(), null, null, prefix + "%");

        FleetResult result;
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(2).canary(2).build()) {
            result = fleet.up(Target.latest());
        }

        assertThat(result.succeeded()).isTrue();
        for (String schema : schemas) {
            assertThat(applied(db.url(), schema)).as(schema).isEqualTo(exampleAppliedOnce());
        }
    }
}
