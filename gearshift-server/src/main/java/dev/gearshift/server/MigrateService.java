package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.JsonShapes;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Plan;
import dev.gearshift.Project;
import dev.gearshift.Repair;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
import dev.gearshift.Version;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /migrate}: checks the request against the configuration, then calls the Java API on the named
 * target and turns what it returns into the seed's {@code {"result": ...}} document (with details beside it).
 */
final class MigrateService {

    private final Project project;
    private final Databases databases;
    private final Pools pools;
    private final Metrics metrics;
    private final LockWaits lockWaits;
    private final Queues queues;

    MigrateService(Project project, Databases databases, Pools pools, Metrics metrics, LockWaits lockWaits,
                   Queues queues) {
        this.queues = queues;
        this.project = project;
        this.databases = databases;
        this.pools = pools;
        this.metrics = metrics;
        this.lockWaits = lockWaits;
    }

    /** The checked request: refused (400/403) before anything is dialled. */
    record Checked(MigrateRequest request, MigrateRequest.Command command, Databases.Database database,
                   Target target) {
    }

    Checked check(MigrateRequest request) {
        MigrateRequest.Command command = request.parsedCommand();
        Databases.Database database = databases.resolve(request.database());
        if (request.schema() == null || request.schema().isBlank()) {
            throw ApiError.badRequest("missing-field", "schema is required");
        }
        project.checkSchemaName(request.schema());
        if (!database.allowsSchema(request.schema())) {
            throw new ApiError(403, "schema-not-allowed", "schema '" + request.schema() + "' is not among the schemas"
                    + " configured for database " + database.name());
        }
        String module = blankToNull(request.migration());
        if (module != null && !project.modules().contains(module)) {
            throw ApiError.badRequest("unknown-module", "unknown module (migration) '" + module + "'; modules: "
                    + project.modules());
        }
        if (command == MigrateRequest.Command.VERSION && module == null) {
            throw ApiError.badRequest("missing-field", "version needs migration: the module whose version to tell");
        }
        if (request.isDryRun() && command != MigrateRequest.Command.UP && command != MigrateRequest.Command.DOWN) {
            throw ApiError.badRequest("invalid-field", "dry_run is for up and down only");
        }
        return new Checked(request, command, database, target(command, module, blankToNull(request.commandArg())));
    }

    private static Target target(MigrateRequest.Command command, String module, String argument) {
        if (argument == null) {
            return Target.latest().module(module);
        }
        if (command != MigrateRequest.Command.UP && command != MigrateRequest.Command.DOWN
                && command != MigrateRequest.Command.PLAN) {
            throw ApiError.badRequest("invalid-field",
                    "command_arg is for up, down and plan only (the version to go to)");
        }
        try {
            return Target.version(Version.parse(argument.strip())).module(module);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid-field", "command_arg must be the version to go to (0 or a positive"
                    + " integer, or a dotted version such as 1.2.3), not '" + argument + "'");
        }
    }

    Map<String, Object> run(Checked checked) throws InterruptedException {
        Databases.Database database = checked.database();
        String schema = checked.request().schema();
        long started = System.nanoTime();
        String outcome = "error";
        // begun before the queue, so that waiting in it for this service's own migration counts as a lock wait
        LockWaits.Operation operation = checked.command().takesLock()
                ? lockWaits.begin(database.name() + "/" + schema, database.name()) : null;
        try (Queues.Turn turn = queues.enter(database.name(), schema, checked.command().takesLock())) {
            Gearshift gearshift = project.target(database.url(), pools.dataSource(database.url(),
                    database.credentials()), database.display(), schema).withDryRun(checked.request().isDryRun());
            Map<String, Object> response = execute(checked, gearshift);
            outcome = "ok";
            return response;
        } catch (GearshiftException e) {
            count(database.name(), e);
            throw e;
        } finally {
            if (operation != null) {
                operation.close();
            }
            metrics.command(checked.command().id(), outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void count(String target, GearshiftException e) {
        if (e.code() == ErrorCode.MIGRATION_FAILED) {
            metrics.migrationFailed(target);
        } else if (e.code() == ErrorCode.LOCK_TIMEOUT || e.code() == ErrorCode.LOCKED_BY_APPLICATION) {
            metrics.lockTimeout(target);
        }
    }

    private Map<String, Object> execute(Checked checked, Gearshift gearshift) {
        String module = blankToNull(checked.request().migration());
        String target = checked.database().name();
        Map<String, Object> response = new LinkedHashMap<>();
        switch (checked.command()) {
            case VERSION -> {
                Status status = gearshift.status();
                metrics.status(target, status);
                response.put("result", status.module(module).flatMap(ModuleStatus::current).map(String::valueOf)
                        .orElse("0"));
            }
            case STATUS -> {
                Status status = gearshift.status();
                metrics.status(target, status);
                response.put("result", !status.problems().isEmpty() ? "problems"
                        : status.isCurrent() ? "up to date" : "pending");
                response.put("status", JsonShapes.status(status));
            }
            case PLAN -> {
                Plan plan = gearshift.planUp(checked.target());
                response.put("result", plan.isEmpty() ? "no change" : "ok");
                response.put("plan", JsonShapes.plan(plan));
            }
            case HISTORY -> {
                response.put("result", "ok");
                response.put("history", JsonShapes.history(gearshift.history()));
            }
            case VERIFY -> {
                Verification verification = gearshift.verify();
                verification.checks().stream().filter(c -> !c.passed()).findFirst().ifPresent(failed -> {
                    // a pipeline checking the status code must not read a failed verification as success
                    throw new GearshiftException(ErrorCode.VERIFY_FAILED, failed.location() + ": " + failed.message());
                });
                response.put("result", "ok");
                response.put("checks", JsonShapes.checks(verification));
            }
            case UP, DOWN -> {
                Result result = checked.command() == MigrateRequest.Command.UP ? gearshift.up(checked.target())
                        : gearshift.down(checked.target());
                metrics.result(target, result);
                response.put("result", result.applied().isEmpty() ? "no change" : "ok");
                response.put("dry_run", result.dryRun());
                response.put("applied", JsonShapes.applied(result));
                response.put("notes", result.notes());
                if (!result.dryRun()) {
                    Status status = gearshift.status();
                    metrics.status(target, status);
                    response.put("status", JsonShapes.status(status));
                }
            }
            case REPAIR -> {
                Repair repair = gearshift.repair();
                response.put("result", repair.isEmpty() ? "no change" : "ok");
                response.putAll(JsonShapes.repair(repair));
            }
            default -> throw new IllegalStateException("unhandled command " + checked.command());
        }
        return response;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
