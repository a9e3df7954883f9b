package dev.gearshift;

import java.util.List;
import java.util.Optional;

/**
 * Every module's state in one target, and the problems validation would report.
 *
 * @param schema   the target schema
 * @param modules  one entry per module, in dependency order
 * @param problems what {@code validate} would complain about; empty when all is well
 */
public record Status(String schema, List<ModuleStatus> modules, List<Problem> problems) {

    public Status {
        modules = List.copyOf(modules);
        problems = List.copyOf(problems);
    }

    public Optional<ModuleStatus> module(String name) {
        return modules.stream().filter(m -> m.module().equals(name)).findFirst();
    }

    public boolean isCurrent() {
        return problems.isEmpty() && modules.stream().allMatch(ModuleStatus::isCurrent);
    }
}
