package dev.gearshift.fleet;

import static dev.gearshift.fleet.FleetFixtures.applied;
import static dev.gearshift.fleet.FleetFixtures.exampleAppliedOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Remedy;
import dev.gearshift.Target;
import dev.gearshift.fleet.TenantOutcome.State;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tenants that cannot be reached, passwords that must not leak, runs that do not exist. */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetBadInputTest {

    private static final String PASSWORD = "Pw-s3cret-Xq9";

    private static TestDatabase server;
    private static TestDatabase db;
    private static String database;

    private String prefix;

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

    @Test
    void anUnreachableTenantFailsWithAConnectionErrorTheOthersFinishAndNoPasswordIsKept() throws Exception {
        int closed = FleetFixtures.closedPort();
        String user = FleetFixtures.userOf(db);
        // Reachable, with a password in the URL (the test server trusts local connections, so it is not checked).
        String withPassword = "postgres://" + user + ":" + PASSWORD + "@" + FleetFixtures.hostAndPort(db) + "/" + database;
        String jdbcWithPassword = db.url() + "&password=" + PASSWORD;
        // Nothing listens there.
        String unreachable = "postgres://" + user + ":" + PASSWORD + "@127.0.0.1:" + closed + "/" + database;
        List<Tenant> tenants = List.of(
                new Tenant("good", db.url(), prefix + "good", Map.of()),
                new Tenant("gone", unreachable, prefix + "gone", Map.of()),
                new Tenant("secret", withPassword, prefix + "secret", Map.of()),
                new Tenant("jdbc-secret", jdbcWithPassword, prefix + "jdbcsecret", Map.of()));

        // Meanwhile (each unreachable database costs the pool's connection timeout, so both at once): a password
        // given as credentials for every tenant is scrubbed from messages too.
        List<Tenant> viaCredentials = List.of(new Tenant("elsewhere", "jdbc:postgresql://127.0.0.1:" + closed + "/"
                + database, prefix + "elsewhere", Map.of()));
        CompletableFuture<FleetResult> credentialed = CompletableFuture.supplyAsync(() -> {
            try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(viaCredentials)
                    .credentials("nobody", PASSWORD).build()) {
                return fleet.up(Target.latest());
            }
        });

        FleetResult result;
        String runRows;
        try (ControlStore control = ControlStore.open(server.url(), null, null);
             Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(4).maxFailures(0)
                     .control(control).build()) {
            result = fleet.up(Target.latest());
            runRows = String.join("\n", server.column("SELECT t::text FROM gearshift_fleet.tenants t WHERE run_id = '"
                    + result.runId() + "'")) + "\n" + String.join("\n", server.column(
                    "SELECT r::text FROM gearshift_fleet.runs r WHERE id = '" + result.runId() + "'"));
            server.execute("DELETE FROM gearshift_fleet.runs WHERE id = '" + result.runId() + "'");
        }

        assertThat(result.outcomes()).extracting(TenantOutcome::state)
                .containsExactly(State.DONE, State.FAILED, State.DONE, State.DONE);
        TenantOutcome gone = result.outcomes().get(1);
        assertThat(gone.errorCode()).as(gone.message()).isEqualTo("connection");
        assertThat(gone.message()).as("the message says where").contains("cannot connect to gone")
                .contains("127.0.0.1:" + closed);
        assertThat(applied(db.url(), prefix + "good")).isEqualTo(exampleAppliedOnce());
        assertThat(applied(db.url(), prefix + "secret")).isEqualTo(exampleAppliedOnce());
        assertThat(applied(db.url(), prefix + "jdbcsecret")).isEqualTo(exampleAppliedOnce());

        assertThat(result.toString()).doesNotContain(PASSWORD);
        assertThat(runRows).contains(prefix + "gone").contains(":" + closed + "/").doesNotContain(PASSWORD);
        assertThat(runRows).as("tenant databases are recorded masked").contains(":***@");

        FleetResult other = credentialed.get(30, TimeUnit.SECONDS);
        assertThat(other.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.state()).isEqualTo(State.FAILED);
            assertThat(o.errorCode()).isEqualTo("connection");
        });
        assertThat(other.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void resumingOrJoiningAnUnknownRunIsAUsageError() throws Exception {
        FleetFixtures.createSchemas(db.url(), prefix, 1);
        List<Tenant> tenants = Tenants.schemasLike(db.url(), null, null, prefix + "%");
        try (ControlStore control = ControlStore.open(server.url(), null, null);
             Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).control(control).build()) {
            for (Runnable call : List.<Runnable>of(() -> fleet.resume("20000101-000000-dead"),
                    () -> fleet.work("20000101-000000-dead"))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(GearshiftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("unknown fleet run '20000101-000000-dead'");
                });
            }
        }
        assertThat(FleetFixtures.relations(db.url(), prefix + "0000")).isEmpty();
    }

    @Test
    void resumingWithoutControlStoreIsAUsageError() throws Exception {
        List<Tenant> tenants = List.of(new Tenant("a", db.url(), prefix + "a", Map.of()));
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).build()) {
            assertThatThrownBy(() -> fleet.resume("any")).isInstanceOfSatisfying(GearshiftException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                assertThat(e.getMessage()).contains("control database");
                assertThat(e.remedy()).contains(Remedy.CONTROL_DATABASE);
            });
        }
    }

    @Test
    void nonsenseOptionsAreUsageErrors() {
        Fleet.Builder builder = Fleet.configure(FleetFixtures.project(db));
        assertThatThrownBy(() -> builder.parallel(0)).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> builder.canary(-1)).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> builder.maxFailures(-1)).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
    }
}
