package dev.gearshift;

/**
 * Something wrong with the migration sources or the history, found before anything runs.
 *
 * @param code     a stable identifier, one of the constants below
 * @param location where: {@code file:line[:column]}, {@code module/version}, or empty
 * @param message  what is wrong and what to do about it
 */
public record Problem(String code, String location, String message) {

    public static final String BAD_FILE_NAME = "bad-file-name";
    public static final String DUPLICATE_VERSION = "duplicate-version";
    public static final String EMPTY_MIGRATION = "empty-migration";
    public static final String INVALID_ENCODING = "invalid-encoding";
    public static final String SCRIPT_SYNTAX = "script-syntax";
    public static final String BAD_DIRECTIVE = "bad-directive";
    public static final String UNKNOWN_MODULE = "unknown-module";
    public static final String DEPENDENCY_CYCLE = "dependency-cycle";
    public static final String CHECKSUM_MISMATCH = "checksum-mismatch";
    public static final String MISSING_APPLIED = "missing-applied";
    public static final String NAME_MISMATCH = "name-mismatch";
    public static final String FAILED_MIGRATION = "failed-migration";
    public static final String MISSING_DOWN = "missing-down";
    public static final String OUT_OF_ORDER = "out-of-order";
    public static final String NEEDS_NO_TRANSACTION = "needs-no-transaction";
    public static final String TRANSACTION_CONTROL = "transaction-control";
    public static final String JAVA_COMPILE = "java-compile";
    /** A major-patch module whose database is at another major than the project's latest. */
    public static final String MAJOR_MISMATCH = "major-mismatch";
    /** A patch of a major-patch module that changes, drops or writes instead of only adding. */
    public static final String NOT_ADDITIVE = "not-additive";

    public Problem {
        location = location == null ? "" : location;
    }

    /** The option that gets past this problem, where one does; the message says it in words. */
    public java.util.Optional<Remedy> remedy() {
        return code.equals(OUT_OF_ORDER) ? java.util.Optional.of(Remedy.OUT_OF_ORDER) : java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return location.isEmpty() ? message : location + ": " + message;
    }
}
