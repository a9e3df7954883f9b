package dev.gearshift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of Gearshift's results, one definition for every front end (the CLI's {@code --json}, the
 * HTTP service): maps and lists ready for any JSON writer. Stable: fields may be added, never renamed or removed.
 *
 * <p>A version is a JSON number when it is an integer, as it was before dotted versions, and a string otherwise
 * ({@code "1.2.3"}); a repeatable migration's is null, and {@code status} lists those to run under
 * {@code pending_repeatables}.
 */
public final class JsonShapes {

    private JsonShapes() {
    }

    /** A version as a JSON value: a number for an integer, else its text. */
    public static Object version(Version version) {
        return version.isInteger() ? (Object) version.longValue() : version.toString();
    }

    private static Object version(java.util.Optional<Version> version) {
        return version.map(JsonShapes::version).orElse(null);
    }

    private static List<Object> versions(List<Version> versions) {
        return versions.stream().map(JsonShapes::version).toList();
    }

    /**
     * {@code {"schema", "modules": [{"module", "current", "applied", "pending", "changed", "missing", "failed",
     * "pending_repeatables", "problems"}], "problems", "notes"}}: a module's problems are among the document's, which adds those of no
     * module.
     */
    public static Map<String, Object> status(Status status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schema", status.schema());
        List<Map<String, Object>> modules = new ArrayList<>();
        for (ModuleStatus module : status.modules()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("module", module.module());
            entry.put("current", version(module.current()));
            entry.put("applied", versions(module.applied()));
            entry.put("pending", versions(module.pending()));
            entry.put("changed", versions(module.changed()));
            entry.put("missing", versions(module.missing()));
            entry.put("failed", versions(module.failed()));
            entry.put("pending_repeatables", module.pendingRepeatables());
            entry.put("problems", problems(module.problems()));
            modules.add(entry);
        }
        json.put("modules", modules);
        json.put("problems", problems(status.problems()));
        json.put("notes", status.notes());
        return json;
    }

    public static List<Map<String, Object>> problems(List<Problem> problems) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Problem problem : problems) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("code", problem.code());
            entry.put("location", problem.location());
            entry.put("message", problem.message());
            list.add(entry);
        }
        return list;
    }

    /**
     * {@code {"code", "message", "problems", "applied"}}, the body of an error document {@code {"error": {..}}}:
     * {@code applied} lists what a failed up or down committed before it failed (it stays), in the shape of a
     * result's {@code applied}.
     */
    public static Map<String, Object> error(GearshiftException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", error.code().id());
        body.put("message", error.getMessage());
        body.put("problems", problems(error.problems()));
        body.put("applied", applied(error.applied()));
        return body;
    }

    public static List<Map<String, Object>> applied(Result result) {
        return applied(result.applied());
    }

    public static List<Map<String, Object>> applied(List<Result.Applied> migrations) {
        List<Map<String, Object>> applied = new ArrayList<>();
        for (Result.Applied migration : migrations) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("module", migration.module());
            entry.put("version", version(migration.version()));
            entry.put("name", migration.name());
            entry.put("duration_ms", migration.duration().toMillis());
            entry.put("executed", migration.executed());
            applied.add(entry);
        }
        return applied;
    }

    public static List<Map<String, Object>> plan(Plan plan) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Plan.Step step : plan.steps()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("module", step.module());
            entry.put("version", version(step.version()));
            entry.put("name", step.name());
            entry.put("location", step.location());
            entry.put("transactional", step.transactional());
            entry.put("sql", step.sql());
            steps.add(entry);
        }
        return steps;
    }

    public static List<Map<String, Object>> checks(Verification verification) {
        List<Map<String, Object>> checks = new ArrayList<>();
        for (Verification.Check check : verification.checks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("module", check.module());
            entry.put("version", version(check.version()));
            entry.put("name", check.name());
            entry.put("location", check.location());
            entry.put("passed", check.passed());
            entry.put("message", check.message());
            checks.add(entry);
        }
        return checks;
    }

    public static List<Map<String, Object>> history(List<HistoryEntry> history) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HistoryEntry entry : history) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", entry.id());
            row.put("module", entry.module());
            row.put("version", version(entry.version()));
            row.put("name", entry.name());
            row.put("kind", entry.kind());
            row.put("action", entry.action());
            row.put("outcome", entry.outcome());
            row.put("checksum", entry.checksum());
            row.put("installed_by", entry.installedBy());
            row.put("installed_at", entry.installedAt() == null ? null : entry.installedAt().toString());
            row.put("duration_ms", entry.duration() == null ? null : entry.duration().toMillis());
            row.put("tool_version", entry.toolVersion());
            row.put("error", entry.error());
            rows.add(row);
        }
        return rows;
    }

    /**
     * {@code {"repaired": [ids], "cleared": [ids], "realigned": [{"module", "version", "name", "location",
     * "previous_checksum", "checksum"}], "invalid_indexes": [names], "dropped_indexes": [names]}}.
     */
    public static Map<String, Object> repair(Repair repair) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("repaired", repair.repaired());
        json.put("cleared", repair.cleared());
        List<Map<String, Object>> realigned = new ArrayList<>();
        for (Repair.Realigned migration : repair.realigned()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("module", migration.module());
            entry.put("version", version(migration.version()));
            entry.put("name", migration.name());
            entry.put("location", migration.location());
            entry.put("previous_checksum", migration.previousChecksum());
            entry.put("checksum", migration.checksum());
            realigned.add(entry);
        }
        json.put("realigned", realigned);
        json.put("invalid_indexes", repair.invalidIndexes());
        json.put("dropped_indexes", repair.droppedIndexes());
        return json;
    }
}
