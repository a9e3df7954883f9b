package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.gearshift.JsonShapes;
import dev.gearshift.Secrets;

/** Turns failures into an HTTP status and the error document {@code {"error": {"code", "message", ...}}}. */
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
        error.put("message", Secrets.mask(e.getMessage()));
        if (!e.problems().isEmpty()) {
            error.put("problems", JsonShapes.problems(e.problems()).stream().map(p -> {
                Map<String, Object> scrubbed = new LinkedHashMap<>(p);
                scrubbed.put("message", Secrets.mask((String) p.get("message")));
                return scrubbed;
            }).toList());
        }
        return Map.of("error", error);
    }

    static Map<String, Object> document(ApiError e) {
        return Json.error(e.code(), Secrets.mask(e.getMessage()));
    }
}
