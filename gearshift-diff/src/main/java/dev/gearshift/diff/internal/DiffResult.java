package dev.gearshift.diff.internal;

import java.util.List;

/**
 * What it takes to turn one model into another.
 *
 * @param steps       the statements, in the order they must run
 * @param differences every object that differs, by key
 * @param warnings    what a person should check: statements that may fail on existing data, dependency cycles
 */
public record DiffResult(List<Step> steps, List<Difference> differences, List<String> warnings) {
    public DiffResult {
        steps = List.copyOf(steps);
        differences = List.copyOf(differences);
        warnings = List.copyOf(warnings);
    }
}
