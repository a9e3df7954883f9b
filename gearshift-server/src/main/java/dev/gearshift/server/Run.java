package dev.gearshift.server;

import dev.gearshift.fleet.FleetCommand;
import dev.gearshift.fleet.FleetJsonShapes;
import dev.gearshift.fleet.FleetListener;
import dev.gearshift.fleet.FleetResult;
import dev.gearshift.fleet.Tenant;
import dev.gearshift.fleet.TenantOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One fleet run as the service shows it: every tenant's state, and the events that got it there, kept so an SSE
 * client that connects late (or reconnects with {@code Last-Event-ID}) sees the whole story. The fleet engine
 * reports progress through {@link FleetListener} from its worker threads; everything here is synchronized.
 */
final class Run implements FleetListener {

    /** The run as a whole. */
    enum State { RUNNING, FINISHED, CANCELLED, ERROR }

    /** One server-sent event. {@code id} is its position in the run's story, from 1. */
    record Event(long id, String type, Map<String, Object> data) {
        boolean isEnd() {
            return type.equals("end");
        }
    }

    private final String id;
    private final String fleet;
    private final FleetCommand command;
    private final boolean dryRun;
    private final String startedBy;
    private final Instant startedAt = Instant.now();
    private final Map<String, TenantOutcome> tenants = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private State state = State.RUNNING;
    private Instant finishedAt;
    private String fleetRunId;
    private String stopReason;
    private String error;
    private Runnable canceller = () -> { };
    private boolean cancelRequested;

    Run(String id, String fleet, FleetCommand command, boolean dryRun, String startedBy, List<Tenant> selected) {
        this.id = id;
        this.fleet = fleet;
        this.command = command;
        this.dryRun = dryRun;
        this.startedBy = startedBy;
        for (Tenant tenant : selected) {
            tenants.put(tenant.name(), new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.PENDING, 0,
                    "", null, Duration.ZERO));
        }
    }

    String id() {
        return id;
    }

    String fleet() {
        return fleet;
    }

    FleetCommand command() {
        return command;
    }

    synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    synchronized void onCancel(Runnable canceller) {
        this.canceller = canceller;
        if (cancelRequested) {
            canceller.run();  // cancelled before the fleet existed
        }
    }

    /** Starts no more tenants; those running finish. */
    synchronized void cancel() {
        if (state == State.RUNNING && !cancelRequested) {
            cancelRequested = true;
            canceller.run();
            emit("cancelling", Map.of("run", id));
        }
    }

    @Override
    public synchronized void runStarted(String runId, int count) {
        fleetRunId = runId;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", id);
        data.put("fleet", fleet);
        data.put("command", command.id());
        data.put("dry_run", dryRun);
        data.put("fleet_run_id", runId);
        data.put("total", count);
        emit("run", data);
    }

    @Override
    public synchronized void started(Tenant tenant) {
        tenants.put(tenant.name(), new TenantOutcome(tenant.name(), tenant.schema(), TenantOutcome.State.RUNNING, 0,
                "", null, Duration.ZERO));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant", tenant.name());
        data.put("schema", tenant.schema());
        data.put("counts", counts());
        emit("tenant-started", data);
    }

    @Override
    public synchronized void finished(TenantOutcome outcome, int done, int failed, int total) {
        TenantOutcome scrubbed = scrub(outcome);
        tenants.put(outcome.tenant(), scrubbed);
        Map<String, Object> data = new LinkedHashMap<>(FleetJsonShapes.outcome(scrubbed));
        data.put("counts", counts());
        emit("tenant-finished", data);
    }

    /** The engine returned: its outcomes are final (tenants never started are skipped, with the reason). */
    synchronized void ended(FleetResult result) {
        result.outcomes().forEach(o -> tenants.put(o.tenant(), scrub(o)));
        stopReason = result.stopReason().map(dev.gearshift.Secrets::mask).orElse(null);
        end(cancelRequested ? State.CANCELLED : State.FINISHED);
    }

    /** The run could not go on at all (control database unreachable, say). */
    synchronized void failed(String message) {
        error = dev.gearshift.Secrets.mask(message);
        end(State.ERROR);
    }

    private void end(State finalState) {
        state = finalState;
        finishedAt = Instant.now();
        emit("end", summary());
    }

    /** {@code succeeded}, {@code failed}, {@code cancelled} or {@code error}: for metrics. */
    synchronized String outcome() {
        return switch (state) {
            case RUNNING -> "running";
            case CANCELLED -> "cancelled";
            case ERROR -> "error";
            case FINISHED -> tenants.values().stream().allMatch(t -> t.state() == TenantOutcome.State.DONE)
                    ? "succeeded" : "failed";
        };
    }

    synchronized Map<TenantOutcome.State, Long> countsByState() {
        Map<TenantOutcome.State, Long> counts = new EnumMap<>(TenantOutcome.State.class);
        for (TenantOutcome.State s : TenantOutcome.State.values()) {
            counts.put(s, 0L);
        }
        tenants.values().forEach(t -> counts.merge(t.state(), 1L, Long::sum));
        return counts;
    }

    private Map<String, Object> counts() {
        Map<String, Object> counts = new LinkedHashMap<>();
        countsByState().forEach((s, n) -> counts.put(s.id(), n));
        counts.put("total", tenants.size());
        return counts;
    }

    synchronized Optional<TenantOutcome> tenant(String name) {
        return Optional.ofNullable(tenants.get(name));
    }

    /** {@code GET /runs/{id}} without the tenants: what a list or an event shows. */
    synchronized Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("fleet", fleet);
        json.put("command", command.id());
        json.put("dry_run", dryRun);
        json.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        json.put("outcome", outcome());
        json.put("started_by", startedBy);
        json.put("started_at", startedAt.toString());
        json.put("finished_at", finishedAt == null ? null : finishedAt.toString());
        json.put("fleet_run_id", fleetRunId);
        json.put("counts", counts());
        json.put("stop_reason", stopReason);
        json.put("error", error);
        return json;
    }

    /** {@code GET /runs/{id}}: the summary and every tenant's state. */
    synchronized Map<String, Object> document() {
        Map<String, Object> json = summary();
        json.put("tenants", tenants.values().stream().map(FleetJsonShapes::outcome).toList());
        return json;
    }

    private TenantOutcome scrub(TenantOutcome o) {
        return new TenantOutcome(o.tenant(), o.schema(), o.state(), o.migrations(), dev.gearshift.Secrets.mask(o.message()),
                o.errorCode(), o.duration());
    }

    private void emit(String type, Map<String, Object> data) {
        events.add(new Event(events.size() + 1L, type, data));
        notifyAll();
    }

    /** True when the run has ended and had no event after {@code lastSeen}: nothing will ever come. */
    synchronized boolean endedBefore(long lastSeen) {
        return state != State.RUNNING && events.size() <= lastSeen;
    }

    /**
     * The first event after {@code lastSeen}, waiting up to {@code wait} for it; empty when none came (the caller
     * sends a keep-alive and asks again).
     */
    synchronized Optional<Event> next(long lastSeen, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (events.size() <= lastSeen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return Optional.of(events.get((int) lastSeen));
    }
}
