package dev.gearshift.fleet;

import com.zaxxer.hikari.HikariDataSource;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Project;
import dev.gearshift.Remedy;
import dev.gearshift.Secrets;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
import dev.gearshift.jdbc.JdbcPool;
import dev.gearshift.jdbc.JdbcStoreProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One project over many tenants: each tenant is migrated by the same engine as a single target, under its
 * own schema lock, on connections pooled per database. One tenant's failure never touches another's.
 *
 * <pre>{@code
 * try (Fleet fleet = Fleet.configure(gearshift).tenants(Tenants.schemasLike(url, null, null, "tenant_%"))
 *         .parallel(8).canary(5).build()) {
 *     FleetResult result = fleet.up(Target.latest());
 * }
 * }</pre>
 */
public final class Fleet implements AutoCloseable {

    /**
     * Tenants whose migrations one backend runs before it is replaced. Measured (500 tenants x 30 DDL-heavy
     * migrations, --parallel 1, 2 shared cores): never replaced, a tenant costs 135 ms among the first 100 and
     * 340 ms among the last 100 (about 0.5 ms more per tenant the backend served before); replaced after every
     * tenant, 130-145 ms throughout, since a fresh backend starts with cold caches (about 40-50 ms a tenant
     * more than a warm one); after 3, 8 or 20 tenants, 80-115 ms throughout, the differences within the noise.
     * Cold start c against growth g per tenant is lowest near K = sqrt(2c/g), about 14; 10 keeps well inside.
     */
    private static final int TENANTS_PER_BACKEND = 10;
    /** Long enough for a loaded server to accept a login, short enough that an unreachable one is noticed. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Project project;
    private final List<Tenant> tenants;
    private final Map<String, Tenant> tenantsByName = new java.util.HashMap<>();
    private final int parallel;
    private final int canary;
    private final int maxFailures;
    private final String user;
    private final String password;
    private final FleetListener listener;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    private final boolean dryRun;
    private final ControlStore control;
    private final String runId;
    private final Optional<RunTenants> chosenBy;
    private final Duration lease;
    private final Duration tenantTimeout;
    private final Duration connectTimeout;
    private final BackendRecycler recycler = new BackendRecycler(TENANTS_PER_BACKEND);
    private final java.util.concurrent.ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "gearshift-tenant-timeout");
                thread.setDaemon(true);
                return thread;
            });

    private Fleet(Builder builder) {
        this.project = builder.project;
        this.tenants = List.copyOf(builder.tenants);
        tenants.forEach(t -> tenantsByName.put(t.name(), t));
        this.parallel = builder.parallel;
        this.canary = builder.canary;
        this.maxFailures = builder.maxFailures;
        this.user = builder.user;
        this.password = builder.password;
        this.listener = builder.listener;
        this.dryRun = builder.dryRun;
        this.control = builder.control;
        this.runId = builder.runId;
        this.chosenBy = Optional.ofNullable(builder.chosenBy);
        this.lease = builder.lease;
        this.tenantTimeout = builder.tenantTimeout;
        this.connectTimeout = builder.connectTimeout;
    }

    public static Builder configure(Project project) {
        return new Builder(project);
    }

    public List<Tenant> tenants() {
        return tenants;
    }

    /** Starts a run of {@code command} over the tenants; {@code target} and dry runs count for up and down only. */
    public FleetResult run(FleetCommand command, Target target) {
        return start(RunSpec.of(command, command.migrates() ? target : Target.latest(), command.migrates() && dryRun,
                canary, maxFailures));
    }

    public FleetResult up(Target target) {
        return run(FleetCommand.UP, target);
    }

    public FleetResult down(Target target) {
        return run(FleetCommand.DOWN, target);
    }

    public FleetResult verify() {
        return run(FleetCommand.VERIFY, Target.latest());
    }

    public FleetResult validate() {
        return run(FleetCommand.VALIDATE, Target.latest());
    }

