package dev.gearshift;

import java.util.List;

/**
 * The one exception Gearshift throws. {@link #code()} is stable and machine-readable;
 * {@link #getMessage()} is written for people: what failed, where, why, and what to do next.
 * Validation failures carry every {@link Problem} found, not just the first.
 */
public class GearshiftException extends RuntimeException {

    private final ErrorCode code;
    private final List<Problem> problems;
    private final List<Result.Applied> applied;

    public GearshiftException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public GearshiftException(ErrorCode code, String message, Throwable cause) {
        this(code, message, List.of(), cause);
    }

    public GearshiftException(ErrorCode code, String message, List<Problem> problems, Throwable cause) {
        this(code, message, problems, cause, List.of());
    }

    private GearshiftException(ErrorCode code, String message, List<Problem> problems, Throwable cause,
                               List<Result.Applied> applied) {
        super(message, cause);
        this.code = code;
        this.problems = List.copyOf(problems);
        this.applied = List.copyOf(applied);
    }

    /**
     * This failure, saying also which migrations of the run committed before it: a run that fails at its third
     * migration keeps the first two, and whoever reports the failure should count them.
     */
    public GearshiftException afterApplying(List<Result.Applied> applied) {
        GearshiftException copy = new GearshiftException(code, getMessage(), problems, getCause(), applied);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** Validation failure listing every problem found. */
    public static GearshiftException invalid(List<Problem> problems) {
        StringBuilder message = new StringBuilder(Counts.of(problems.size(), "problem")
                + " found, nothing was changed:");
        for (Problem problem : problems) {
            message.append("\n  - ").append(problem);
        }
        boolean syntaxOnly = problems.stream().allMatch(p -> p.code().equals(Problem.SCRIPT_SYNTAX));
        return new GearshiftException(syntaxOnly ? ErrorCode.SCRIPT_SYNTAX : ErrorCode.VALIDATION,
                message.toString(), problems, null);
    }

    public ErrorCode code() {
        return code;
    }

    public List<Problem> problems() {
        return problems;
    }

    /**
     * The migrations an {@code up} or {@code down} committed before it failed, in order: the database keeps them,
     * so whoever reports the failure must say so. Empty when nothing was committed (also after a single-transaction
     * or dry run, which roll back everything).
     */
    public List<Result.Applied> applied() {
        return applied;
    }
}
