package dev.gearshift.diff.internal;

/**
 * A trigger on a table or view.
 *
 * @param definition the {@code CREATE TRIGGER} statement as PostgreSQL prints it
 * @param enabled    {@code O} (origin, the default), {@code D} (disabled), {@code R} (replica) or {@code A} (always)
 */
public record Trigger(String table, String name, String definition, String enabled, String comment)
        implements DbObject {
    @Override
    public Key key() {
        return Key.on(Kind.TRIGGER, table, name);
    }
}
