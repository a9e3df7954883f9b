package dev.gearshift.fleet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Urls;
import dev.gearshift.Verification;
import dev.gearshift.spi.JdbcTarget;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import java.util.concurrent.atomic.AtomicReference;

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

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Gearshift template;
    private final List<Tenant> tenants;
    private final int parallel;
    private final int canary;
    private final int maxFailures;
    private final String user;
    private final String password;
    private final FleetListener listener;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final AtomicReference<String> stopReason = new AtomicReference<>();

    private Fleet(Builder builder) {
        this.template = builder.template;
        this.tenants = List.copyOf(builder.tenants);
        this.parallel = builder.parallel;
        this.canary = builder.canary;
        this.maxFailures = builder.maxFailures;
        this.user = builder.user;
        this.password = builder.password;
        this.listener = builder.listener;
    }

    public static Builder configure(Gearshift template) {
        return new Builder(template);
    }

    public List<Tenant> tenants() {
        return tenants;
    }

    public FleetResult up(Target target) {
        return run("up", gs -> gs.up(target).applied().size());
    }

    public FleetResult down(Target target) {
        return run("down", gs -> gs.down(target).applied().size());
    }

    public FleetResult verify() {
        return run("verify", gs -> {
            Verification verification = gs.verify();
            if (!verification.passed()) {
                Verification.Check failed = verification.checks().stream().filter(c -> !c.passed()).findFirst().orElseThrow();
                throw new GearshiftException(ErrorCode.VERIFY_FAILED, failed.location() + ": " + failed.message());
            }
            return verification.checks().size();
        });
    }

    public FleetResult validate() {
        return run("validate", gs -> {
            Status status = gs.validate();
            return status.modules().stream().mapToInt(m -> m.applied().size()).sum();
        });
    }

    /** Starts no more tenants; those running finish. Safe to call from a shutdown hook. */
    public void cancel() {
        stopReason.compareAndSet(null, "cancelled");
    }

    /** Every tenant's module versions: two queries per database, however many tenants live in it. */
    public FleetStatus status() {
        Map<String, List<Tenant>> byDatabase = new LinkedHashMap<>();
        tenants.forEach(t -> byDatabase.computeIfAbsent(t.url(), u -> new ArrayList<>()).add(t));
        Map<String, FleetStatus.TenantStatus> statuses = new ConcurrentHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, byDatabase.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Map.Entry<String, List<Tenant>> database : byDatabase.entrySet()) {
                futures.add(executor.submit(() -> readStatuses(database.getKey(), database.getValue(), statuses)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GearshiftException(ErrorCode.INTERNAL, "interrupted while reading the fleet's status", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new GearshiftException(ErrorCode.INTERNAL, "cannot read the fleet's status: " + e.getCause(), e);
        } finally {
            executor.shutdown();
        }
        return new FleetStatus(template.modules(), tenants.stream().map(t -> statuses.get(t.name())).toList());
    }

    private void readStatuses(String url, List<Tenant> inDatabase, Map<String, FleetStatus.TenantStatus> into) {
        try {
            Map<String, Status> bySchema = template.statusOfSchemas(pool(url), Urls.mask(url),
                    inDatabase.stream().map(Tenant::schema).distinct().toList());
            for (Tenant tenant : inDatabase) {
                Status status = bySchema.get(tenant.schema());
                Map<String, Optional<Long>> current = new LinkedHashMap<>();
                int pending = 0;
                for (ModuleStatus module : status.modules()) {
                    current.put(module.module(), module.current());
                    pending += module.pending().size();
                }
                into.put(tenant.name(), new FleetStatus.TenantStatus(tenant.name(), tenant.schema(), current, pending,
                        status.problems(), Optional.empty()));
            }
        } catch (GearshiftException e) {
            for (Tenant tenant : inDatabase) {
                into.put(tenant.name(), new FleetStatus.TenantStatus(tenant.name(), tenant.schema(), Map.of(), 0,
                        List.of(), Optional.of(e.getMessage())));
            }
        }
    }

    @FunctionalInterface
    private interface TenantWork {
        int run(Gearshift gearshift);
    }

    private FleetResult run(String command, TenantWork work) {
        String runId = LocalDateTime.now(ZoneOffset.UTC).format(RUN_ID) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        long started = System.nanoTime();
        Map<String, TenantOutcome> outcomes = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int firstWave = Math.min(canary, tenants.size());
        runWave(tenants.subList(0, firstWave), work, outcomes, done, failed);
        if (canary > 0 && failed.get() > 0) {
            stopReason.compareAndSet(null, "a canary tenant failed; the other " + (tenants.size() - firstWave)
                    + " tenants were not started");
        }
        runWave(tenants.subList(firstWave, tenants.size()), work, outcomes, done, failed);
        List<TenantOutcome> ordered = new ArrayList<>();
        for (Tenant tenant : tenants) {
            ordered.add(outcomes.getOrDefault(tenant.name(), new TenantOutcome(tenant.name(), tenant.schema(),
                    TenantOutcome.State.SKIPPED, 0, Optional.ofNullable(stopReason.get()).orElse("not started"), null,
                    Duration.ZERO)));
        }
        return new FleetResult(runId, command, ordered, Duration.ofNanos(System.nanoTime() - started),
                Optional.ofNullable(stopReason.get()));
    }

    private void runWave(List<Tenant> wave, TenantWork work, Map<String, TenantOutcome> outcomes, AtomicInteger done,
                         AtomicInteger failed) {
        if (wave.isEmpty() || stopReason.get() != null) {
            return;
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(parallel, wave.size()), runnable -> {
            Thread thread = new Thread(runnable, "gearshift-fleet");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Tenant tenant : wave) {
                futures.add(executor.submit(() -> {
                    if (stopReason.get() != null) {
                        return;
                    }
                    TenantOutcome outcome = runTenant(tenant, work);
                    outcomes.put(tenant.name(), outcome);
                    int failures = outcome.state() == TenantOutcome.State.FAILED ? failed.incrementAndGet() : failed.get();
                    if (maxFailures > 0 && failures >= maxFailures) {
                        stopReason.compareAndSet(null, failures + " tenant" + (failures == 1 ? "" : "s")
                                + " failed (--max-failures " + maxFailures + "); no further tenants were started");
                    }
                    listener.finished(outcome, done.incrementAndGet(), failures, tenants.size());
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new GearshiftException(ErrorCode.INTERNAL, "a fleet worker failed: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdown();
        }
    }

    private TenantOutcome runTenant(Tenant tenant, TenantWork work) {
        listener.started(tenant);
        long started = System.nanoTime();
        try {
            Gearshift gearshift = template.withTarget(pool(tenant.url()), tenant.name() + " (" + Urls.mask(tenant.url())
                    + ")", tenant.schema());
            int migrations = work.run(gearshift);
            return new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.DONE, migrations, "", null,
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (GearshiftException e) {
            return new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.FAILED, 0, e.getMessage(),
                    e.code().id(), Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            return new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.FAILED, 0, e.toString(),
                    ErrorCode.INTERNAL.id(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** One pool per database: tenants in one database share its connections. */
    private HikariDataSource pool(String url) {
        return pools.computeIfAbsent(url, key -> {
            JdbcTarget target = Gearshift.resolve(key, user, password);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(target.jdbcUrl());
            config.setDataSourceProperties(target.properties());
            // Two connections per running tenant (the lock's and the work's), plus one for no-transaction work.
            config.setMaximumPoolSize(Math.min(2 * parallel + 1, 64));
            config.setMinimumIdle(0);
            config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
            config.setInitializationFailTimeout(-1);
            config.setPoolName("gearshift " + target.display());
            return new HikariDataSource(config);
        });
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }

    /** Options of a fleet run. */
    public static final class Builder {
        private final Gearshift template;
        private List<Tenant> tenants = List.of();
        private int parallel = 4;
        private int canary;
        private int maxFailures = 1;
        private String user;
        private String password;
        private FleetListener listener = FleetListener.NONE;

        private Builder(Gearshift template) {
            this.template = template;
        }

        public Builder tenants(List<Tenant> tenants) {
            this.tenants = List.copyOf(tenants);
            return this;
        }

        /** Tenants migrated at once (default 4). */
        public Builder parallel(int parallel) {
            if (parallel < 1) {
                throw new GearshiftException(ErrorCode.USAGE, "--parallel must be at least 1");
            }
            this.parallel = parallel;
            return this;
        }

        /** Migrate this many tenants first; if any of them fails, start no others. */
        public Builder canary(int canary) {
            if (canary < 0) {
                throw new GearshiftException(ErrorCode.USAGE, "--canary must not be negative");
            }
            this.canary = canary;
            return this;
        }

        /** Stop starting tenants after this many failures (default 1); 0 means never stop. */
        public Builder maxFailures(int maxFailures) {
            if (maxFailures < 0) {
                throw new GearshiftException(ErrorCode.USAGE, "--max-failures must not be negative");
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

        public Builder listener(FleetListener listener) {
            this.listener = listener;
            return this;
        }

        public Fleet build() {
            return new Fleet(this);
        }
    }
}
