package dev.gearshift;

import java.util.List;
import java.util.Optional;

/**
 * Every module's state in one target, and the problems validation would report.
 *
 * @param schema   the target schema
 * @param modules  one entry per module, in dependency order
 * @param problems what stands in the way of {@code up}; empty when all is well. {@code validate} also reports the
 *                 problems of down and verify scripts, which only {@code down} and {@code verify} need
 * @param notes    worth knowing, but not a problem: scripts with only comments, which run as no-ops
 */
public record Status(String schema, List<ModuleStatus> modules, List<Problem> problems, List<String> notes) {

    public Status {
        modules = List.copyOf(modules);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public Status(String schema, List<ModuleStatus> modules, List<Problem> problems) {
        this(schema, modules, problems, List.of());
    }

    public Optional<ModuleStatus> module(String name) {
        return modules.stream().filter(m -> m.module().equals(name)).findFirst();
    }

    public boolean isCurrent() {
        return problems.isEmpty() && modules.stream().allMatch(ModuleStatus::isCurrent);
    }
}
