package dev.gearshift.fleet;

import dev.gearshift.Gearshift;
import dev.gearshift.Project;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A fleet worker in a JVM of its own, for {@link FleetWorkersTest} (the CLI's {@code fleet worker} is not on
 * this module's class path; this does what it does):
 * {@code FleetWorkerProcess PROJECT TENANT_URL SCHEMA_PATTERN CONTROL_URL RUN LEASE_MS PARALLEL}.
 */
public final class FleetWorkerProcess {

    private FleetWorkerProcess() {
    }

    public static void main(String[] args) {
        Path project = Path.of(args[0]);
        String url = args[1];
        String pattern = args[2];
        String controlUrl = args[3];
        String runId = args[4];
        Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
        int parallel = Integer.parseInt(args[6]);
        Project template = Gearshift.configure().url(url).project(project).buildProject();
        List<Tenant> tenants = Tenants.schemasLike(url, null, null, pattern);
        System.out.println("worker " + ProcessHandle.current().pid() + ": " + tenants.size() + " tenants");
        try (ControlStore control = ControlStore.open(controlUrl, null, null);
             Fleet fleet = Fleet.configure(template).tenants(tenants).parallel(parallel).control(control).lease(lease)
                     .build()) {
            FleetResult result = fleet.work(runId);
            System.out.println("worker finished: " + result.count(TenantOutcome.State.DONE) + " done");
        }
        System.exit(0);
    }
}
