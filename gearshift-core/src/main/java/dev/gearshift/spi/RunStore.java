package dev.gearshift.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where fleet runs are kept, so that a run can be resumed, listed, and worked by several machines at once: every
 * run, how its tenants were chosen, and every tenant's state. The fleet decides what to do; a store only records
 * it, and hands each tenant to one worker at a time. Found by URL through {@link Provider}, as a
 * {@link Dialect} is.
 *
 * <p>Claims are exclusive without waiting: two workers claiming at once get different tenants, and neither
 * blocks on the other's claim (SQL stores: {@code FOR UPDATE SKIP LOCKED}). A claim holds a lease; a tenant whose
 * lease ran out counts as claimable again, so a crashed worker's tenants are taken over. Times are the store's
 * own clock, so workers on machines with skewed clocks agree. Passwords are never stored: callers give tenant
 * databases masked.
 */
public interface RunStore extends AutoCloseable {

    /** Registers a run and its tenants, all pending, in their order; a canary run is closed until opened. */
    void createRun(NewRun run);

    /** The run with this id, with its tenants counted by state. */
    Optional<StoredRun> run(String id);

    /** The most recent runs first. */
    List<StoredRun> runs(int limit);

    /**
     * Makes the failed, skipped and abandoned (running, lease expired) tenants of a run pending again, and the run
     * running; done tenants stay done.
     *
     * @return the tenants made pending
     */
    int resume(String id);

    /**
     * The next tenant of a run to work on, claimed for {@code worker} for {@code lease}: a pending one, or one
     * whose lease expired, first by position; empty when none is claimable now or the run is not open to this
     * worker ({@code includeCanary}: the run's owner also claims while the run is still in its canary).
     */
    Optional<String> claim(String runId, String worker, Duration lease, boolean includeCanary);

    /** Extends the lease of every tenant of the run {@code worker} is running. */
    void renewLeases(String runId, String worker, Duration lease);

    /** Records the outcome of a tenant {@code worker} claimed. */
    void finished(String runId, String worker, Outcome outcome);

    /**
     * Records, at once, the outcomes of tenants no worker claimed: only tenants still pending are recorded (as
     * claimed and finished by {@code worker}), others are left to their worker.
     *
     * @return the tenants recorded
     */
    List<String> finishedUnclaimed(String runId, String worker, List<Outcome> outcomes);

    /** Tenants of the run that workers other than {@code worker} are running. */
    int runningElsewhere(String runId, String worker);

    /** Stops a run that is in its canary or running; a run already stopped keeps its first reason. */
    void stop(String runId, String reason);

    /** Why the run was stopped; empty unless it was. */
    Optional<String> stopReason(String runId);

    /** Opens a run in its canary to every worker. */
    void open(String runId);

    /**
     * Ends a run: tenants still pending become skipped with {@code skipReason}, and the run finished, or stays
     * stopped.
     */
    void finish(String runId, String skipReason);

    /** Every tenant of the run, in the run's order. */
    List<Outcome> outcomes(String runId);

    @Override
    void close();

    /** Opens run stores for the URLs it accepts. Listed in {@code META-INF/services}. */
    interface Provider {

        /** True for URLs of databases this store keeps runs in. */
        boolean accepts(String url);

        /** Connects, and creates (or upgrades in place) what the store keeps runs in when it is missing. */
        RunStore open(String url, String user, String password);
    }

    /** A run's state. */
    enum RunState {
        /** Only its owner works on it, until its canary tenants succeeded. */
        CANARY,
        RUNNING,
        STOPPED,
        FINISHED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A tenant's state in a run. */
    enum TenantState {
        PENDING, RUNNING, DONE, FAILED, SKIPPED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a run does to every tenant.
     *
     * @param command up, down, verify or validate
     */
    record Parameters(String command, Optional<String> module, Optional<Long> version, Optional<Integer> steps,
                      boolean dryRun, int canary, int maxFailures) {
    }

    /**
     * One tenant of a new run.
     *
     * @param database its database, masked: no password in it
     */
    record TenantEntry(String tenant, String schema, String database) {
    }

    /**
     * A run to record.
     *
     * @param selection how its tenants were chosen, as the fleet writes it (the store keeps it as it is)
     */
    record NewRun(String id, Parameters parameters, Optional<String> selection, List<TenantEntry> tenants) {

        public NewRun {
            tenants = List.copyOf(tenants);
        }
    }

    /**
     * A recorded run.
     *
     * @param selection how its tenants were chosen; empty for runs recorded before stores kept it
     * @param tenants   its tenants, and how many of them are in each state
     */
    record StoredRun(String id, Parameters parameters, Optional<String> selection, RunState state, String createdBy,
                     Instant startedAt, Optional<Instant> finishedAt, long tenants, long done, long failed,
                     long skipped, long pending, long running) {
    }

    /**
     * A tenant's state and outcome in a run.
     *
     * @param message   for failures the error, for skips why; empty otherwise
     * @param errorCode for failures, the error's code
     */
    record Outcome(String tenant, String schema, TenantState state, int migrations, String message,
                   Optional<String> errorCode, Duration duration) {
    }
}
