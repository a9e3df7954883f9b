package dev.gearshift.server;

import dev.gearshift.ModuleStatus;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.fleet.TenantOutcome;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What {@code GET /metrics} shows Prometheus. One registry per service instance (no static state, so two services
 * in one JVM, as in the tests, do not share counters). Label values are configured names (database, fleet,
 * tenant, module), never URLs.
 */
final class Metrics {

    private static final double[] SECONDS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter applied = Counter.builder().name("gearshift_migrations_applied_total")
            .help("Migrations applied (up) or reverted (down) and committed, by target and module")
            .labelNames("target", "module", "direction").register(registry);
    private final Counter failed = Counter.builder().name("gearshift_migrations_failed_total")
            .help("Runs of a target that ended with a failed migration, by target")
            .labelNames("target").register(registry);
    private final Histogram migrationSeconds = Histogram.builder().name("gearshift_migration_duration_seconds")
            .help("How long each applied migration took").labelNames("module")
            .classicOnly().classicUpperBounds(SECONDS).register(registry);
    private final Histogram commandSeconds = Histogram.builder().name("gearshift_command_duration_seconds")
            .help("How long each POST /migrate command took, by command and outcome")
            .labelNames("command", "outcome").classicOnly().classicUpperBounds(SECONDS).register(registry);
    private final Counter lockWaits = Counter.builder().name("gearshift_lock_waits_total")
            .help("Migrations of this service that had to wait for another one of the same target")
            .labelNames("target").register(registry);
    private final Histogram lockWaitSeconds = Histogram.builder().name("gearshift_lock_wait_seconds")
            .help("How long those migrations waited for the other one to finish")
            .classicOnly().classicUpperBounds(SECONDS).register(registry);
    private final Counter lockTimeouts = Counter.builder().name("gearshift_lock_timeouts_total")
            .help("Migrations refused because the lock stayed held (another migrator, or application guards)")
            .labelNames("target").register(registry);
    private final Gauge targetVersion = Gauge.builder().name("gearshift_target_version")
            .help("Current version of each module of each target, as last seen by this service (0: none applied;"
                    + " NaN: a dotted version)")
            .labelNames("target", "schema", "module").register(registry);
    /** The targets and schemas {@link #targetVersion} has series for. */
    private final java.util.Set<java.util.List<String>> recorded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Gauge fleetTenants = Gauge.builder().name("gearshift_fleet_run_tenants")
            .help("Tenants of the latest run of each fleet, by state").labelNames("fleet", "state").register(registry);
    private final Counter fleetFinished = Counter.builder().name("gearshift_fleet_tenants_finished_total")
            .help("Tenants finished by fleet runs, by fleet and final state").labelNames("fleet", "state")
            .register(registry);
    private final Counter fleetRuns = Counter.builder().name("gearshift_fleet_runs_total")
            .help("Fleet runs finished, by fleet and outcome (succeeded, failed, cancelled, error)")
            .labelNames("fleet", "outcome").register(registry);
    private final Gauge activeRuns = Gauge.builder().name("gearshift_fleet_runs_active")
            .help("Fleet runs in progress").register(registry);

    void result(String target, Result result) {
        if (result.dryRun()) {
            return;
        }
        for (Result.Applied migration : result.applied()) {
            applied.labelValues(target, migration.module(), result.direction().id()).inc();
            migrationSeconds.labelValues(migration.module()).observe(seconds(migration.duration()));
        }
    }

    void migrationFailed(String target) {
        failed.labelValues(target).inc();
    }

    void lockTimeout(String target) {
        lockTimeouts.labelValues(target).inc();
    }

    void lockWaited(String target, Duration waited) {
        lockWaits.labelValues(target).inc();
        lockWaitSeconds.observe(seconds(waited));
    }

    void command(String command, String outcome, Duration took) {
        commandSeconds.labelValues(command, outcome).observe(seconds(took));
    }

    /**
     * Records the versions of a schema that has history, or was recorded before (and went down to nothing). A
     * status of any other name, which a caller may make up by the thousand, adds no series: every label value
     * stays a schema that is real.
     */
    void status(String target, Status status) {
        String schema = status.schema() == null ? "" : status.schema();
        boolean real = status.modules().stream().anyMatch(m -> m.current().isPresent())
                || recorded.contains(java.util.List.of(target, schema));
        if (!real) {
            return;
        }
        recorded.add(java.util.List.of(target, schema));
        for (ModuleStatus module : status.modules()) {
            version(target, schema, module.module(), module.current());
        }
    }

    /** 0 when none is applied; NaN for a dotted version, which is no number. */
    void version(String target, String schema, String module, java.util.Optional<dev.gearshift.Version> version) {
        targetVersion.labelValues(target, schema, module).set(version.map(v -> v.isInteger() ? v.longValue()
                : Double.NaN).orElse(0.0));
    }

    void fleetProgress(String fleet, java.util.Map<TenantOutcome.State, Long> counts) {
        counts.forEach((state, count) -> fleetTenants.labelValues(fleet, state.id()).set(count));
    }

    void tenantFinished(String fleet, TenantOutcome outcome) {
        fleetFinished.labelValues(fleet, outcome.state().id()).inc();
    }

    void runStarted() {
        activeRuns.inc();
    }

    void runFinished(String fleet, String outcome) {
        activeRuns.dec();
        fleetRuns.labelValues(fleet, outcome).inc();
    }

    /** The Prometheus text format. */
    String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    String contentType() {
        return writer.getContentType();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
