package dev.gearshift.internal.model;

import dev.gearshift.Problem;
import dev.gearshift.Version;
import java.util.List;
import java.util.Optional;

/**
 * Every module with its migrations, in dependency order, and what was wrong with the sources.
 */
public record MigrationSet(List<Module> modules, List<Problem> problems, java.util.Set<String> unreadable,
                           java.util.Map<Problem, String> owners, java.util.Map<String, Long> majors,
                           java.util.Map<String, String> majorTables, String flywayTable,
                           String sqitchRegistry) {

    /** Flyway's history table when the project names no other. */
    public static final String FLYWAY_TABLE = "flyway_schema_history";
    /** Sqitch's registry schema when the project's sqitch.conf names no other. */
    public static final String SQITCH_REGISTRY = "sqitch";

    public MigrationSet(List<Module> modules, List<Problem> problems, java.util.Set<String> unreadable,
                        java.util.Map<Problem, String> owners) {
        this(modules, problems, unreadable, owners, java.util.Map.of(), java.util.Map.of(), FLYWAY_TABLE, SQITCH_REGISTRY);
    }

    /**
     * @param unreadable {@code module/version} of migrations whose files exist but could not be used (already
     *                   reported in {@code problems}): not to be reported again as missing
     * @param owners     the module each problem found in a module's folder belongs to; the others (gearshift.yaml,
     *                   files beside the module folders) belong to none
     * @param majors     for each major-patch module, its latest major: the module's migrations are that major's
     *                   base (version {@code M}) and patches ({@code M.P}); older majors are history
     * @param majorTables   the major-patch modules that name a table recording their major (gearshift.yaml's
     *                      {@code major_table}), and its name
     * @param flywayTable   Flyway's history table in this project (a flyway.conf's {@code flyway.table})
     * @param sqitchRegistry Sqitch's registry schema in this project (a sqitch.conf's {@code registry})
     */
    public MigrationSet {
        modules = List.copyOf(modules);
        problems = List.copyOf(problems);
        unreadable = java.util.Set.copyOf(unreadable);
        owners = java.util.Map.copyOf(owners);
        majors = java.util.Map.copyOf(majors);
        majorTables = java.util.Map.copyOf(majorTables);
    }

    public Optional<String> moduleOf(Problem problem) {
        return Optional.ofNullable(owners.get(problem));
    }

    public boolean isUnreadable(String module, Version version) {
        return unreadable.contains(module + "/" + version);
    }

    public Optional<Module> module(String name) {
        return modules.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public Optional<Migration> migration(String module, Version version) {
        return module(module).flatMap(m -> m.migrations().stream()
                .filter(x -> x.version().equals(Optional.of(version))).findFirst());
    }

    /** The repeatable migration of a module with that name. */
    public Optional<Migration> repeatable(String module, String name) {
        return module(module).flatMap(m -> m.migrations().stream()
                .filter(x -> x.isRepeatable() && x.name().equals(name)).findFirst());
    }
}
