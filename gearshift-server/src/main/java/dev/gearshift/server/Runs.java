package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Project;
import dev.gearshift.fleet.ControlStore;
import dev.gearshift.fleet.Fleet;
import dev.gearshift.fleet.FleetCommand;
import dev.gearshift.fleet.RunIds;
import dev.gearshift.fleet.Tenant;
import dev.gearshift.fleet.TenantSelection;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fleet runs started through {@code POST /runs}: each runs on a thread of its own through the fleet engine, so the
 * request returns at once with the run's id. Two runs may cover the same tenants: each tenant is migrated under its
 * schema lock, so they never overlap on one tenant. The latest {@value #KEPT} runs are kept in memory.
 */
final class Runs implements AutoCloseable {

    static final int KEPT = 100;
    /** Fleet runs take minutes: no point asking again within seconds. */
    private static final long RUN_RETRY_SECONDS = 30;

    private final Project project;
    private final Fleets fleets;
    private final Metrics metrics;
    private final Drain drain;
    private final Map<String, Run> byId = new ConcurrentHashMap<>();
    private final Deque<Run> order = new ConcurrentLinkedDeque<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "gearshift-run-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final ServerConfig.Limits limits;
    /** Tenants of each database (by URL) that running runs may migrate at once: what they reserved. */
    private final Map<String, Integer> reserved = new java.util.HashMap<>();

    Runs(Project project, Fleets fleets, Metrics metrics, Drain drain,
         ServerConfig.Limits limits) {
        this.limits = limits;
        this.project = project;
        this.fleets = fleets;
        this.metrics = metrics;
        this.drain = drain;
    }

    /**
     * Checks the request and lists its tenants now (so a bad filter or an unreachable registry is the caller's
     * 400 or 502, not a failed run), then starts the run.
     */
    Run start(RunRequest request, TokenStore.Caller caller) {
        FleetCommand command = request.checkedCommand();
        int cap = limits.fleetParallel().get(caller.role());
        if (request.parallel() != null && request.parallel() > cap) {
            throw ApiError.badRequest("invalid-field", "parallel " + request.parallel() + " is more than the "
                    + caller.role().id() + " role may ask for: " + cap + " (limits.fleet_parallel." + caller.role().id()
                    + ")");
        }
        Fleets.ConfiguredFleet fleet = fleets.get(request.fleet());
        if (request.module() != null && !request.module().isBlank() && !project.modules().contains(request.module())) {
            throw ApiError.badRequest("unknown-module", "unknown module '" + request.module() + "'; modules: "
                    + project.modules());
        }
        TenantSelection selection = new TenantSelection(request.filter(), request.tenants(), Optional.empty());
        List<Tenant> selected = fleet.load(selection);
        if (selected.isEmpty()) {
            throw new ApiError(422, "no-tenants", "no tenant of fleet " + fleet.name() + " matches the selection");
        }
        int parallel = request.parallel() != null ? request.parallel() : Math.min(cap, fleet.parallel());
        Map<String, Integer> reservation = reserve(selected, parallel);
        Drain.Admission admission;
        try {
            admission = drain.enter();
        } catch (RuntimeException e) {
            release(reservation);
            throw e;
        }
        Run run = new Run(RunIds.next(), fleet.name(), command, request.isDryRun(), caller.name(), selected);
        remember(run);
        metrics.runStarted();
        metrics.fleetProgress(fleet.name(), run.countsByState());
        executor.execute(() -> {
            try {
                execute(run, fleet, request, selection, selected, parallel, admission);
            } finally {
                release(reservation);
            }
        });
        return run;
    }

    /**
     * Reserves, on each database the run's tenants are on, as many connections as the run may use there at once,
     * or refuses the run (503) when running runs leave too few: dry runs count, since they connect and lock alike.
     */
    private synchronized Map<String, Integer> reserve(List<Tenant> selected, int parallel) {
        Map<String, Integer> perDatabase = new java.util.LinkedHashMap<>();
        selected.forEach(t -> perDatabase.merge(t.url(), 1, Integer::sum));
        perDatabase.replaceAll((url, tenants) -> Math.min(parallel, tenants));
        for (Map.Entry<String, Integer> want : perDatabase.entrySet()) {
            int free = limits.fleetParallelPerDatabase() - reserved.getOrDefault(want.getKey(), 0);
            if (want.getValue() > free) {
                throw new ApiError(503, "busy", "running fleet runs already migrate "
                        + (limits.fleetParallelPerDatabase() - free) + " tenants of " + dev.gearshift.Secrets.mask(
                        want.getKey()) + " at once, and at most " + limits.fleetParallelPerDatabase() + " may"
                        + " (limits.fleet_parallel_per_database): ask for parallel " + Math.max(1, free)
                        + (free > 0 ? "" : " once a run ends") + ", or retry later").retryAfter(RUN_RETRY_SECONDS);
            }
        }
        perDatabase.forEach((url, n) -> reserved.merge(url, n, Integer::sum));
        return perDatabase;
    }

    private synchronized void release(Map<String, Integer> reservation) {
        reservation.forEach((url, n) -> reserved.computeIfPresent(url, (k, held) -> held - n > 0 ? held - n : null));
    }

    private void execute(Run run, Fleets.ConfiguredFleet configured, RunRequest request, TenantSelection selection,
                         List<Tenant> selected, int parallel, Drain.Admission admission) {
        Databases.Database controlDb = configured.control().orElse(null);
        try (ControlStore control = controlDb == null ? null : ControlStore.open(controlDb.url(),
                controlDb.credentials().user(), controlDb.credentials().password());
             Fleet fleet = Fleet.configure(project).tenants(selected).runId(run.id())
                     .chosenBy(configured.choice(selection))
                     .parallel(parallel)
                     .canary(request.canary() == null ? 0 : request.canary())
                     .maxFailures(request.maxFailures() == null ? 1 : request.maxFailures())
                     .dryRun(request.isDryRun()).control(control).tenantTimeout(configured.tenantTimeout())
                     .connectTimeout(configured.connectTimeout())
                     .credentials(configured.credentials().user(), configured.credentials().password())
                     .listener(new Progress(run, configured.name())).build()) {
            run.onCancel(fleet::cancel);
            run.ended(fleet.run(run.command(), request.target()));
        } catch (GearshiftException e) {
            run.failed(Errors.message(e));
        } catch (RuntimeException e) {
            run.failed(new GearshiftException(ErrorCode.INTERNAL, "unexpected failure: " + e, e).getMessage());
        } finally {
            metrics.fleetProgress(configured.name(), run.countsByState());
            metrics.runFinished(configured.name(), run.outcome());
            admission.done();
        }
    }

    /** Passes the engine's progress to the run, and to the metrics. */
    private final class Progress implements dev.gearshift.fleet.FleetListener {
        private final Run run;
        private final String fleet;

        Progress(Run run, String fleet) {
            this.run = run;
            this.fleet = fleet;
        }

        @Override
        public void runStarted(String runId, int tenants) {
            run.runStarted(runId, tenants);
        }

        @Override
        public void started(Tenant tenant) {
            run.started(tenant);
            metrics.fleetProgress(fleet, run.countsByState());
        }

        @Override
        public void finished(dev.gearshift.fleet.TenantOutcome outcome, int done, int failed, int total) {
            run.finished(outcome, done, failed, total);
            metrics.tenantFinished(fleet, outcome);
            metrics.fleetProgress(fleet, run.countsByState());
        }
    }

    private void remember(Run run) {
        byId.put(run.id(), run);
        order.addFirst(run);
        while (order.size() > KEPT) {
            Run oldest = order.peekLast();
            if (oldest == null || oldest.isRunning()) {
                break;
            }
            order.pollLast();
            byId.remove(oldest.id());
        }
    }

    Run get(String id) {
        Run run = byId.get(id);
        if (run == null) {
            throw ApiError.notFound("no run '" + id + "' (this service keeps its latest " + KEPT + " runs)");
        }
        return run;
    }

    List<Run> list() {
        return new ArrayList<>(order);
    }

    /** The newest run of a fleet: the running one, if one runs. */
    Optional<Run> latest(String fleet) {
        return order.stream().filter(r -> r.fleet().equals(fleet)).filter(Run::isRunning).findFirst()
                .or(() -> order.stream().filter(r -> r.fleet().equals(fleet)).findFirst());
    }

    /** Shutdown: every run starts no more tenants; those running finish. */
    void cancelAll() {
        order.forEach(Run::cancel);
    }

    @Override
    public void close() {
        cancelAll();
        executor.shutdown();
    }
}