    /** Retries what did not finish in an earlier run (needs control tables): failed, skipped, abandoned. */
    public FleetResult resume(String runId) {
        ControlStore store = requireControl("resume");
        RunSummary run = store.run(runId);
        store.resume(runId);
        return execute(runId, run.spec(), true);
    }

    /** Joins a run started elsewhere (needs control tables): claims tenants until none is left. */
    public FleetResult work(String runId) {
        ControlStore store = requireControl("work on");
        return execute(runId, store.run(runId).spec(), false);
    }

    private ControlStore requireControl(String what) {
        if (control == null) {
            throw new GearshiftException(ErrorCode.USAGE, "to " + what + " a run, give the control database"
                    + " that keeps runs", Remedy.CONTROL_DATABASE);
        }
        return control;
    }

    /** Starts no more tenants; those running finish. Safe to call from a shutdown hook. */
    public void cancel() {
        cancelled.set(true);
    }

    /**
     * Every tenant's module versions: one query per 100 tenants of a database, not one per tenant, many databases
     * at once. A database that cannot be reached within the connection timeout makes its tenants unreachable.
     */
    public FleetStatus status() {
        Map<String, FleetStatus.TenantStatus> statuses = readStatuses();
        return new FleetStatus(project.modules(), tenants.stream().map(t -> statuses.get(t.name())).toList());
    }

    /** Every tenant's status by name, passwords in URLs of its messages masked. */
    private Map<String, FleetStatus.TenantStatus> readStatuses() {
        Map<String, FleetStatus.TenantStatus> statuses = new LinkedHashMap<>();
        StatusReader.read(project, tenants, this::pool, parallel).forEach((name, status) -> statuses.put(name,
                new FleetStatus.TenantStatus(status.tenant(), status.schema(), status.state(), status.status(),
                        status.error().map(Fleet::scrub))));
        return statuses;
    }

    /**
     * What a tenant's status, read before the run, says the command would do there, if that is certainly
     * nothing (or, for validate, all of it): running the tenant would take its lock and a dozen round trips to
     * find out the same. Conservative: only tenants with nothing pending at all and no problem are settled, so
     * no target (--to, --steps) needs to be understood here; whatever else the engine decides under the lock.
     */
    private static Optional<TenantOutcome> settledByStatus(RunSpec spec, Tenant tenant, Status status) {
        boolean anyApplied = status.modules().stream().anyMatch(m -> m.current().isPresent());
        return switch (spec.command()) {
            // Something applied: the schema and its history exist, so the engine would not refuse a missing schema.
            case UP -> status.isCurrent() && anyApplied ? Optional.of(done(tenant, 0)) : Optional.empty();
            case VALIDATE -> status.problems().isEmpty() ? Optional.of(done(tenant,
                    status.modules().stream().mapToInt(m -> m.applied().size()).sum())) : Optional.empty();
            case DOWN, VERIFY -> Optional.empty();
        };
    }

