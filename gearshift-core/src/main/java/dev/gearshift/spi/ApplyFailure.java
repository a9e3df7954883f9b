package dev.gearshift.spi;

import java.util.List;

/**
 * A {@link Change} that a store could not apply, with what a person needs to know: where, why in the database's
 * own words, and what became of it. The engine turns it into a message and decides whether to try again.
 *
 * @param kind        what went wrong
 * @param where       {@code file:line:column} of the failing statement, or the migration's location
 * @param statement   the failing statement's first line, or null (code, or no statement at fault)
 * @param reason      the database's own explanation (message, detail, hint, error code)
 * @param blockers    for {@link Kind#LOCK_WAIT}, the sessions it waited for, each described for a person
 */
public final class ApplyFailure extends Exception {

    /** What went wrong, as far as what happens next depends on it. */
    public enum Kind {
        /** A statement or the migration's code failed. */
        STATEMENT,
        /** A statement gave up waiting for another session's lock: run again, it may succeed. */
        LOCK_WAIT,
        /** The session is gone (server stopped, backend ended, network lost), and the migration lock with it. */
        CONNECTION_LOST,
        /** Another writer appended to the history: this run no longer holds the lock. */
        CONCURRENT_WRITER,
        /** The commit was sent and never answered: it may or may not have committed. */
        COMMIT_UNANSWERED
    }

    private final Kind kind;
    private final String where;
    private final String statement;
    private final String reason;
    private final List<String> blockers;

    public ApplyFailure(Kind kind, String where, String statement, String reason, List<String> blockers,
                        Throwable cause) {
        super(reason, cause);
        this.kind = kind;
        this.where = where;
        this.statement = statement;
        this.reason = reason;
        this.blockers = List.copyOf(blockers);
    }

    public ApplyFailure(Kind kind, String where, String reason, Throwable cause) {
        this(kind, where, null, reason, List.of(), cause);
    }

    public Kind kind() {
        return kind;
    }

    public String where() {
        return where;
    }

    public String statement() {
        return statement;
    }

    public String reason() {
        return reason;
    }

    public List<String> blockers() {
        return blockers;
    }
}
