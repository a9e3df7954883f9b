package dev.gearshift.fleet;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Problem;
import dev.gearshift.Project;
import dev.gearshift.Status;
import dev.gearshift.Version;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;

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
     * Reads the status of every tenant, each database once (one statement per 100 of its tenants, plus one), many
     * databases at once: what the CLI's {@code fleet status} and the service's fleet view both show. A database
     * that cannot be read makes its tenants {@link State#UNREACHABLE} (or {@link State#UNREADABLE}) with the
     * reason; it never fails or delays the others beyond its connection timeout.
     *
     * @param project   the project, for any target
     * @param databases the connections for a tenant URL (pooled, with a short connection timeout)
     * @param parallel  databases read at once, at least
     */
    public static FleetStatus read(Project project, List<Tenant> tenants, Function<String, DataSource> databases,
                                   int parallel) {
        Map<String, TenantStatus> statuses = StatusReader.read(project, tenants, databases, parallel);
        return new FleetStatus(project.modules(), tenants.stream().map(t -> statuses.get(t.name())).toList());
    }

    /** A tenant's state, worst first where several apply. */
    public enum State {
        /** Its database could not be reached (refused, timed out, login refused). */
        UNREACHABLE,
        /** Its database answered, but its status could not be read. */
        UNREADABLE,
        /** Something stands in the way of {@code up}: changed or missing migrations, a failed one, ... */
        PROBLEMS,
        PENDING,
        CURRENT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One module's state in a tenant, reckoned as the tenant's {@link State} is, so that the two always agree. */
    public enum ModuleState {
        /** The tenant's status was not read, or has no such module. */
        UNREAD,
        /** A migration of the module failed part-way. */
        FAILED,
        /** Changed or missing migrations, or another problem validation reports. */
        PROBLEMS,
        PENDING,
        CURRENT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One tenant.
     *
     * @param state   what the status says, at a glance
     * @param status  the tenant's status, when it could be read
     * @param error   why it could not be read (its database is unreachable, say); no password in it
     */
    public record TenantStatus(String tenant, String schema, State state, Optional<Status> status,
                               Optional<String> error) {

        static TenantStatus of(Tenant tenant, Status status) {
            // A module's problems are also the status's: any module failed or with problems makes the tenant's.
            State state = !status.problems().isEmpty() || status.modules().stream().map(TenantStatus::stateOf)
                    .anyMatch(m -> m == ModuleState.FAILED || m == ModuleState.PROBLEMS)
                    ? State.PROBLEMS : status.isCurrent() ? State.CURRENT : State.PENDING;
            return new TenantStatus(tenant.name(), tenant.schema(), state, Optional.of(status), Optional.empty());
        }

        static TenantStatus unread(Tenant tenant, GearshiftException error) {
            return new TenantStatus(tenant.name(), tenant.schema(),
                    error.code() == ErrorCode.CONNECTION ? State.UNREACHABLE : State.UNREADABLE, Optional.empty(),
                    Optional.of(error.getMessage()));
        }

        /** Module to its current version, empty when none is applied; no modules when the status was not read. */
        public Map<String, Optional<Version>> current() {
            Map<String, Optional<Version>> current = new java.util.LinkedHashMap<>();
            status.ifPresent(s -> s.modules().forEach(m -> current.put(m.module(), m.current())));
            return java.util.Collections.unmodifiableMap(current);
        }

        /** Migrations not yet applied, all modules together. */
        public int pending() {
            return status.map(s -> s.modules().stream().mapToInt(m -> m.pending().size() + m.pendingRepeatables().size()).sum()).orElse(0);
        }

        public List<Problem> problems() {
            return status.map(Status::problems).orElse(List.of());
        }

        public Optional<ModuleStatus> module(String module) {
            return status.flatMap(s -> s.module(module));
        }

        /** Where {@code module} stands in this tenant. */
        public ModuleState moduleState(String module) {
            return module(module).map(TenantStatus::stateOf).orElse(ModuleState.UNREAD);
        }

        private static ModuleState stateOf(ModuleStatus module) {
            if (!module.failed().isEmpty()) {
                return ModuleState.FAILED;
            }
            if (!module.problems().isEmpty() || !module.changed().isEmpty() || !module.missing().isEmpty()) {
                return ModuleState.PROBLEMS;
            }
            return module.pending().isEmpty() ? ModuleState.CURRENT : ModuleState.PENDING;
        }

        public boolean isCurrent() {
            return state == State.CURRENT;
        }
    }

    /** For each module: version ("none" when nothing is applied) to how many tenants are at it. */
    public Map<String, Map<String, Integer>> countsPerVersion() {
        Map<String, Map<String, Integer>> counts = new java.util.LinkedHashMap<>();
        for (String module : modules) {
            Map<String, Integer> versions = new TreeMap<>();
            for (TenantStatus tenant : tenants) {
                if (tenant.status().isPresent()) {
                    String version = tenant.current().getOrDefault(module, Optional.empty())
                            .map(String::valueOf).orElse("none");
                    versions.merge(version, 1, Integer::sum);
                }
            }
            counts.put(module, versions);
        }
        return counts;
    }

    /** How many tenants are in each state, every state listed. */
    public Map<State, Integer> countsPerState() {
        Map<State, Integer> counts = new java.util.EnumMap<>(State.class);
        for (State state : State.values()) {
            counts.put(state, 0);
        }
        tenants.forEach(t -> counts.merge(t.state(), 1, Integer::sum));
        return counts;
    }
}
