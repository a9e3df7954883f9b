package dev.gearshift.server;

import dev.gearshift.Target;
import dev.gearshift.fleet.FleetCommand;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /runs}: a fleet run.
 *
 * @param fleet       a configured fleet
 * @param command     up, down, verify or validate
 * @param dryRun      up/down: every tenant in a transaction that is rolled back
 * @param module      only this module (and what it requires)
 * @param to          the version to go to
 * @param steps       or this many migrations
 * @param filter      only tenants whose attributes have these values
 * @param tenants     only these tenants
 * @param parallel    tenants at once (default: the fleet's)
 * @param canary      migrate this many first; start no others if one fails
 * @param maxFailures start no new tenants after this many failures (default 1; 0: never stop)
 */
record RunRequest(String fleet, String command, Boolean dryRun, String module, Long to, Integer steps,
                  Map<String, String> filter, List<String> tenants, Integer parallel, Integer canary,
                  Integer maxFailures) {

    RunRequest {
        filter = filter == null ? Map.of() : Map.copyOf(filter);
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
    }

    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    FleetCommand checkedCommand() {
        if (command == null || command.isBlank()) {
            throw ApiError.badRequest("missing-field", "command is required: one of " + FleetCommand.ids());
        }
        FleetCommand checked = FleetCommand.parse(command).orElseThrow(() -> ApiError.badRequest("unknown-command",
                "unknown fleet command '" + command + "'; use one of " + FleetCommand.ids()));
        if (isDryRun() && !checked.migrates()) {
            throw ApiError.badRequest("invalid-field", "dry_run is for up and down only");
        }
        if (to != null && steps != null) {
            throw ApiError.badRequest("invalid-field", "give to or steps, not both");
        }
        if (to != null && to < 0 || steps != null && steps < 1 || parallel != null && parallel < 1
                || canary != null && canary < 0 || maxFailures != null && maxFailures < 0) {
            throw ApiError.badRequest("invalid-field", "to must be 0 or more, steps and parallel 1 or more, canary"
                    + " and max_failures 0 or more");
        }
        return checked;
    }

    /**
     * Up and down need the write role, dry runs too: they run the real DDL and hold its locks (ACCESS EXCLUSIVE
     * included) on every tenant until they roll back. Verify and validate only read.
     */
    Role role() {
        return FleetCommand.parse(command).filter(FleetCommand::migrates).isPresent() ? Role.WRITE : Role.READ;
    }

    Target target() {
        Target target = to != null ? Target.version(to) : steps != null ? Target.steps(steps) : Target.latest();
        return target.module(module == null || module.isBlank() ? null : module);
    }
}
