package dev.gearshift.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gearshift.Counts;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JsonShapes;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Plan;
import dev.gearshift.Problem;
import dev.gearshift.Repair;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Verification;
import dev.gearshift.Version;
import dev.gearshift.fleet.FleetCommand;
import dev.gearshift.fleet.FleetJsonShapes;
import dev.gearshift.fleet.FleetResult;
import dev.gearshift.fleet.FleetStatus;
import dev.gearshift.fleet.RunSummary;
import dev.gearshift.fleet.TenantOutcome;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text for people and JSON for machines. The JSON shapes are documented in the README and stable: fields
 * may be added, never renamed or removed.
 */
final class Render {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Render() {
    }

    static String json(Object value) {
        return JsonHolder.write(value);
    }

    /**
     * Jackson databind costs a few hundred classes to load: everything that names it is in here, where only --json
     * output reaches it, so that a plain-text command never loads it (verifying Render would load the exception
     * types of its catch clauses).
     */
    private static final class JsonHolder {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        static String write(Object value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------ JSON shapes

    static Map<String, Object> status(String target, Status status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target);
        json.putAll(JsonShapes.status(status));
        return json;
    }


    static Map<String, Object> error(GearshiftException error) {
        Map<String, Object> shape = JsonShapes.error(error);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", shape.get("code"));
        body.put("exit_code", ExitCodes.of(error.code()));
        body.putAll(shape);
        body.put("message", Flags.message(error));
        return Map.of("error", body);
    }

    static Map<String, Object> result(String target, Result result, Status status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("direction", result.direction().id());
        json.put("dry_run", result.dryRun());
        json.put("applied", JsonShapes.applied(result));
        json.put("notes", result.notes());
        json.put("status", status(target, status));
        return json;
    }

    static Map<String, Object> plan(Plan plan) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("direction", plan.direction().id());
        json.put("steps", JsonShapes.plan(plan));
        return json;
    }

