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
    private final List<Result.Applied> completed;

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
                               List<Result.Applied> completed) {
        super(message, cause);
        this.code = code;
        this.problems = List.copyOf(problems);
        this.completed = List.copyOf(completed);
    }

    /**
     * This failure, saying also which migrations of the run committed before it: a run that fails at its third
     * migration keeps the first two, and whoever reports the failure should count them.
     */
    public GearshiftException afterCompleting(List<Result.Applied> completed) {
        GearshiftException copy = new GearshiftException(code, getMessage(), problems, getCause(), completed);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** The migrations of the failed run that committed before the failure, in order; empty when none did. */
    public List<Result.Applied> completed() {
        return completed;
    }

    /** Validation failure listing every problem found. */
    public static GearshiftException invalid(List<Problem> problems) {
        StringBuilder message = new StringBuilder(problems.size() == 1
                ? "1 problem found, nothing was changed:"
                : problems.size() + " problems found, nothing was changed:");
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
}
