package dev.gearshift.jdbc;

import java.sql.SQLException;

/**
 * A statement of a list given to {@link Dialect#executeAll} failed. Carries the database's own error as its
 * cause, and which statement it was, so that the failure can be shown at its line in the script.
 */
public final class FailedStatementException extends SQLException {

    private final int index;

    /** @param index 0-based position of the failing statement, or -1 when the database did not say which */
    public FailedStatementException(int index, SQLException cause) {
        super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
        this.index = index;
    }

    /** 0-based position of the failing statement in the list, or -1 when unknown. */
    public int index() {
        return index;
    }

    /** The database's error. */
    public SQLException error() {
        return (SQLException) getCause();
    }
}
