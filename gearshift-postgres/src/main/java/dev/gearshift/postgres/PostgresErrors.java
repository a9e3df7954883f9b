package dev.gearshift.postgres;

import java.sql.SQLException;

/** What PostgreSQL's error codes say about a failure, for the stores of this module. */
final class PostgresErrors {

    private PostgresErrors() {
    }

    /** The database could not be reached, or refused the login (SQLSTATE classes 08 and 28). */
    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("28"));
    }
}
