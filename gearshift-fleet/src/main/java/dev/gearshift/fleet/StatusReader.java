package dev.gearshift.fleet;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Project;
import dev.gearshift.Secrets;
import dev.gearshift.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import javax.sql.DataSource;

/** Reads the status of many tenants, each database in one statement per 100 of its tenants, databases at once. */
final class StatusReader {

    /**
     * Databases read at once, at least, whatever the fleet's parallelism: a status read is a short query, and an
     * unreachable database only waits out its connection timeout, so reading them one after another would add
     * those timeouts up.
     */
    private static final int MIN_DATABASES_AT_ONCE = 16;

    private StatusReader() {
    }

    /** Every tenant's status by name; a database that cannot be read gives its tenants the reason. */
    static Map<String, FleetStatus.TenantStatus> read(Project project, List<Tenant> tenants,
                                                     Function<String, DataSource> databases, int parallel) {
        Map<String, FleetStatus.TenantStatus> statuses = new ConcurrentHashMap<>();
        forEachDatabase(tenants, parallel, (url, inDatabase) -> {
            try {
                // Messages name the tenant, as a tenant's own run does, when the database is its alone.
                String description = inDatabase.size() == 1 ? inDatabase.get(0).name() + " (" + Secrets.mask(url) + ")"
                        : Secrets.mask(url);
                Map<String, Status> bySchema = project.statusOfSchemas(url, databases.apply(url), description,
                        inDatabase.stream().map(Tenant::schema).distinct().toList());
                inDatabase.forEach(t -> statuses.put(t.name(), FleetStatus.TenantStatus.of(t, bySchema.get(t.schema()))));
            } catch (RuntimeException e) {
                GearshiftException error = e instanceof GearshiftException g ? g
                        : new GearshiftException(ErrorCode.INTERNAL, "cannot read the status of the tenants in "
                        + Secrets.mask(url) + ": " + e, e);
                inDatabase.forEach(t -> statuses.put(t.name(), FleetStatus.TenantStatus.unread(t, error)));
            }
        });
        return statuses;
    }

    /** Calls {@code read} with each database's tenants, many databases at once. */
    private static void forEachDatabase(List<Tenant> tenants, int parallel,
                                        java.util.function.BiConsumer<String, List<Tenant>> read) {
        Map<String, List<Tenant>> byDatabase = new LinkedHashMap<>();
        tenants.forEach(t -> byDatabase.computeIfAbsent(t.url(), u -> new ArrayList<>()).add(t));
        if (byDatabase.isEmpty()) {
            return;
        }
        int threads = Math.min(byDatabase.size(), Math.max(parallel, MIN_DATABASES_AT_ONCE));
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "gearshift-fleet-status");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Map.Entry<String, List<Tenant>> database : byDatabase.entrySet()) {
                futures.add(executor.submit(() -> read.accept(database.getKey(), database.getValue())));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GearshiftException(ErrorCode.INTERNAL, "interrupted while reading the fleet's status", e);
        } catch (ExecutionException e) {
            throw new GearshiftException(ErrorCode.INTERNAL, "cannot read the fleet's status: " + e.getCause(), e);
        } finally {
            executor.shutdownNow();
        }
    }
}
