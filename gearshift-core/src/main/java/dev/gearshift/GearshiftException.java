package dev.gearshift;

import java.util.List;
import java.util.Optional;

/**
 * The one exception Gearshift throws. {@link #code()} is stable and machine-readable;
 * {@link #getMessage()} is written for people: what failed, where, why, and what to do next.
 * Validation failures carry every {@link Problem} found, not just the first. The message names no front end's
 * option syntax: where the way out is an option, {@link #remedy()} says which, for each front end to name.
 */
public class GearshiftException extends RuntimeException {

    private final ErrorCode code;
    private final List<Problem> problems;
    private final List<Result.Applied> applied;
    private final Remedy remedy;

    public GearshiftException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public GearshiftException(ErrorCode code, String message, Throwable cause) {
        this(code, message, List.of(), cause);
    }

    /** A failure whose way out is an option: {@code message} says it in words, {@code remedy} names it. */
    public GearshiftException(ErrorCode code, String message, Remedy remedy) {
        this(code, message, remedy, null);
    }

    public GearshiftException(ErrorCode code, String message, Remedy remedy, Throwable cause) {
        this(code, message, List.of(), cause, List.of(), remedy);
    }

    public GearshiftException(ErrorCode code, String message, List<Problem> problems, Throwable cause) {
        this(code, message, problems, cause, List.of(), null);
    }

    private GearshiftException(ErrorCode code, String message, List<Problem> problems, Throwable cause,
                               List<Result.Applied> applied, Remedy remedy) {
        super(message, cause);
        this.code = code;
        this.problems = List.copyOf(problems);
        this.applied = List.copyOf(applied);
        this.remedy = remedy;
    }

    /**
     * This failure, saying also which migrations of the run committed before it: a run that fails at its third
     * migration keeps the first two, and whoever reports the failure should count them.
     */
    public GearshiftException afterApplying(List<Result.Applied> applied) {
        GearshiftException copy = new GearshiftException(code, getMessage(), problems, getCause(), applied, remedy);
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

    /** The option to turn on, change or give to get past this failure, if that is the way out. */
    public Optional<Remedy> remedy() {
        return Optional.ofNullable(remedy);
    }

    /** This failure's remedy and those of its problems, each once: what a front end names after the message. */
    public List<Remedy> remedies() {
        return java.util.stream.Stream.concat(remedy().stream(), problems.stream().flatMap(p -> p.remedy().stream()))
                .distinct().toList();
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
