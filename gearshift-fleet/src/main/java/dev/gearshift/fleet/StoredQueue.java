package dev.gearshift.fleet;

import dev.gearshift.spi.RunStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One worker's view of a run kept in a run store: it claims tenants with a lease and renews its leases in the
 * background, so that a crashed worker's tenants become claimable again when its leases run out.
 */
final class StoredQueue implements WorkQueue, AutoCloseable {

    private final RunStore store;
    private final String runId;
    private final String worker;
    private final Duration lease;
    private final boolean owner;
    private final ScheduledExecutorService heartbeat;

    StoredQueue(RunStore store, String runId, String worker, Duration lease, boolean owner) {
        this.store = store;
        this.runId = runId;
        this.worker = worker;
        this.lease = lease;
        this.owner = owner;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gearshift-lease");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, lease.toMillis() / 3);
        heartbeat.scheduleAtFixedRate(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
    }

    private void renewLeases() {
        try {
            store.renewLeases(runId, worker, lease);
        } catch (RuntimeException ignored) {
            // A missed heartbeat only shortens the lease; the next one tries again.
        }
    }

    @Override
    public Optional<String> claim(String ignoredWorker) {
        return store.claim(runId, worker, lease, owner);
    }

    @Override
    public void finished(TenantOutcome outcome) {
        store.finished(runId, worker, stored(outcome));
    }

    @Override
    public List<TenantOutcome> finishedUnclaimed(List<TenantOutcome> outcomes) {
        Map<String, TenantOutcome> byTenant = new HashMap<>();
        outcomes.forEach(o -> byTenant.put(o.tenant(), o));
        return store.finishedUnclaimed(runId, worker, outcomes.stream().map(StoredQueue::stored).toList()).stream()
                .map(byTenant::get).toList();
    }

    @Override
    public int runningElsewhere(String ignoredWorker) {
        return store.runningElsewhere(runId, worker);
    }

    @Override
    public void stop(String reason) {
        store.stop(runId, reason);
    }

    @Override
    public Optional<String> stopReason() {
        return store.stopReason(runId);
    }

    @Override
    public void open() {
        store.open(runId);
    }

    /** Ends the run (owner only): tenants never started are marked skipped, and the run stopped or finished. */
    void finish() {
        store.finish(runId, stopReason().orElse("not started"));
    }

    @Override
    public List<TenantOutcome> outcomes(List<Tenant> tenants) {
        return store.outcomes(runId).stream().map(o -> new TenantOutcome(o.tenant(), o.schema(),
                TenantOutcome.State.valueOf(o.state().name()), o.migrations(), o.message(), o.errorCode().orElse(null),
                o.duration())).toList();
    }

    @Override
    public long failures() {
        return store.run(runId).map(RunStore.StoredRun::failed).orElse(0L);
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }

    private static RunStore.Outcome stored(TenantOutcome outcome) {
        return new RunStore.Outcome(outcome.tenant(), outcome.schema(),
                RunStore.TenantState.valueOf(outcome.state().name()), outcome.migrations(), outcome.message(),
                Optional.ofNullable(outcome.errorCode()), outcome.duration());
    }
}
