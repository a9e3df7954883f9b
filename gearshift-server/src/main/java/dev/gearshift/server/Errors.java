package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.JsonShapes;
import dev.gearshift.Problem;
import dev.gearshift.Remedy;
import dev.gearshift.Secrets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns failures into an HTTP status and the error document {@code {"error": {"code", "message", ...}}}: the one
 * place the service decides what an error's code and advice become.
 */
final class Errors {

    private Errors() {
    }

    /** The status for an error of the engine: the request was fine, the target or the sources were not. */
    static int status(ErrorCode code) {
        return switch (code) {
            case USAGE -> 400;
            case VALIDATION, SCRIPT_SYNTAX, MIGRATION_FAILED, VERIFY_FAILED -> 422;
            case LOCK_TIMEOUT, LOCK_LOST, LOCKED_BY_APPLICATION -> 409;
            case CONNECTION -> 502;
            case INTERNAL -> 500;
        };
    }

    /**
     * Where a caller of the service sets the option an error points to: a field of the request, or a key of the
     * server's configuration. Empty for options the service does not offer: its callers are not told to use them.
     */
    static Optional<String> field(Remedy remedy) {
        return Optional.ofNullable(switch (remedy) {
            case CREATE_SCHEMA -> "server configuration: create_schema";
            case MIGRATOR_WAIT -> "server configuration: migrator_wait";
            case MIGRATIONS -> "server configuration: migrations";
            case CONTROL_DATABASE -> "server configuration: fleets.<name>.control";
            case PARALLEL -> "request field: parallel";
            case CANARY -> "request field: canary";
            case MAX_FAILURES -> "request field: max_failures";
            case WAIT_FOR_GUARDS, SINGLE_TRANSACTION, OUT_OF_ORDER, URL, DEV_URL, RENAME -> null;
        });
    }

    /** The pool's timeout, when that is what the failure comes down to: the service was busy, not the database. */
    static java.util.Optional<Pools.Exhausted> poolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Pools.Exhausted exhausted) {
                return java.util.Optional.of(exhausted);
            }
        }
        return java.util.Optional.empty();
    }

    static Map<String, Object> document(GearshiftException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code().id());
        error.put("message", message(e));
        if (!e.problems().isEmpty()) {
            List<Map<String, Object>> shapes = JsonShapes.problems(e.problems());
            List<Map<String, Object>> problems = new java.util.ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                Problem problem = e.problems().get(i);
                Map<String, Object> scrubbed = new LinkedHashMap<>(shapes.get(i));
                scrubbed.put("message", Secrets.mask(withFields(problem.message(), problem.remedy().stream()
                        .toList())));
                problems.add(scrubbed);
            }
            error.put("problems", problems);
        }
        return Map.of("error", error);
    }

    /** An error's message for callers of the service: where to set the options it points to, secrets masked. */
    static String message(GearshiftException e) {
        return Secrets.mask(withFields(e.getMessage(), e.remedies()));
    }

    /** The text, and after it where to set the options it points to that the service offers. */
    private static String withFields(String text, List<Remedy> remedies) {
        List<String> fields = remedies.stream().map(Errors::field).flatMap(Optional::stream).toList();
        return fields.isEmpty() ? text : text + " (" + String.join("; ", fields) + ")";
    }

    static Map<String, Object> document(ApiError e) {
        return Json.error(e.code(), Secrets.mask(e.getMessage()));
    }
}
