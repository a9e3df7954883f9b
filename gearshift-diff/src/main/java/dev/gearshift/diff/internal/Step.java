package dev.gearshift.diff.internal;

/**
 * One statement of a migration.
 *
 * @param key         the object it is about
 * @param sql         the statement, without its semicolon
 * @param destructive true when it drops something for good or may lose data
 * @param reason      for a destructive step, what is lost ({@code "drops column orders.note and its data"})
 */
public record Step(Key key, String sql, boolean destructive, String reason) {

    static Step of(Key key, String sql) {
        return new Step(key, sql, false, null);
    }

    static Step destructive(Key key, String sql, String reason) {
        return new Step(key, sql, true, reason);
    }
}
