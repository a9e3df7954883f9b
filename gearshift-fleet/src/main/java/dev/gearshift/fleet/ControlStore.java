package dev.gearshift.fleet;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import dev.gearshift.spi.RunStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Fleet runs kept in a run store (a control database's tables): every tenant's state and how the tenants were
 * chosen, so a run can be resumed by its id alone, listed, and worked by several machines at once. The store is
 * found by the URL's kind among the stores on the class path.
 */
public final class ControlStore implements AutoCloseable {

    private final RunStore store;
    private final String display;

    private ControlStore(RunStore store, String display) {
        this.store = store;
        this.display = display;
    }

    /** Connects to the control database and creates what runs are kept in when it is missing. */
    public static ControlStore open(String url, String user, String password) {
        return new ControlStore(Providers.runStore(url, user, password), Secrets.mask(url));
    }

    public RunSummary run(String id) {
        return store.run(id).map(ControlStore::summary).orElseThrow(() -> unknown(id));
    }

    /** The most recent runs first. */
    public List<RunSummary> runs(int limit) {
        return store.runs(limit).stream().map(ControlStore::summary).toList();
    }

    /** How the run's tenants were chosen; empty for runs recorded before runs kept that. */
    public Optional<RunTenants> tenantsOf(String id) {
        return store.run(id).orElseThrow(() -> unknown(id)).selection().map(RunTenants::parse);
    }

    private GearshiftException unknown(String id) {
        return new GearshiftException(ErrorCode.USAGE, "unknown fleet run '" + id + "' in " + display
                + "; `gearshift fleet runs` lists them");
    }

    /** Registers a run and its tenants, all pending; a canary run stays closed to other workers until opened. */
    void createRun(String id, RunSpec spec, List<Tenant> tenants, Optional<RunTenants> chosenBy) {
        store.createRun(new RunStore.NewRun(id, spec.parameters(), chosenBy.map(RunTenants::record),
                tenants.stream().map(t -> new RunStore.TenantEntry(t.name(), t.schema(), Secrets.mask(t.url()))).toList()));
    }

    /** Makes failed, skipped and abandoned tenants of a run pending again; done tenants stay done. */
    int resume(String id) {
        run(id);
        return store.resume(id);
    }

    /** The queue of one run for one worker process; closing it stops the lease heartbeats. */
    StoredQueue queue(String runId, String worker, Duration lease, boolean owner) {
        return new StoredQueue(store, runId, worker, lease, owner);
    }

    private static RunSummary summary(RunStore.StoredRun run) {
        return new RunSummary(run.id(), RunSpec.of(run.parameters()), run.state().id(), run.createdBy(),
                run.startedAt(), run.finishedAt(), run.tenants(), run.done(), run.failed(), run.skipped(),
                run.pending(), run.running());
    }

    @Override
    public void close() {
        store.close();
    }
}
