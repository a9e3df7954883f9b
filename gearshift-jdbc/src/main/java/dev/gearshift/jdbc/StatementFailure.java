package dev.gearshift.jdbc;

import dev.gearshift.GearshiftException;
import dev.gearshift.spi.ApplyFailure;

import dev.gearshift.spi.SqlStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalInt;

/** A statement (or Java migration) that failed, with what is needed to tell a person exactly where. */
final class StatementFailure extends Exception {

    private final String location;
    private final SqlStatement statement;

    StatementFailure(String location, SqlStatement statement, Throwable cause) {
        super(cause);
        this.location = location;
        this.statement = statement;
    }

    /** {@code file:line:column} of the error: the database's error position when it gives one. */
    String where(Dialect dialect) {
        if (statement == null) {
            return location;
        }
        int line = statement.line();
        int column = statement.column();
        OptionalInt position = getCause() instanceof SQLException sql ? dialect.errorPosition(sql) : OptionalInt.empty();
        if (position.isPresent()) {
            // The database counts characters (code points), as the parser's columns do, not Java chars.
            int[] characters = statement.sql().codePoints().toArray();
            int end = Math.min(position.getAsInt() - 1, characters.length);
            for (int i = 0; i < end; i++) {
                if (characters[i] == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
        }
        return location + ":" + line + ":" + column;
    }

    /** The database's message (or the Java exception), without the location. */
    String describe(Dialect dialect) {
        Throwable cause = getCause();
        if (cause instanceof SQLException sql) {
            return dialect.describe(sql);
        }
        if (cause instanceof GearshiftException gearshift) {
            return gearshift.getMessage();
        }
        return cause.toString();
    }

    /** True when the session itself is gone, and with it the transaction and the migration lock. */
    boolean connectionLost(Dialect dialect) {
        return getCause() instanceof SQLException sql && dialect.isConnectionLost(sql);
    }

    /** True when the statement gave up waiting for a table lock (the DDL lock wait), so it may run again. */
    boolean lockTimedOut(Dialect dialect) {
        return getCause() instanceof SQLException sql && dialect.locks().isLockTimeout(sql);
    }

    /** As the engine is told: the kind decides whether it runs again, the rest what a person reads. */
    ApplyFailure toApplyFailure(Dialect dialect, List<String> blockers) {
        ApplyFailure.Kind kind = connectionLost(dialect) ? ApplyFailure.Kind.CONNECTION_LOST
                : lockTimedOut(dialect) ? ApplyFailure.Kind.LOCK_WAIT : ApplyFailure.Kind.STATEMENT;
        return new ApplyFailure(kind, where(dialect), statement == null ? null : statement.summary(),
                describe(dialect), blockers, getCause());
    }
}
