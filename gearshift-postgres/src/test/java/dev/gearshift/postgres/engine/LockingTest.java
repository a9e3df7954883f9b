package dev.gearshift.postgres.engine;

import static dev.gearshift.postgres.engine.TestProject.failure;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Guard;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import dev.gearshift.Result;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The migration lock: concurrent migrators, lock timeouts, application guards, independent schemas. */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class LockingTest {

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Blocking> blockers = new ArrayList<>();

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

    /** Starts a migrator of {@code schema} that takes the lock and holds it until the blocker is released. */
    private Future<Result> holdLock(TestDatabase db, String schema) throws Exception {
        Blocking blocking = new Blocking();
        blockers.add(blocking);
        Gearshift holder = Gearshift.configure().url(db.url()).schema(schema).createSchema(true)
                .java("jobs", List.of(blocking)).build();
        Future<Result> run = threads.submit(() -> holder.up());
        assertThat(blocking.entered.await(20, SECONDS)).as("the holder started its migration").isTrue();
        return run;
    }

    private static Gearshift.Builder jobs(TestDatabase db, String schema) {
        return Gearshift.configure().url(db.url()).schema(schema).createSchema(true)
                .java("jobs", List.of(new JavaMigration() {
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
    void concurrentMigratorsApplyEachMigrationExactlyOnce(int migrators, TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir);
        for (int v = 1; v <= 5; v++) {
            project.write("a/" + v + "_m" + v + ".up.sql", "SELECT pg_sleep(0.02);\nCREATE TABLE t" + v + " (id int);"
                    + "\nINSERT INTO t" + v + " VALUES (" + v + ");");
        }
        project.write("b/1_b.up.sql", "CREATE TABLE b1 (id int);");
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
            run.get(60, SECONDS).applied().forEach(a -> applied.add(a.module() + "/" + a.version().orElseThrow()));
        }

        assertThat(applied).containsExactlyInAnyOrder("a/1", "a/2", "a/3", "a/4", "a/5", "b/1");
        assertThat(project.historyRows()).containsExactlyInAnyOrder("a/1 up success", "a/2 up success",
                "a/3 up success", "a/4 up success", "a/5 up success", "b/1 up success");
        assertThat(project.column("SELECT count(*) FROM <schema>.t3")).containsExactly("1");
        assertThat(project.gearshift().status().isCurrent()).isTrue();
    }

    @Test
    void aSecondMigratorTimesOutNamingTheHolder(TestDatabase db) throws Exception {
        String schema = db.newSchema();
        TestProject.DropSchemas.later(db, schema);
        Future<Result> holder = holdLock(db, schema);

        long started = System.nanoTime();
        GearshiftException e = failure(() -> jobs(db, schema).migratorWait(Duration.ofMillis(500)).build().up(),
                ErrorCode.LOCK_TIMEOUT, null);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(20));
        Matcher pid = Pattern.compile("pid (\\d+)").matcher(e.getMessage());
        assertThat(pid.find()).as(e.getMessage()).isTrue();
        assertThat(e.getMessage()).contains(schema, "'gearshift'");
        // That pid is the session holding a Gearshift advisory lock right now, and a Gearshift connection.
        assertThat(db.column("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock'"
                + " AND l.pid = " + pid.group(1))).containsExactly("gearshift");
        assertThat(holder.isDone()).isFalse();

        blockers.get(0).release.countDown();
        assertThat(holder.get(20, SECONDS).applied()).hasSize(1);
    }

    @Test
    void differentSchemasMigrateInParallel(TestDatabase db) throws Exception {
        String held = db.newSchema();
        TestProject.DropSchemas.later(db, held);
        Future<Result> holder = holdLock(db, held);
        TestProject other = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");

        Result result = other.configure().migratorWait(Duration.ofSeconds(5)).build().up();

        assertThat(result.applied()).hasSize(1);
        assertThat(holder.isDone()).as("schema " + held + " is still being migrated").isFalse();
        blockers.get(0).release.countDown();
        assertThat(holder.get(20, SECONDS).applied()).hasSize(1);
    }

    // ------------------------------------------------------------------ application guards

    private static PGSimpleDataSource dataSource(TestDatabase db, String applicationName) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.url());
        dataSource.setApplicationName(applicationName);
        return dataSource;
    }

    @Test
    void aGuardMakesMigrationsRefuseAtOnceUntilItIsClosed(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        Gearshift gs = project.configure().migratorWait(Duration.ofSeconds(30)).build();

        try (Guard guard = Gearshift.guard(dataSource(db, app), project.schema);
             Guard second = Gearshift.guard(dataSource(db, app + "-2"), project.schema)) {
            assertThat(guard.schema()).isEqualTo(project.schema);
            long started = System.nanoTime();

            GearshiftException e = failure(gs::up, ErrorCode.LOCKED_BY_APPLICATION, null);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused without waiting")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(e.getMessage()).contains(project.schema, "'" + app + "'", "'" + app + "-2'");
            assertThat(db.schemaExists(project.schema)).isFalse();
        }

        assertThat(gs.up().applied()).hasSize(1);
        assertThat(project.tableExists("one")).isTrue();
    }

    @Test
    void waitForGuardsWaitsUntilTheyAreClosed(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        Guard guard = Gearshift.guard(dataSource(db, "app-waiting"), project.schema);
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
