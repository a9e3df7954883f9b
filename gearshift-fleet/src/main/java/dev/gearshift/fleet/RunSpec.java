package dev.gearshift.fleet;

import dev.gearshift.Target;
import dev.gearshift.Version;
import java.util.Optional;

/**
 * What a fleet run does to every tenant, stored with the run so that workers and resumes do the same.
 *
 * @param command up, down, verify or validate
 */
public record RunSpec(String command, Optional<String> module, Optional<Version> version, Optional<Integer> steps,
                      boolean dryRun, int canary, int maxFailures) {

    public Target target() {
        Target target = version.map(Target::version).or(() -> steps.map(Target::steps)).orElse(Target.latest());
        return target.module(module.orElse(null));
    }

    public static RunSpec of(String command, Target target, boolean dryRun, int canary, int maxFailures) {
        return new RunSpec(command, target.module(), target.version(), target.steps(), dryRun, canary, maxFailures);
    }
}
