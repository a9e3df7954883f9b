package dev.gearshift.internal.model;

import dev.gearshift.Problem;
import java.util.List;
import java.util.Optional;

/**
 * Every module with its migrations, in dependency order, and what was wrong with the sources.
 */
public record MigrationSet(List<Module> modules, List<Problem> problems) {

    public MigrationSet {
        modules = List.copyOf(modules);
        problems = List.copyOf(problems);
    }

    public Optional<Module> module(String name) {
        return modules.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<Migration> migration(String module, long version) {
        return module(module).flatMap(m -> m.migrations().stream().filter(x -> x.version() == version).findFirst());
    }
}
