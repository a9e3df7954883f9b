package dev.gearshift;

/**
 * Stable error codes. The CLI maps each to a documented exit code; the JSON output and the
 * HTTP service report {@link #id()}.
 */
public enum ErrorCode {
    /** A command line or API call that makes no sense (unknown module, conflicting options). */
    USAGE("usage", 2),
    /** Migration sources or history that do not validate: nothing was run. */
    VALIDATION("validation", 2),
    /** A script that cannot be split into statements (unterminated quote, comment, COPY block). */
    SCRIPT_SYNTAX("script-syntax", 2),
    /** A statement failed while migrating; the failing migration was rolled back or marked failed. */
    MIGRATION_FAILED("migration-failed", 1),
    /** A verify script found the database not as expected. */
    VERIFY_FAILED("verify-failed", 1),
    /** Another migrator held the lock longer than the lock timeout. */
    LOCK_TIMEOUT("lock-timeout", 3),
    /**
     * Another migrator wrote to the history while this run held the lock, so this run no longer holds it and
     * stopped; its migration in flight did not commit.
     */
    LOCK_LOST("lock-lost", 3),
    /** Running application instances hold the shared lock, so migrating is refused. */
    LOCKED_BY_APPLICATION("locked-by-application", 3),
    /** The database could not be reached or refused the login. */
    CONNECTION("connection", 4),
    /** A bug in Gearshift itself. */
    INTERNAL("internal", 70);

    private final String id;
    private final int exitCode;

    ErrorCode(String id, int exitCode) {
        this.id = id;
        this.exitCode = exitCode;
    }

    public String id() {
        return id;
    }

    public int exitCode() {
        return exitCode;
    }
}
