package dev.gearshift.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a fleet run.
 *
 * @param runId      the run's id, under which resume finds it
 * @param dryRun     every tenant's work was rolled back: nothing was committed
 * @param outcomes   one per selected tenant, in the order the fleet was given them
 * @param stopReason why tenants were skipped (canary failed, too many failures, cancelled), if they were
 */
public record FleetResult(String runId, FleetCommand command, boolean dryRun, List<TenantOutcome> outcomes,
                          Duration duration, Optional<String> stopReason) {

    public FleetResult {
        outcomes = List.copyOf(outcomes);
    }

    public long count(TenantOutcome.State state) {
        return outcomes.stream().filter(o -> o.state() == state).count();
    }

    public boolean succeeded() {
        return outcomes.stream().allMatch(o -> o.state() == TenantOutcome.State.DONE);
    }
}