    static Map<String, Object> verification(Verification verification) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("passed", verification.passed());
        json.put("checks", JsonShapes.checks(verification));
        return json;
    }

    static Map<String, Object> history(List<HistoryEntry> history) {
        return Map.of("history", JsonShapes.history(history));
    }

    static Map<String, Object> paths(List<Path> created) {
        return Map.of("created", created.stream().map(Path::toString).toList());
    }

    static Map<String, Object> fleetStatus(FleetStatus status) {
        List<Map<String, Object>> tenants = new ArrayList<>();
        for (FleetStatus.TenantStatus tenant : status.tenants()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tenant", tenant.tenant());
            entry.put("schema", tenant.schema());
            Map<String, Object> modules = new LinkedHashMap<>();
            tenant.current().forEach((module, version) -> modules.put(module,
                    version.map(JsonShapes::version).orElse(null)));
            entry.put("modules", modules);
            entry.put("state", tenant.state().id());
            entry.put("pending", tenant.pending());
            entry.put("current", tenant.isCurrent());
            entry.put("problems", JsonShapes.problems(tenant.problems()));
            entry.put("error", tenant.error().orElse(null));
            tenants.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("modules", status.modules());
        json.put("tenants", tenants);
        json.put("versions", status.countsPerVersion());
        return json;
    }

    static Map<String, Object> fleetResult(FleetResult result) {
        List<Map<String, Object>> tenants = result.outcomes().stream().map(FleetJsonShapes::outcome).toList();
        Map<String, Object> counts = new LinkedHashMap<>();
        for (TenantOutcome.State state : TenantOutcome.State.values()) {
            counts.put(state.id(), result.count(state));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", result.runId());
        json.put("command", result.command().id());
        json.put("dry_run", result.dryRun());
        json.put("duration_ms", result.duration().toMillis());
        json.put("counts", counts);
        json.put("stop_reason", result.stopReason().orElse(null));
        json.put("tenants", tenants);
        return json;
    }

    static Map<String, Object> fleetRuns(List<RunSummary> runs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (RunSummary run : runs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("run", run.id());
            entry.put("command", run.spec().command().id());
            entry.put("target", run.spec().target().toString());
            entry.put("dry_run", run.spec().dryRun());
            entry.put("state", run.state());
            entry.put("created_by", run.createdBy());
            entry.put("started_at", run.startedAt().toString());
            entry.put("finished_at", run.finishedAt().map(Object::toString).orElse(null));
            entry.put("tenants", run.tenants());
            entry.put("done", run.done());
            entry.put("failed", run.failed());
            entry.put("skipped", run.skipped());
            entry.put("pending", run.pending());
            entry.put("running", run.running());
            list.add(entry);
        }
        return Map.of("runs", list);
    }

    // ------------------------------------------------------------------ text

    static String created(List<Path> created) {
        StringBuilder text = new StringBuilder();
        created.forEach(path -> text.append("Created ").append(path).append('\n'));
        return text.toString();
    }

    static String statusTable(String target, Status status) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MODULE", "CURRENT", "APPLIED", "PENDING", "STATE"});
        for (ModuleStatus module : status.modules()) {
            rows.add(new String[] {module.module(), module.current().map(String::valueOf).orElse("-"),
                    String.valueOf(module.applied().size()), String.valueOf(module.pending().size() + module.pendingRepeatables().size()), state(module)});
        }
        StringBuilder text = new StringBuilder("Target ").append(target).append(", schema ").append(status.schema())
                .append("\n\n").append(table(rows));
        if (!status.problems().isEmpty()) {
            text.append("\nProblems (").append(status.problems().size()).append("):\n");
            status.problems().forEach(p -> text.append("  - ").append(Flags.problem(p)).append('\n'));
        }
        return text.toString();
    }

    /** Problems a module's STATE names in words of its own. */
    private static final java.util.Set<String> SAID = java.util.Set.of(Problem.FAILED_MIGRATION,
            Problem.CHECKSUM_MISMATCH, Problem.MISSING_APPLIED);

    private static String state(ModuleStatus module) {
        List<String> parts = new ArrayList<>();
        if (!module.failed().isEmpty()) {
            parts.add("FAILED " + module.failed() + ": repair needed");
        }
        if (!module.changed().isEmpty()) {
            parts.add("changed since applied " + module.changed());
        }
        if (!module.missing().isEmpty()) {
            parts.add("missing from sources " + module.missing());
        }
        // The problems the words above do not already say (a renamed file, a script that does not parse): by code,
        // so that no module with a problem reads "up to date"; the Problems list below the table says where.
        List<String> unsaid = module.problems().stream().map(Problem::code).filter(code -> !SAID.contains(code))
                .toList();
        if (!unsaid.isEmpty()) {
            parts.add(0, Counts.of(unsaid.size(), "problem") + " (" + String.join(", ", unsaid.stream().distinct()
                    .toList()) + ")");
        }
        if (!module.pending().isEmpty()) {
            parts.add("pending " + module.pending());
        }
        return parts.isEmpty() ? "up to date" : String.join("; ", parts);
    }

    static String result(Result result) {
        StringBuilder text = new StringBuilder();
        String verb = result.direction() == dev.gearshift.Direction.UP ? "Applied" : "Reverted";
        if (result.applied().isEmpty()) {
            text.append("Nothing to do: ").append(result.direction() == dev.gearshift.Direction.UP
                    ? "no pending migrations" : "nothing to revert").append('\n');
        } else {
            long total = result.applied().stream().mapToLong(a -> a.duration().toMillis()).sum();
            text.append(result.dryRun() ? "Dry run (rolled back): would have " + verb.toLowerCase() : verb)
                    .append(' ').append(Counts.of(result.applied().size(), "migration")).append(" in ").append(total)
                    .append(" ms\n");
            List<String[]> rows = new ArrayList<>();
            for (Result.Applied applied : result.applied()) {
                rows.add(new String[] {"  " + applied.id(),
                        applied.executed() ? applied.duration().toMillis() + " ms" : "not executed"});
            }
            text.append(table(rows));
        }
        return text.append(notes(result.notes())).toString();
    }

    static String notes(List<String> notes) {
        StringBuilder text = new StringBuilder();
        notes.forEach(note -> text.append("Note: ").append(note).append('\n'));
        return text.toString();
    }

    static String repairText(Repair repair) {
        if (repair.isEmpty()) {
            return "Nothing to repair: no failed migrations, and no applied migration was edited\n";
        }
        StringBuilder text = new StringBuilder();
        if (!repair.cleared().isEmpty()) {
            text.append("Cleared ").append(Counts.of(repair.cleared().size(), "failed migration")).append(": ")
                    .append(String.join(", ", repair.cleared())).append("; the next `gearshift up` runs ")
                    .append(repair.cleared().size() == 1 ? "it" : "them").append(" again\n");
        }
        if (!repair.realigned().isEmpty()) {
            text.append("Realigned the recorded checksum of ").append(Counts.of(repair.realigned().size(),
                    "edited applied migration")).append(" with ").append(repair.realigned().size() == 1 ? "its file"
                    : "their files").append(":\n");
            List<String[]> rows = new ArrayList<>();
            for (Repair.Realigned migration : repair.realigned()) {
                rows.add(new String[] {"  " + migration.id(), shortChecksum(migration.previousChecksum()) + " -> "
                        + shortChecksum(migration.checksum()), migration.location()});
            }
            text.append(table(rows));
        }
        if (!repair.droppedIndexes().isEmpty()) {
            text.append("Dropped ").append(Counts.of(repair.droppedIndexes().size(), "invalid index",
                    "invalid indexes")).append(": ").append(String.join(", ", repair.droppedIndexes())).append('\n');
        }
        if (!repair.invalidIndexes().isEmpty()) {
            text.append("Found ").append(Counts.of(repair.invalidIndexes().size(), "invalid index",
                    "invalid indexes")).append(", left by a failed concurrent build: ")
                    .append(String.join(", ", repair.invalidIndexes())).append("; they block building ")
                    .append(repair.invalidIndexes().size() == 1 ? "it" : "them").append(" again. Check that no one"
                    + " is building them right now, then run `gearshift repair --drop-invalid-indexes`\n");
        }
        return text.toString();
    }

    private static String shortChecksum(String checksum) {
        return checksum.length() > 12 ? checksum.substring(0, 12) : checksum;
    }

    static String planSql(Plan plan) {
        if (plan.isEmpty()) {
            return "-- Nothing to " + plan.direction().id() + ".\n";
        }
        StringBuilder text = new StringBuilder();
        for (Plan.Step step : plan.steps()) {
            text.append("-- ").append(step.id()).append(" (").append(plan.direction().id()).append(", ")
                    .append(step.transactional() ? "in a transaction" : "outside a transaction").append(") from ")
                    .append(step.location()).append('\n');
            text.append(step.sql() == null ? "-- Java migration: code, no SQL to show\n"
                    : step.sql().endsWith("\n") ? step.sql() : step.sql() + "\n");
            text.append('\n');
        }
        return text.toString();
    }

    static String verificationText(Verification verification) {
        if (verification.checks().isEmpty()) {
            return "No verify scripts for applied migrations\n";
        }
        StringBuilder text = new StringBuilder();
        for (Verification.Check check : verification.checks()) {
            text.append(check.passed() ? "  ok     " : "  FAILED ")
                    .append(Version.migrationId(check.module(), check.version(), check.name()));
            if (!check.passed()) {
                text.append("\n         ").append(check.message().replace("\n", "\n         "));
            }
            text.append('\n');
        }
        long failed = verification.checks().stream().filter(c -> !c.passed()).count();
        int total = verification.checks().size();
        text.append(failed == 0 ? Counts.word(total, "", "All ") + Counts.of(total, "verify script") + " passed\n"
                : failed + " of " + Counts.of(total, "verify script") + " failed\n");
        return text.toString();
    }

    static String historyTable(List<HistoryEntry> history) {
        if (history.isEmpty()) {
            return "No history: nothing was migrated here yet\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "MIGRATION", "ACTION", "OUTCOME", "BY", "AT (UTC)", "MS"});
        for (HistoryEntry entry : history) {
            rows.add(new String[] {String.valueOf(entry.id()), entry.migrationId(),
                    entry.action(), entry.outcome(), entry.installedBy(),
                    entry.installedAt() == null ? "" : TIME.format(entry.installedAt()),
                    String.valueOf(entry.duration().toMillis())});
        }
        return table(rows);
    }

    static String fleetStatusTable(FleetStatus status) {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("TENANT", "SCHEMA"));
        header.addAll(status.modules());
        header.addAll(List.of("PENDING", "STATE"));
        rows.add(header.toArray(String[]::new));
        for (FleetStatus.TenantStatus tenant : status.tenants()) {
            List<String> row = new ArrayList<>(List.of(tenant.tenant(), tenant.schema()));
            for (String module : status.modules()) {
                row.add(tenant.current().getOrDefault(module, java.util.Optional.empty()).map(String::valueOf).orElse("-"));
            }
            row.add(String.valueOf(tenant.pending()));
            row.add(tenant.state() == FleetStatus.State.PROBLEMS && !tenant.problems().isEmpty()
                    ? Counts.of(tenant.problems().size(), "problem") : tenant.state().id());
            rows.add(row.toArray(String[]::new));
        }
        StringBuilder text = new StringBuilder(table(rows)).append('\n');
        long current = status.tenants().stream().filter(FleetStatus.TenantStatus::isCurrent).count();
        text.append(Counts.of(status.tenants().size(), "tenant")).append(", ").append(current).append(" current");
        int unreachable = status.countsPerState().get(FleetStatus.State.UNREACHABLE);
        text.append(unreachable > 0 ? ", " + unreachable + " unreachable\n" : "\n");
        status.countsPerVersion().forEach((module, versions) -> {
            text.append("  ").append(module).append(": ");
            List<String> parts = new ArrayList<>();
            versions.forEach((version, count) -> parts.add("version " + version + " x" + count));
            text.append(String.join(", ", parts)).append('\n');
        });
        // The STATE column only counts a tenant's problems: what they are is the reason to look.
        List<String[]> problems = new ArrayList<>();
        for (FleetStatus.TenantStatus tenant : status.tenants()) {
            tenant.problems().forEach(p -> problems.add(new String[] {"  " + tenant.tenant(), p.code(),
                    Flags.problem(p).lines().findFirst().orElse("")}));
        }
        if (!problems.isEmpty()) {
            text.append("\nProblems (").append(problems.size()).append("):\n").append(table(problems));
        }
        List<String[]> unread = new ArrayList<>();
        for (FleetStatus.TenantStatus tenant : status.tenants()) {
            tenant.error().ifPresent(e -> unread.add(new String[] {"  " + tenant.tenant(), tenant.state().id(),
                    e.lines().findFirst().orElse("")}));
        }
        if (!unread.isEmpty()) {
            text.append("\nNot read (").append(unread.size()).append("):\n").append(table(unread));
        }
        return text.toString();
    }

    static String fleetSummary(FleetResult result) {
        StringBuilder text = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TENANT", "SCHEMA", "STATE", "MIGRATIONS", "MS", "MESSAGE"});
        for (TenantOutcome outcome : result.outcomes()) {
            if (outcome.state() == TenantOutcome.State.DONE && result.outcomes().size() > 50) {
                continue;
            }
            rows.add(new String[] {outcome.tenant(), outcome.schema(), outcome.state().id(),
                    String.valueOf(outcome.migrations()), String.valueOf(outcome.duration().toMillis()),
                    outcome.message().lines().findFirst().orElse("")});
        }
        if (rows.size() > 1) {
            text.append(table(rows)).append('\n');
        }
        text.append("Fleet ").append(result.command().id()).append(" run ").append(result.runId()).append(": ")
                .append(result.count(TenantOutcome.State.DONE)).append(" done, ")
                .append(result.count(TenantOutcome.State.FAILED)).append(" failed, ")
                .append(result.count(TenantOutcome.State.SKIPPED)).append(" skipped of ")
                .append(Counts.of(result.outcomes().size(), "tenant")).append(" in ")
                .append(String.format("%.1f s", result.duration().toMillis() / 1000.0)).append('\n');
        if (result.dryRun()) {
            // "done" above means the tenant's migrations ran; this line must leave no doubt that none stayed.
            long moved = result.outcomes().stream()
                    .filter(o -> o.state() == TenantOutcome.State.DONE && o.migrations() > 0).count();
            text.append("Dry run: ").append(Counts.of(moved, "tenant")).append(" would be ")
                    .append(result.command() == FleetCommand.DOWN ? "reverted" : "migrated")
                    .append(", nothing was committed\n");
        }
        result.stopReason().ifPresent(reason -> text.append("Stopped early: ").append(reason).append('\n'));
        result.outcomes().stream().filter(o -> o.state() == TenantOutcome.State.FAILED).findFirst().ifPresent(o ->
                text.append("\nFirst failure, ").append(o.tenant()).append(":\n  ")
                        .append(o.message().replace("\n", "\n  ")).append('\n'));
        return text.toString();
    }

    static String fleetRunsTable(List<RunSummary> runs) {
        if (runs.isEmpty()) {
            return "No fleet runs recorded\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "COMMAND", "STATE", "STARTED (UTC)", "TENANTS", "DONE", "FAILED", "SKIPPED"});
        for (RunSummary run : runs) {
            rows.add(new String[] {run.id(), run.spec().command().id() + " " + run.spec().target()
                    + (run.spec().dryRun() ? " (dry run)" : ""), run.state(), TIME.format(run.startedAt()),
                    String.valueOf(run.tenants()), String.valueOf(run.done()), String.valueOf(run.failed()),
                    String.valueOf(run.skipped())});
        }
        return table(rows);
    }

    private static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
