package dev.gearshift.server;

import dev.gearshift.Gearshift;
import dev.gearshift.JsonShapes;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Project;
import dev.gearshift.Secrets;
import dev.gearshift.fleet.FleetStatus;
import dev.gearshift.fleet.Tenant;
import dev.gearshift.fleet.TenantOutcome;
import dev.gearshift.fleet.TenantSelection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the dashboard shows of a fleet: every tenant's version of every module, coloured by state, with the
 * latest run's outcome laid over it. Statuses are read by the fleet's status reader, as {@code gearshift fleet
 * status} reads them.
 */
final class FleetView {

    /**
     * A grid cell's state, as the dashboard colours it, where the latest run or the tenant's database decides it;
     * otherwise it is the module's {@link FleetStatus.ModuleState}: current, pending, problems or failed.
     */
    static final String FAILED = "failed";
    static final String RUNNING = "running";
    static final String UNKNOWN = "unknown";
    static final String UNREACHABLE = "unreachable";

    private final Project project;
    private final Fleets fleets;
    private final Runs runs;
    private final Pools pools;
    private final Metrics metrics;

    FleetView(Project project, Fleets fleets, Runs runs, Pools pools, Metrics metrics) {
        this.project = project;
        this.fleets = fleets;
        this.runs = runs;
        this.pools = pools;
        this.metrics = metrics;
    }

    Map<String, Object> fleets() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String name : fleets.names()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("run", runs.latest(name).map(Run::summary).orElse(null));
            list.add(entry);
        }
        return Map.of("modules", project.modules(), "fleets", list);
    }

    Map<String, Object> status(String fleetName, Map<String, String> filter) {
        Fleets.ConfiguredFleet fleet = fleets.get(fleetName);
        List<Tenant> all = fleet.all();
        List<Tenant> tenants = new TenantSelection(filter, List.of(), Optional.empty()).apply(all);
        // The reader `gearshift fleet status` uses: both show the same states, problems and unreachable tenants.
        FleetStatus statuses = FleetStatus.read(project, tenants,
                url -> pools.dataSource(url, fleet.credentials(), fleet.connectTimeout()), fleet.parallel());
        Optional<Run> run = runs.latest(fleet.name());

        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Map<String, Integer>> versions = new LinkedHashMap<>();
        project.modules().forEach(m -> versions.put(m, new TreeMap<>()));
        for (int i = 0; i < tenants.size(); i++) {
            Tenant tenant = tenants.get(i);
            Optional<TenantOutcome> outcome = run.flatMap(r -> r.tenant(tenant.name()));
            rows.add(row(fleet.name(), tenant, statuses.tenants().get(i), outcome, versions));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fleet", fleet.name());
        json.put("modules", project.modules());
        json.put("attributes", attributes(all));
        json.put("tenants", rows);
        json.put("versions", versions);
        Map<String, Integer> states = new LinkedHashMap<>();
        statuses.countsPerState().forEach((state, count) -> states.put(state.id(), count));
        json.put("states", states);
        json.put("run", run.map(Run::summary).orElse(null));
        return json;
    }

    private Map<String, Object> row(String fleet, Tenant tenant, FleetStatus.TenantStatus status,
                                    Optional<TenantOutcome> outcome, Map<String, Map<String, Integer>> versions) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tenant", tenant.name());
        row.put("schema", tenant.schema());
        row.put("attributes", new TreeMap<>(tenant.attributes()));
        row.put("state", status.state().id());
        boolean running = outcome.filter(o -> o.state() == TenantOutcome.State.RUNNING).isPresent();
        boolean failedInRun = outcome.filter(o -> o.state() == TenantOutcome.State.FAILED).isPresent();
        boolean anyPending = status.pending() > 0;
        Map<String, Object> modules = new LinkedHashMap<>();
        for (String module : project.modules()) {
            Optional<ModuleStatus> ms = status.module(module);
            FleetStatus.ModuleState read = status.moduleState(module);
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("version", ms.flatMap(ModuleStatus::current).map(JsonShapes::version).orElse(null));
            cell.put("pending", ms.map(m -> m.pending().size() + m.pendingRepeatables().size()).orElse(0));
            boolean modulePending = ms.filter(m -> !m.pending().isEmpty() || !m.pendingRepeatables().isEmpty()).isPresent();
            String state;
            if (running) {
                state = RUNNING;
            } else if (status.state() == FleetStatus.State.UNREACHABLE) {
                state = UNREACHABLE;
            } else if (read == FleetStatus.ModuleState.UNREAD) {
                state = UNKNOWN;
            } else if (failedInRun && (modulePending || !anyPending)) {
                state = FAILED;  // the run failed this tenant, and this module is where it stands behind
            } else {
                // As `gearshift fleet status` reckons it: e.g. applied migrations the project no longer has are
                // problems, never "current".
                state = read.id();
            }
            cell.put("state", state);
            modules.put(module, cell);
            if (ms.isPresent()) {
                versions.get(module).merge(ms.get().current().map(String::valueOf).orElse("none"), 1, Integer::sum);
                metrics.version(fleet + "/" + tenant.name(), tenant.schema(), module, ms.get().current());
            }
        }
        row.put("modules", modules);
        row.put("problems", JsonShapes.problems(status.problems()));
        row.put("run_state", outcome.map(o -> o.state().id()).orElse(null));
        row.put("message", status.error()
                .or(() -> status.problems().stream().findFirst().map(p -> p.code() + ": " + p))
                .or(() -> outcome.map(TenantOutcome::message).filter(m -> !m.isEmpty()))
                .orElse(null));
        return row;
    }

    /** Every attribute key with its values, for the dashboard's filter. */
    private static Map<String, List<String>> attributes(List<Tenant> tenants) {
        Map<String, TreeSet<String>> values = new TreeMap<>();
        tenants.forEach(t -> t.attributes().forEach((k, v) -> values.computeIfAbsent(k, x -> new TreeSet<>()).add(v)));
        Map<String, List<String>> json = new LinkedHashMap<>();
        values.forEach((k, v) -> json.put(k, List.copyOf(v)));
        return json;
    }

    /** One tenant's history, newest last. */
    Map<String, Object> history(String fleetName, String tenantName) {
        Fleets.ConfiguredFleet fleet = fleets.get(fleetName);
        Tenant tenant = fleet.all().stream().filter(t -> t.name().equals(tenantName)).findFirst()
                .orElseThrow(() -> ApiError.notFound("fleet " + fleetName + " has no tenant '" + tenantName + "'"));
        Gearshift gearshift = project.target(tenant.url(), pools.dataSource(tenant.url(), fleet.credentials()),
                tenant.name() + " (" + Secrets.mask(tenant.url()) + ")", tenant.schema());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", tenant.name());
        json.put("schema", tenant.schema());
        json.put("history", JsonShapes.history(gearshift.history()));
        return json;
    }
}
