package dev.gearshift.fleet;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.spi.RunStore;
import java.util.Optional;

/** What a fleet run does to every tenant, stored with the run so that workers and resumes do the same. */
public record RunSpec(FleetCommand command, Optional<String> module, Optional<Version> version, Optional<Integer> steps,
                      boolean dryRun, int canary, int maxFailures) {

    public Target target() {
        Target target = version.map(Target::version).or(() -> steps.map(Target::steps)).orElse(Target.latest());
        return target.module(module.orElse(null));
    }

    public static RunSpec of(FleetCommand command, Target target, boolean dryRun, int canary, int maxFailures) {
        return new RunSpec(command, target.module(), target.version(), target.steps(), dryRun, canary, maxFailures);
    }

    static RunSpec of(RunStore.Parameters stored) {
        return new RunSpec(FleetCommand.ofStored(stored.command()), stored.module(), stored.version().map(Version::of),
                stored.steps(), stored.dryRun(), stored.canary(), stored.maxFailures());
    }

    RunStore.Parameters parameters() {
        return new RunStore.Parameters(command.id(), module, version.map(RunSpec::storedVersion), steps, dryRun, canary,
                maxFailures);
    }

    /** The run's target version as run stores keep it: an integer, as before dotted versions. */
    private static long storedVersion(Version version) {
        if (!version.isInteger()) {
            throw new GearshiftException(ErrorCode.USAGE, "a fleet run's target version is an integer for now, got "
                    + version + "; migrate the fleet to the latest version, or by steps");
        }
        return version.longValue();
    }
}
