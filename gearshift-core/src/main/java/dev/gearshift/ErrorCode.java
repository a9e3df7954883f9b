package dev.gearshift;

/**
 * Stable error codes, the same in every front end: the JSON output and the HTTP service report {@link #id()};
 * each front end decides what a code becomes (the CLI an exit code, the service an HTTP status).
 */
public enum ErrorCode {
    /** A command line or API call that makes no sense (unknown module, conflicting options). */
    USAGE("usage"),
    /** Migration sources or history that do not validate: nothing was run. */
    VALIDATION("validation"),
    /** A script that cannot be split into statements (unterminated quote, comment, COPY block). */
    SCRIPT_SYNTAX("script-syntax"),
    /** A statement failed while migrating; the failing migration was rolled back or marked failed. */
    MIGRATION_FAILED("migration-failed"),
    /** A verify script found the database not as expected. */
    VERIFY_FAILED("verify-failed"),
    /** Another migrator held the lock longer than the lock timeout. */
    LOCK_TIMEOUT("lock-timeout"),
    /**
     * Another migrator wrote to the history while this run held the lock, so this run no longer holds it and
     * stopped; its migration in flight did not commit.
     */
    LOCK_LOST("lock-lost"),
    /** Running application instances hold the shared lock, so migrating is refused. */
    LOCKED_BY_APPLICATION("locked-by-application"),
    /** The database could not be reached or refused the login. */
    CONNECTION("connection"),
    /** A bug in Gearshift itself. */
    INTERNAL("internal");

    private final String id;

    ErrorCode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
