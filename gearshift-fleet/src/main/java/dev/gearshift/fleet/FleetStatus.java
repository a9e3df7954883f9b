package dev.gearshift.fleet;

import dev.gearshift.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every tenant's version of every module.
 *
 * @param modules the project's modules, in dependency order
 * @param tenants one entry per tenant, in the order the fleet was given them
 */
public record FleetStatus(List<String> modules, List<TenantStatus> tenants) {

    public FleetStatus {
        modules = List.copyOf(modules);
        tenants = List.copyOf(tenants);
    }

    /**
     * One tenant.
     *
     * @param current  module to its current version, empty when none is applied
     * @param pending  migrations not yet applied, all modules together
     * @param error    why the tenant could not be read (its database is unreachable, say)
     */
    public record TenantStatus(String tenant, String schema, Map<String, Optional<Long>> current, int pending,
                               List<Problem> problems, Optional<String> error) {
        public TenantStatus {
            current = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(current));
            problems = List.copyOf(problems);
        }

        public boolean isCurrent() {
            return error.isEmpty() && pending == 0 && problems.isEmpty();
        }
    }

    /** For each module: version ("none" when nothing is applied) to how many tenants are at it. */
    public Map<String, Map<String, Integer>> countsPerVersion() {
        Map<String, Map<String, Integer>> counts = new java.util.LinkedHashMap<>();
        for (String module : modules) {
            Map<String, Integer> versions = new TreeMap<>();
            for (TenantStatus tenant : tenants) {
                if (tenant.error().isEmpty()) {
                    String version = tenant.current().getOrDefault(module, Optional.empty())
                            .map(String::valueOf).orElse("none");
                    versions.merge(version, 1, Integer::sum);
                }
            }
            counts.put(module, versions);
        }
        return counts;
    }
}
