package dev.gearshift;

import java.util.List;
import java.util.Optional;

/**
 * What {@code up} or {@code down} would run, computed before anything runs.
 *
 * @param direction up or down
 * @param steps     the migrations in the order they would run; empty when nothing is to do
 */
public record Plan(Direction direction, List<Step> steps) {

    public Plan {
        steps = List.copyOf(steps);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * One migration to run.
     *
     * @param module        module name
     * @param version       version being applied (up) or reverted (down); empty for a repeatable migration
     * @param name          descriptive name from the file name or Java class
     * @param location      the script file, or {@code java:<class>}
     * @param sql           the script text that would run (placeholders replaced), or null for Java
     * @param transactional false for {@code -- gearshift:no-transaction} migrations
     */
    public record Step(String module, Optional<Version> version, String name, String location, String sql,
                       boolean transactional) {

        public String id() {
            return Version.migrationId(module, version, name);
        }
    }
}
