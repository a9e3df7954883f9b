package dev.gearshift.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A run kept in this process only: nothing to resume, nothing shared. */
final class MemoryQueue implements WorkQueue {

    /** In claim order; a set, so that finishing thousands of unclaimed tenants at once is not quadratic. */
    private final Set<String> pending = new LinkedHashSet<>();
    private final Map<String, TenantOutcome> outcomes = new ConcurrentHashMap<>();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicLong failures = new AtomicLong();

    MemoryQueue(List<Tenant> tenants) {
        tenants.forEach(t -> pending.add(t.name()));
    }

    @Override
    public Optional<String> claim(String worker) {
        if (stopReason.get() != null) {
            return Optional.empty();
        }
        synchronized (pending) {
            Iterator<String> next = pending.iterator();
            if (!next.hasNext()) {
                return Optional.empty();
            }
            String tenant = next.next();
            next.remove();
            return Optional.of(tenant);
        }
    }

    @Override
    public void finished(TenantOutcome outcome) {
        outcomes.put(outcome.tenant(), outcome);
        if (outcome.state() == TenantOutcome.State.FAILED) {
            failures.incrementAndGet();
        }
    }

    @Override
    public List<TenantOutcome> finishedUnclaimed(List<TenantOutcome> finished) {
        List<TenantOutcome> recorded = new ArrayList<>();
        synchronized (pending) {
            for (TenantOutcome outcome : finished) {
                if (pending.remove(outcome.tenant())) {
                    recorded.add(outcome);
                }
            }
        }
        recorded.forEach(this::finished);
        return recorded;
    }

    @Override
    public int runningElsewhere(String worker) {
        return 0;
    }

    @Override
    public void stop(String reason) {
        stopReason.compareAndSet(null, reason);
    }

    @Override
    public Optional<String> stopReason() {
        return Optional.ofNullable(stopReason.get());
    }

    @Override
    public void open() {
        // one process: nobody else waits for the canary
    }

    @Override
    public List<TenantOutcome> outcomes(List<Tenant> tenants) {
        List<TenantOutcome> ordered = new ArrayList<>();
        for (Tenant tenant : tenants) {
            ordered.add(outcomes.getOrDefault(tenant.name(), new TenantOutcome(tenant.name(), tenant.schema(),
                    TenantOutcome.State.SKIPPED, 0, stopReason().orElse("not started"), null, Duration.ZERO)));
        }
        return ordered;
    }

    @Override
    public long failures() {
        return failures.get();
    }
}
