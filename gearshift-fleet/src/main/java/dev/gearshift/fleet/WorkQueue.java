package dev.gearshift.fleet;

import java.util.List;
import java.util.Optional;

/**
 * Hands out the tenants of one run to workers, each tenant to one worker at a time, and records outcomes.
 * In memory for a run on one machine without control tables; {@link StoredQueue} for runs that can be
 * resumed and shared by workers on several machines.
 */
interface WorkQueue {

    /** The next tenant to work on, by name; empty when nothing is left to claim now. */
    Optional<String> claim(String worker);

    void finished(TenantOutcome outcome);

    /**
     * Records the outcomes of tenants no worker claimed, all at once (tenants found to have nothing to do):
     * only those still waiting to be claimed are recorded, and returned; others are left to their worker.
     */
    List<TenantOutcome> finishedUnclaimed(List<TenantOutcome> outcomes);

    /** Tenants claimed by other workers and not finished yet (their leases may still expire). */
    int runningElsewhere(String worker);

    /** Starts no more tenants, for every worker of the run; the first reason wins. */
    void stop(String reason);

    Optional<String> stopReason();

    /** Opens the run to every worker, once its canary tenants succeeded. */
    void open();

    /** Every tenant's outcome; those never started are skipped, with the stop reason. */
    List<TenantOutcome> outcomes(List<Tenant> tenants);

    long failures();
}