    /** The outcome a tenant gets when its work succeeds, as {@link #runTenant} records it. */
    private static TenantOutcome done(Tenant tenant, int migrations) {
        return new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.DONE, migrations, "", null,
                Duration.ZERO);
    }

    /**
     * Finishes, before any tenant runs, every tenant whose status shows there is nothing to do: the statuses
     * cost two statements per database and the outcomes one per chunk of tenants, where running the tenants
     * would cost a lock and a dozen round trips each. Tenants whose database could not be reached fail at once
     * with the reason. Tenants with work, with problems, or whose status could not be read otherwise are left to
     * run as always; they re-read their history under their lock, so one that changed since this read is handled
     * by what it is then.
     */
    private void finishTenantsWithNothingToDo(WorkQueue queue, RunSpec spec, Counter counter) {
        boolean unknownModule = spec.module().filter(m -> !project.modules().contains(m)).isPresent();
        List<TenantOutcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, FleetStatus.TenantStatus> read : readStatuses().entrySet()) {
            Tenant tenant = tenantsByName.get(read.getKey());
            FleetStatus.TenantStatus status = read.getValue();
            if (status.state() == FleetStatus.State.UNREACHABLE) {
                // Running it would wait out the connection timeout again, once per tenant of its database.
                outcomes.add(new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.FAILED, 0,
                        "unreachable: " + status.error().orElse(""), ErrorCode.CONNECTION.id(), Duration.ZERO));
            } else if (!unknownModule) { // an unknown module fails every tenant, with the engine's message
                status.status().flatMap(s -> settledByStatus(spec, tenant, s)).ifPresent(outcomes::add);
            }
        }
        if (outcomes.isEmpty()) {
            return;
        }
        for (TenantOutcome outcome : queue.finishedUnclaimed(outcomes)) {
            // Progress and the service's events count every tenant, as if it had run.
            listener.started(tenantsByName.get(outcome.tenant()));
            int failures = outcome.state() == TenantOutcome.State.FAILED ? counter.failed.incrementAndGet()
                    : counter.failed.get();
            listener.finished(outcome, counter.done.incrementAndGet(), failures, counter.total);
        }
        stopAfterTooManyFailures(queue, spec);
    }

    @FunctionalInterface
    private interface TenantWork {
        int run(Gearshift gearshift);
    }

    private static TenantWork workFor(RunSpec spec) {
        return switch (spec.command()) {
            case UP -> gs -> gs.withDryRun(spec.dryRun()).up(spec.target()).applied().size();
            case DOWN -> gs -> gs.withDryRun(spec.dryRun()).down(spec.target()).applied().size();
            case VERIFY -> gs -> {
                Verification verification = gs.verify();
                verification.checks().stream().filter(c -> !c.passed()).findFirst().ifPresent(failed -> {
                    throw new GearshiftException(ErrorCode.VERIFY_FAILED, failed.location() + ": " + failed.message());
                });
                return verification.checks().size();
            };
            case VALIDATE -> gs -> gs.validate().modules().stream().mapToInt(m -> m.applied().size()).sum();
        };
    }

    private FleetResult start(RunSpec spec) {
        String runId = this.runId != null ? this.runId : RunIds.next();
        if (control != null) {
            control.createRun(runId, spec, tenants, chosenBy);
        }
        listener.runStarted(runId, tenants.size());
        return execute(runId, spec, true);
    }

    /**
     * Works a run: the owner runs the canary tenants first and opens the run to everyone only if they all
     * succeed; then every worker thread claims tenants until none is left. Every worker (the owner and those
     * that joined) then waits for tenants other workers still hold, and takes over those whose lease expires:
     * a crashed worker's tenants are finished by whoever is still running, owner or not.
     */
    private FleetResult execute(String runId, RunSpec spec, boolean owner) {
        long started = System.nanoTime();
        String worker = workerId();
        StoredQueue shared = control == null ? null : control.queue(runId, worker, lease, owner);
        WorkQueue queue = shared != null ? shared : new MemoryQueue(tenants);
        try {
            TenantWork work = workFor(spec);
            Counter counter = new Counter(tenants.size());
            if (owner && !cancelled.get()) {
                // Before the canary, so that the canary tenants are tenants with work.
                finishTenantsWithNothingToDo(queue, spec, counter);
            }
            if (owner && spec.canary() > 0) {
                long failedBefore = queue.failures(); // unreachable tenants, failed before any ran
                runWorkers(queue, worker, work, spec, counter, Math.min(spec.canary(), tenants.size()));
                if (queue.failures() > failedBefore) {
                    queue.stop("a canary tenant failed; the other tenants were not started");
                } else {
                    queue.open();
                }
            }
            runWorkers(queue, worker, work, spec, counter, Integer.MAX_VALUE);
            while (shared != null && !cancelled.get() && queue.stopReason().isEmpty()
                    && queue.runningElsewhere(worker) > 0) {
                sleep(Duration.ofMillis(500));
                runWorkers(queue, worker, work, spec, counter, Integer.MAX_VALUE);
            }
            if (cancelled.get() && owner) {
                // A joining worker that is interrupted leaves; only the run's owner stops the run for everyone.
                queue.stop("cancelled");
            }
            if (owner && shared != null) {
                shared.finish();
            }
            return new FleetResult(runId, spec.command(), spec.dryRun(), queue.outcomes(tenants),
                    Duration.ofNanos(System.nanoTime() - started), queue.stopReason());
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
    }

    /** Progress counts of this process. */
    private static final class Counter {
        final int total;
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        Counter(int total) {
            this.total = total;
        }
    }

    private void runWorkers(WorkQueue queue, String worker, TenantWork work, RunSpec spec, Counter counter, int limit) {
        AtomicInteger claimed = new AtomicInteger();
        int threads = Math.max(1, Math.min(parallel, Math.min(limit, tenants.size())));
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "gearshift-fleet");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(executor.submit(() -> {
                    while (!cancelled.get() && claimed.incrementAndGet() <= limit) {
                        Optional<String> name = queue.claim(worker);
                        if (name.isEmpty()) {
                            return;
                        }
                        Tenant tenant = tenantsByName.get(name.get());
                        TenantOutcome outcome = tenant == null
                                ? new TenantOutcome(name.get(), "", TenantOutcome.State.FAILED, 0, "this worker's tenant"
                                        + " list has no tenant " + name.get() + "; give it the run's tenant options",
                                        ErrorCode.USAGE.id(), Duration.ZERO)
                                : runTenant(tenant, work, spec.command().migrates());
                        queue.finished(outcome);
                        int failures = counter.failed.get();
                        if (outcome.state() == TenantOutcome.State.FAILED) {
                            failures = counter.failed.incrementAndGet();
                            stopAfterTooManyFailures(queue, spec);
                        }
                        listener.finished(outcome, counter.done.incrementAndGet(), failures, counter.total);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof GearshiftException g ? g
                    : new GearshiftException(ErrorCode.INTERNAL, "a fleet worker failed: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdown();
        }
    }

    private static void stopAfterTooManyFailures(WorkQueue queue, RunSpec spec) {
        long total = queue.failures();
        if (spec.maxFailures() > 0 && total >= spec.maxFailures()) {
            queue.stop(total + " tenant" + (total == 1 ? "" : "s") + " failed, as many as the run"
                    + " allows (max failures: " + spec.maxFailures() + "); no further tenants were started");
        }
    }

    /** {@code migrates}: the work runs migrations (up, down), whose DDL wears the backends that run it. */
    private TenantOutcome runTenant(Tenant tenant, TenantWork work, boolean migrates) {
        listener.started(tenant);
        long started = System.nanoTime();
        HikariDataSource pool = pool(tenant.url());
        TenantConnections connections = new TenantConnections(pool);
        boolean ranMigrations = migrates;
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> deadline = tenantTimeout == null ? null
                : watchdog.schedule(() -> {
                    timedOut.set(true);
                    connections.abortAll(Runnable::run);
                }, tenantTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            Gearshift gearshift = project.target(tenant.url(), connections, tenant.name() + " (" + Secrets.mask(tenant.url()) + ")",
                    tenant.schema());
            int migrations = work.run(gearshift);
            ranMigrations = migrates && migrations > 0;
            return new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.DONE, migrations, "", null,
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            String code = e instanceof GearshiftException g ? g.code().id() : ErrorCode.INTERNAL.id();
            String message = e instanceof GearshiftException ? e.getMessage() : e.toString();
            if (timedOut.get()) {
                code = "tenant-timeout";
                message = "stopped after the tenant timeout of " + tenantTimeout.toMillis() / 1000.0 + " s: " + message;
            }
            // Migrations that committed before the failure stay: the tenant moved that far.
            int completed = e instanceof GearshiftException g ? g.applied().size() : 0;
            return new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.FAILED, completed,
                    scrub(message), code, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (ranMigrations) {
                // A failed migration may have run DDL before it failed: it counts too.
                recycler.migrated(pool, connections);
            }
        }
    }

    /**
     * Messages go to control tables and reports: no URL may carry its password along. Only URLs are masked: a
     * password replaced wherever its letters appear would garble names that happen to match it.
     */
    private static String scrub(String message) {
        return Secrets.mask(message);
    }

    private static String workerId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pool per database: tenants in one database share its connections. */
    private HikariDataSource pool(String url) {
        return pools.computeIfAbsent(url, key -> {
            // Two connections per running tenant (the lock's and the work's), plus one for no-transaction work.
            return JdbcPool.open(JdbcStoreProvider.resolve(key, user, password), Math.min(2 * parallel + 1, 64),
                    connectTimeout, "gearshift");
        });
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }

    /** Options of a fleet run. */
    public static final class Builder {
        private final Project project;
        private List<Tenant> tenants = List.of();
        private int parallel = 4;
        private int canary;
        private int maxFailures = 1;
        private String user;
        private String password;
        private FleetListener listener = FleetListener.NONE;
        private boolean dryRun;
        private ControlStore control;
        private String runId;
        private RunTenants chosenBy;
        private Duration lease = Duration.ofSeconds(60);
        private Duration tenantTimeout;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder(Project project) {
            this.project = project;
        }

        /** The tenants to run over; names must be unique (runs, outcomes and workers know tenants by name). */
        public Builder tenants(List<Tenant> tenants) {
            java.util.Set<String> names = new java.util.HashSet<>();
            List<String> repeated = tenants.stream().map(Tenant::name).filter(name -> !names.add(name)).distinct()
                    .toList();
            if (!repeated.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "tenant names must be unique; repeated: " + repeated
                        + " (tenants in different databases need different names)");
            }
            this.tenants = List.copyOf(tenants);
            return this;
        }

        /** Tenants migrated at once (default 4). */
        public Builder parallel(int parallel) {
            if (parallel < 1) {
                throw new GearshiftException(ErrorCode.USAGE, "parallel: at least 1 tenant at once, not " + parallel,
                        Remedy.PARALLEL);
            }
            this.parallel = parallel;
            return this;
        }

        /** Migrate this many tenants first; if any of them fails, start no others. */
        public Builder canary(int canary) {
            if (canary < 0) {
                throw new GearshiftException(ErrorCode.USAGE, "canary: 0 tenants or more, not " + canary, Remedy.CANARY);
            }
            this.canary = canary;
            return this;
        }

        /** Stop starting tenants after this many failures (default 1); 0 means never stop. */
        public Builder maxFailures(int maxFailures) {
            if (maxFailures < 0) {
                throw new GearshiftException(ErrorCode.USAGE, "max failures: 0 or more, not " + maxFailures,
                        Remedy.MAX_FAILURES);
            }
            this.maxFailures = maxFailures;
            return this;
        }

        /** Credentials for every tenant database (URLs may carry their own). */
        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** Every tenant in one transaction that is rolled back (up and down). */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Keep runs in control tables: resumable, listed, shared with workers on other machines. */
        public Builder control(ControlStore control) {
            this.control = control;
            return this;
        }

        /** The id of the run this fleet starts (default: a new one from {@link RunIds}). */
        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        /** How the tenants were chosen: recorded with the run, so that it is resumed by its id alone. */
        public Builder chosenBy(RunTenants chosenBy) {
            this.chosenBy = chosenBy;
            return this;
        }

        /** A tenant still running after this is stopped (its connections aborted) and counted as failed. */
        public Builder tenantTimeout(Duration tenantTimeout) {
            this.tenantTimeout = tenantTimeout;
            return this;
        }

        /**
         * How long to wait for a connection to a tenant's database (default 5 s, at least 250 ms): a database that
         * does not answer by then is unreachable, and its tenants fail (or show so in the status) with the reason.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout == null || connectTimeout.toMillis() < 250) {
                throw new GearshiftException(ErrorCode.USAGE, "the connect timeout must be at least 250 ms, got "
                        + (connectTimeout == null ? "none" : connectTimeout.toMillis() + " ms"));
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long a worker's claim on a tenant lasts without a heartbeat (default 60 s). */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        public Builder listener(FleetListener listener) {
            this.listener = listener;
            return this;
        }

        public Fleet build() {
            return new Fleet(this);
        }
    }
}
