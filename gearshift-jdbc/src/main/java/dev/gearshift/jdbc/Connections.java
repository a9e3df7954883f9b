package dev.gearshift.jdbc;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to the target; every failure becomes a {@code CONNECTION} error that names it safely. */
interface Connections {

    Connection open() throws SQLException;

    /** The target as it may be printed: passwords masked. */
    String display();

    /** The URL and credentials behind these connections, when known (not for a DataSource). */
    default java.util.Optional<JdbcTarget> target() {
        return java.util.Optional.empty();
    }

    default Connection connect() {
        try {
            return open();
        } catch (SQLException e) {
            throw failure(this, e);
        }
    }

    static GearshiftException failure(Connections connections, SQLException e) {
        String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
        String hint = e.getSQLState() != null && e.getSQLState().startsWith("28")
                ? "check the user name and password"
                : "check that the server runs and the host, port and database name are right";
        // A pool's timeout hides the driver's reason ("Connection refused") in its cause: show both.
        String cause = e.getCause() != null && e.getCause().getMessage() != null
                && !e.getMessage().contains(e.getCause().getMessage()) ? " (" + e.getCause().getMessage() + ")" : "";
        return new GearshiftException(ErrorCode.CONNECTION, "cannot connect to " + connections.display() + ": "
                + e.getMessage() + cause + state + "; " + hint, e);
    }
}
