package dev.gearshift.fleet;

/** Progress of a fleet run, called from worker threads as tenants start and finish. */
public interface FleetListener {

    FleetListener NONE = new FleetListener() {
    };

    /** A run got its id; it covers {@code tenants} tenants. */
    default void runStarted(String runId, int tenants) {
    }

    default void started(Tenant tenant) {
    }

    /** {@code done}, {@code failed} and {@code total} count the whole run so far. */
    default void finished(TenantOutcome outcome, int done, int failed, int total) {
    }
}
