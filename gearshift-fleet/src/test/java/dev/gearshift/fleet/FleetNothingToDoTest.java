package dev.gearshift.fleet;

import static dev.gearshift.fleet.FleetFixtures.applied;
import static dev.gearshift.fleet.FleetFixtures.exampleAppliedOnce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import dev.gearshift.Target;
import dev.gearshift.fleet.TenantOutcome.State;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
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
 * {@code up} over tenants with nothing to do costs what {@code status} costs: a constant number of statements
 * per database and per control database, however many tenants; and a tenant that changed after that status
 * read is still migrated by what its history says when it runs.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetNothingToDoTest {

    private static final int MANY = 40;
    private static final int FEW = 3;

    /** The test database: control tables live here. */
    private static TestDatabase server;
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
        prefix = FleetFixtures.prefix();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String run : runs) {
            server.execute("DELETE FROM gearshift_fleet.runs WHERE id = '" + run + "'");
        }
    }

    /** Statements sent to the tenant database and to the control database by one run. */
    private record Cost(int tenantDatabase, int controlDatabase, int tenantConnections) {
    }

    private Cost upOnUpToDate(List<Tenant> tenants, boolean durable) throws Exception {
        String controlDatabase = FleetFixtures.databaseOf(server);
        List<TenantOutcome> finished = Collections.synchronizedList(new ArrayList<>());
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        FleetListener listener = new FleetListener() {
            @Override
            public void started(Tenant tenant) {
                started.add(tenant.name());
            }

            @Override
            public void finished(TenantOutcome outcome, int done, int failed, int total) {
                finished.add(outcome);
            }
        };
        try (StatementCounter counter = StatementCounter.install();
             ControlStore control = durable ? ControlStore.open(server.url(), null, null) : null) {
            int controlBefore = counter.statements(controlDatabase);
            FleetResult result;
            try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(2).canary(1)
                    .control(control).listener(listener).build()) {
                result = fleet.up(Target.latest());
            }
            Cost cost = new Cost(counter.statements(database), counter.statements(controlDatabase) - controlBefore,
                    counter.connections(database));
            if (durable) {
                runs.add(result.runId());
            }
            assertThat(result.succeeded()).as("%s", result.outcomes()).isTrue();
            assertThat(result.outcomes()).hasSize(tenants.size()).allSatisfy(o -> {
                assertThat(o.state()).isEqualTo(State.DONE);
                assertThat(o.migrations()).isZero();
                assertThat(o.message()).isEmpty();
                assertThat(o.errorCode()).isNull();
            });
            assertThat(finished).as("every tenant counts in the progress").hasSize(tenants.size());
            assertThat(started).hasSize(tenants.size()).doesNotHaveDuplicates();
            if (durable) {
                assertThat(server.column("SELECT DISTINCT state || ' ' || attempts || ' ' || migrations || ' '"
                        + " || coalesce(message, '-') FROM gearshift_fleet.tenants WHERE run_id = '" + result.runId()
                        + "'")).containsExactly("done 1 0 ");
                assertThat(server.column("SELECT state FROM gearshift_fleet.runs WHERE id = '" + result.runId() + "'"))
                        .containsExactly("finished");
            }
            return cost;
        }
    }

    @Test
    void upOnUpToDateTenantsCostsAConstantNumberOfStatementsPerDatabase() throws Exception {
        FleetFixtures.createSchemas(db.url(), prefix, MANY);
        List<Tenant> tenants = Tenants.schemasLike(db.url(), null, null, prefix + "%");
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(4).maxFailures(0)
                .build()) {
            assertThat(fleet.up(Target.latest()).succeeded()).isTrue();
        }
        List<String> firstHistory = FleetFixtures.historyRows(db.url(), tenants.get(0).schema());

        for (boolean durable : List.of(false, true)) {
            Cost many = upOnUpToDate(tenants, durable);
            Cost few = upOnUpToDate(tenants.subList(0, FEW), durable);
            assertThat(many.tenantDatabase()).as("statements to the tenant database, %d tenants, durable %s", MANY,
                    durable).isPositive().isLessThanOrEqualTo(3).isEqualTo(few.tenantDatabase());
            assertThat(many.tenantConnections()).as("connections to the tenant database").isEqualTo(1);
            assertThat(many.controlDatabase()).as("statements to the control database, durable %s", durable)
                    .isEqualTo(few.controlDatabase());
        }
        assertThat(FleetFixtures.historyRows(db.url(), tenants.get(0).schema())).isEqualTo(firstHistory);

        // validate reads the same statuses: every tenant's applied migrations, without running it.
        try (StatementCounter counter = StatementCounter.install();
             Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(2).build()) {
            FleetResult result = fleet.validate();
            assertThat(result.outcomes()).hasSize(MANY).allSatisfy(o -> {
                assertThat(o.state()).isEqualTo(State.DONE);
                assertThat(o.migrations()).isEqualTo(FleetFixtures.EXAMPLE_MIGRATIONS.size());
            });
            assertThat(counter.statements(database)).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void aTenantChangedAfterTheStatusReadIsMigratedByItsHistoryWhenItRuns() throws Exception {
        FleetFixtures.createSchemas(db.url(), prefix, 5);
        List<Tenant> tenants = Tenants.schemasLike(db.url(), null, null, prefix + "%");
        Tenant first = tenants.get(0);
        Tenant current = tenants.get(1);
        Tenant migratedMeanwhile = tenants.get(2);
        Tenant advancedMeanwhile = tenants.get(3);
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(2).build()) {
            assertThat(fleet.up(Target.steps(2)).succeeded()).isTrue();
        }
        up(current, Target.latest());

        List<String> startedOrder = Collections.synchronizedList(new ArrayList<>());
        FleetResult result;
        try (ControlStore control = ControlStore.open(server.url(), null, null);
             Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(1).control(control)
                     .listener(new FleetListener() {
                         @Override
                         public void started(Tenant tenant) {
                             startedOrder.add(tenant.name());
                             // The statuses were read; the tenants with work have not run yet.
                             if (tenant.equals(first)) {
                                 up(migratedMeanwhile, Target.latest());
                                 up(advancedMeanwhile, Target.steps(3));
                             }
                         }
                     }).build()) {
            result = fleet.up(Target.latest());
            runs.add(result.runId());
        }

        assertThat(startedOrder).as("the tenant with nothing to do is finished first")
                .startsWith(current.name(), first.name());
        assertThat(result.succeeded()).as("%s", result.outcomes()).isTrue();
        Map<String, Integer> migrations = new java.util.TreeMap<>();
        result.outcomes().forEach(o -> migrations.put(o.tenant(), o.migrations()));
        int total = FleetFixtures.EXAMPLE_MIGRATIONS.size();
        assertThat(migrations).isEqualTo(Map.of(first.name(), total - 2, current.name(), 0,
                migratedMeanwhile.name(), 0, advancedMeanwhile.name(), total - 5, tenants.get(4).name(), total - 2));
        for (Tenant tenant : tenants) {
            assertThat(applied(db.url(), tenant.schema())).as(tenant.name()).isEqualTo(exampleAppliedOnce());
        }
    }

    /** Someone else migrating one tenant, outside the fleet. */
    private static void up(Tenant tenant, Target target) {
        Gearshift.configure().url(db.url()).project(FleetFixtures.EXAMPLE).schema(tenant.schema()).build().up(target);
    }
}
