package dev.gearshift;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a run did.
 *
 * @param direction up or down
 * @param dryRun    true when everything was rolled back at the end
 * @param applied   the migrations that ran (and, unless dry run, are now recorded), in order
 * @param notes     things a person should know: migrations a dry run could not execute, and why; scripts that
 *                  held only comments
 */
public record Result(Direction direction, boolean dryRun, List<Applied> applied, List<String> notes) {

    public Result {
        applied = List.copyOf(applied);
        notes = List.copyOf(notes);
    }

    /**
     * One migration that ran.
     *
     * @param version empty for a repeatable migration
     */
    public record Applied(String module, Optional<Version> version, String name, Duration duration,
                          boolean executed) {

        public String id() {
            return Version.migrationId(module, version, name);
        }
    }
}
