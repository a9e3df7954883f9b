package dev.gearshift;

import java.util.List;
import java.util.Optional;

/**
 * The state of one module in one target.
 *
 * @param module   name
 * @param current  highest applied version, empty when none is applied
 * @param applied  applied versions, ascending (baselined versions included)
 * @param pending  versions in the sources that are not applied, ascending
 * @param changed  applied versions whose script was edited after it was applied
 * @param missing  applied versions that no longer exist in the sources
 * @param failed   versions whose last attempt failed outside a transaction (need {@code repair})
 * @param pendingRepeatables names of the repeatable migrations {@code up} would run: never applied, or changed
 *                 since they last ran
 * @param problems what validation finds wrong with this module (also in {@link Status#problems()}, which adds
 *                 those of no module: gearshift.yaml, files beside the module folders)
 */
public record ModuleStatus(String module, Optional<Version> current, List<Version> applied, List<Version> pending,
                           List<Version> changed, List<Version> missing, List<Version> failed,
                           List<String> pendingRepeatables, List<Problem> problems) {

    public ModuleStatus {
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
        changed = List.copyOf(changed);
        missing = List.copyOf(missing);
        failed = List.copyOf(failed);
        pendingRepeatables = List.copyOf(pendingRepeatables);
        problems = List.copyOf(problems);
    }

    public boolean isCurrent() {
        return pending.isEmpty() && pendingRepeatables.isEmpty() && changed.isEmpty() && missing.isEmpty() && failed.isEmpty() && problems.isEmpty();
    }
}
