package dev.gearshift.testkit;

import static dev.gearshift.testkit.Outcomes.failure;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Guard;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import dev.gearshift.Result;
import dev.gearshift.spi.Capability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The migration lock: concurrent migrators, lock timeouts, application guards, independent targets. */
public abstract class LockingContract extends StoreContract {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Blocking> blockers = new ArrayList<>();

    protected LockingContract(StoreFixture fixture) {
        super(fixture);
    }

    @AfterEach
    void stopThreads() throws Exception {
        blockers.forEach(b -> b.release.countDown());
        threads.shutdown();
        assertThat(threads.awaitTermination(30, SECONDS)).isTrue();
    }

    /** Holds its migration (and so the lock) until released. */
    static final class Blocking implements JavaMigration {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "blocking";
        }

        @Override
        public void up(MigrationContext context) throws Exception {
            entered.countDown();
            if (!release.await(30, SECONDS)) {
                throw new IllegalStateException("never released");
            }
        }
    }

    /** Starts a migrator of {@code target}, named so, that takes the lock and holds it until released. */
    private Future<Result> holdLock(String target, String migrator) throws Exception {
        Blocking blocking = new Blocking();
        blockers.add(blocking);
        Gearshift holder = fixture().configure(target, migrator).java("jobs", List.of(blocking)).build();
        Future<Result> run = threads.submit(() -> holder.up());
        assertThat(blocking.entered.await(20, SECONDS)).as("the holder started its migration").isTrue();
        return run;
    }

    private Gearshift.Builder jobs(String target) {
        return fixture().configure(target).java("jobs", List.of(new JavaMigration() {
            @Override
            public String name() {
                return "blocking";
            }

            @Override
            public void up(MigrationContext context) {
            }
        }));
    }

    // ------------------------------------------------------------------ concurrent migrators

    @ParameterizedTest(name = "{0} migrators")
    @ValueSource(ints = {2, 8})
    public void concurrentMigratorsApplyEachMigrationExactlyOnce(int migrators) throws Exception {
        StoreFixture store = fixture();
        KitProject project = project();
        for (int v = 1; v <= 5; v++) {
            project.up("a/" + v + "_m" + v, store.sequence(store.sleep(Duration.ofMillis(20)), store.create("t" + v),
                    store.add("t" + v, v)));
        }
        project.up("b/1_b", store.create("b1"));
        CyclicBarrier start = new CyclicBarrier(migrators);
        List<Future<Result>> runs = new ArrayList<>();
        for (int i = 0; i < migrators; i++) {
            Gearshift own = project.gearshift();
            runs.add(threads.submit(() -> {
                start.await(20, SECONDS);
                return own.up();
            }));
        }

        List<String> applied = new ArrayList<>();
        for (Future<Result> run : runs) {
            applied.addAll(Outcomes.ids(run.get(60, SECONDS)));
        }

        assertThat(applied).containsExactlyInAnyOrder("a/1", "a/2", "a/3", "a/4", "a/5", "b/1");
        assertThat(project.historyRows()).containsExactlyInAnyOrder("a/1 up success", "a/2 up success",
                "a/3 up success", "a/4 up success", "a/5 up success", "b/1 up success");
        assertThat(project.values("t3")).containsExactly("3");
        assertThat(project.gearshift().status().isCurrent()).isTrue();
    }

    @Test
    public void aSecondMigratorTimesOutNamingTheHolder() throws Exception {
        String target = fixture().newTarget();
        String holderName = "gs-holder-" + target;
        Future<Result> holder = holdLock(target, holderName);

        long started = System.nanoTime();
        GearshiftException e = failure(() -> jobs(target).migratorWait(Duration.ofMillis(500)).build().up(),
                ErrorCode.LOCK_TIMEOUT, null);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(20));
        assertThat(e.getMessage()).contains(target, "'" + holderName + "'");
        assertThat(fixture().lockHolderNamedIn(e.getMessage())).as(e.getMessage()).isEqualTo(holderName);
        assertThat(holder.isDone()).isFalse();

        blockers.get(0).release.countDown();
        assertThat(holder.get(20, SECONDS).applied()).hasSize(1);
    }

    @Test
    @Requires(Capability.SCHEMAS)
    public void differentSchemasMigrateInParallel() throws Exception {
        String held = fixture().newTarget();
        Future<Result> holder = holdLock(held, "gs-holder-" + held);
        KitProject other = project().up("a/1_one", fixture().create("one"));

        Result result = other.configure().migratorWait(Duration.ofSeconds(5)).build().up();

        assertThat(result.applied()).hasSize(1);
        assertThat(holder.isDone()).as("target " + held + " is still being migrated").isFalse();
        blockers.get(0).release.countDown();
        assertThat(holder.get(20, SECONDS).applied()).hasSize(1);
    }

    // ------------------------------------------------------------------ application guards

    @Test
    @Requires(Capability.SHARED_LOCKS)
    public void aGuardMakesMigrationsRefuseAtOnceUntilItIsClosed() throws Exception {
        KitProject project = project().up("a/1_one", fixture().create("one"));
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        Gearshift gs = project.configure().migratorWait(Duration.ofSeconds(30)).build();

        try (Guard guard = fixture().guard(project.target(), app);
             Guard second = fixture().guard(project.target(), app + "-2")) {
            assertThat(guard.schema()).isEqualTo(project.target());
            long started = System.nanoTime();

            GearshiftException e = failure(gs::up, ErrorCode.LOCKED_BY_APPLICATION, null);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused without waiting")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(e.getMessage()).contains(project.target(), "'" + app + "'", "'" + app + "-2'");
            assertThat(project.targetExists()).isFalse();
        }

        assertThat(gs.up().applied()).hasSize(1);
        assertThat(project.exists("one")).isTrue();
    }

    @Test
    @Requires(Capability.SHARED_LOCKS)
    public void waitForGuardsWaitsUntilTheyAreClosed() throws Exception {
        KitProject project = project().up("a/1_one", fixture().create("one"));
        Guard guard = fixture().guard(project.target(), "app-waiting");
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            long started = System.nanoTime();
            later.schedule(guard::close, 1, SECONDS);

            Result result = project.configure().waitForGuards(true).migratorWait(Duration.ofSeconds(30)).build().up();

            assertThat(result.applied()).hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        } finally {
            later.shutdown();
            assertThat(later.awaitTermination(10, SECONDS)).isTrue();
            guard.close();
        }
        assertThat(project.historyRows()).containsExactly("a/1 up success");
    }
}
