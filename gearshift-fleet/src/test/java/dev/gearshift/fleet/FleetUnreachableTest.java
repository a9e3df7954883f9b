package dev.gearshift.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Target;
import dev.gearshift.fleet.FleetStatus.State;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tenant databases that cannot be reached, mixed with real ones: closed ports of 127.0.0.1 (refused at once) and a
 * socket that accepts and never answers (the login waits). Each database is waited for once, all at once, for the
 * connect timeout: the status and the run finish in about one timeout, not their sum, and say which tenants are
 * unreachable and why.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FleetUnreachableTest {

    private static final String PASSWORD = "Pw-unreach-7Kq";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private static TestDatabase server;
    private static TestDatabase db;
    private static String database;

    private String prefix;
    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

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
    void setUp() throws IOException {
        prefix = FleetFixtures.prefix();
        // Accepts every connection and never says a word: a server that hangs, or a firewall that swallows.
        silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        silent.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        FleetFixtures.dropSchemas(db.url(), prefix);
    }

    /** Four databases on closed ports and one that never answers, each with a password in its URL. */
    private List<Tenant> unreachable() {
        String user = FleetFixtures.userOf(db);
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            tenants.add(new Tenant("closed" + i, "postgres://" + user + ":" + PASSWORD + "@127.0.0.1:"
                    + FleetFixtures.closedPort() + "/" + database, prefix + "closed" + i, Map.of()));
        }
        tenants.add(new Tenant("silent", "postgres://" + user + ":" + PASSWORD + "@127.0.0.1:" + silent.getLocalPort()
                + "/" + database, prefix + "silent", Map.of()));
        return tenants;
    }

    @Test
    void statusReportsUnreachableTenantsWithTheReasonInAboutOneConnectTimeout() throws Exception {
        List<Tenant> tenants = new ArrayList<>();
        tenants.add(new Tenant("current", db.url(), prefix + "current", Map.of()));
        tenants.add(new Tenant("fresh", db.url(), prefix + "fresh", Map.of()));
        tenants.addAll(unreachable());
        db.execute("CREATE SCHEMA " + prefix + "fresh");
        try (Fleet migrate = Fleet.configure(FleetFixtures.project(db)).tenants(tenants.subList(0, 1)).build()) {
            assertThat(migrate.up(Target.latest()).succeeded()).isTrue();
        }

        FleetStatus status;
        long started = System.nanoTime();
        // --parallel 1: the databases are read at once whatever the tenants' parallelism.
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(1)
                .connectTimeout(CONNECT_TIMEOUT).build()) {
            status = fleet.status();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(status.tenants()).extracting(FleetStatus.TenantStatus::tenant)
                .containsExactly("current", "fresh", "closed1", "closed2", "closed3", "closed4", "silent");
        assertThat(status.tenants()).extracting(FleetStatus.TenantStatus::state).containsExactly(State.CURRENT,
                State.PENDING, State.UNREACHABLE, State.UNREACHABLE, State.UNREACHABLE, State.UNREACHABLE,
                State.UNREACHABLE);
        for (FleetStatus.TenantStatus tenant : status.tenants().subList(2, 7)) {
            assertThat(tenant.error()).as(tenant.tenant()).hasValueSatisfying(e -> assertThat(e)
                    .contains("cannot connect to").contains("127.0.0.1:").doesNotContain(PASSWORD));
            assertThat(tenant.status()).isEmpty();
            assertThat(tenant.current()).isEmpty();
        }
        assertThat(status.tenants().get(2).error().orElseThrow()).as("the driver's reason").contains("refused");
        assertThat(status.countsPerState()).containsEntry(State.UNREACHABLE, 5).containsEntry(State.CURRENT, 1)
                .containsEntry(State.PENDING, 1);
        assertThat(status.countsPerVersion().get("core")).isEqualTo(Map.of("6", 1, "none", 1));
        assertThat(status.toString()).doesNotContain(PASSWORD);
        // Five databases of 2 s each, one after another, would take 10 s; at once, about 2 s. Generous bound.
        assertThat(took).as("status took %s", took).isLessThan(Duration.ofSeconds(7));
    }

    @Test
    void aRunFailsUnreachableTenantsWithTheReasonAndMigratesTheOthers() throws Exception {
        List<Tenant> tenants = new ArrayList<>(unreachable());
        // Many tenants in one unreachable database: found unreachable once, not once per tenant.
        String closed = "jdbc:postgresql://127.0.0.1:" + FleetFixtures.closedPort() + "/" + database;
        for (int i = 1; i <= 8; i++) {
            tenants.add(new Tenant("gone" + i, closed, prefix + "gone" + i, Map.of()));
        }
        tenants.add(new Tenant("good", db.url(), prefix + "good", Map.of()));

        FleetResult result;
        long started = System.nanoTime();
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants).parallel(2).maxFailures(0)
                .connectTimeout(CONNECT_TIMEOUT).build()) {
            result = fleet.up(Target.latest());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        TenantOutcome good = result.outcomes().get(tenants.size() - 1);
        assertThat(good.state()).as(good.message()).isEqualTo(TenantOutcome.State.DONE);
        assertThat(FleetFixtures.applied(db.url(), prefix + "good")).isEqualTo(FleetFixtures.exampleAppliedOnce());
        for (TenantOutcome outcome : result.outcomes().subList(0, tenants.size() - 1)) {
            assertThat(outcome.state()).as(outcome.tenant()).isEqualTo(TenantOutcome.State.FAILED);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.CONNECTION.id());
            assertThat(outcome.message()).startsWith("unreachable: cannot connect to").doesNotContain(PASSWORD);
        }
        assertThat(result.toString()).doesNotContain(PASSWORD);
        // 13 unreachable tenants, two at a time, 2 s each, would take 13 s before the good one is even read.
        assertThat(took).as("run took %s", took).isLessThan(Duration.ofSeconds(12));
    }

    @Test
    void byDefaultTheFirstUnreachableTenantStopsTheRunBeforeAnyOtherStarts() throws Exception {
        List<Tenant> tenants = new ArrayList<>(unreachable().subList(0, 1));
        tenants.add(new Tenant("good", db.url(), prefix + "good", Map.of()));
        FleetResult result;
        try (Fleet fleet = Fleet.configure(FleetFixtures.project(db)).tenants(tenants)
                .connectTimeout(CONNECT_TIMEOUT).build()) {
            result = fleet.up(Target.latest());
        }
        assertThat(result.outcomes()).extracting(TenantOutcome::state)
                .containsExactly(TenantOutcome.State.FAILED, TenantOutcome.State.SKIPPED);
        assertThat(result.stopReason()).hasValueSatisfying(r -> assertThat(r).contains("1 tenant failed"));
        assertThat(FleetFixtures.applied(db.url(), prefix + "good")).isEmpty();
    }

    @Test
    void aConnectTimeoutBelow250msIsAUsageError() {
        Fleet.Builder builder = Fleet.configure(FleetFixtures.project(db));
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMillis(100)))
                .isInstanceOfSatisfying(GearshiftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("at least 250 ms");
                });
    }
}
