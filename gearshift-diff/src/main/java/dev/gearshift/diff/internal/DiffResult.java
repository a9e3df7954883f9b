package dev.gearshift.diff.internal;

import java.util.List;

/**
 * What it takes to turn one model into another.
 *
 * @param parts       the statements, in the order they must run, in parts that each run in one transaction or
 *                    outside any
 * @param differences every object that differs, by key
 * @param warnings    what a person should check: statements that may fail on existing data, dependency cycles
 */
public record DiffResult(List<Part> parts, List<Difference> differences, List<String> warnings) {
    public DiffResult {
        parts = List.copyOf(parts);
        differences = List.copyOf(differences);
        warnings = List.copyOf(warnings);
    }

    /**
     * Statements that run together.
     *
     * @param transactional true: in one transaction; false: each statement on its own ({@code CONCURRENTLY},
     *                      {@code VALIDATE CONSTRAINT} after the constraint's lock was released)
     * @param after         the model once this part has run
     */
    public record Part(boolean transactional, List<Step> steps, Model after) {
        public Part {
            steps = List.copyOf(steps);
        }
    }

    /** Every statement, part after part. */
    public List<Step> steps() {
        return parts.stream().flatMap(p -> p.steps().stream()).toList();
    }
}
