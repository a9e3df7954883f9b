package dev.gearshift.diff.internal;

/**
 * An index that is not the index of a constraint (those come with their constraint).
 *
 * @param definition the complete {@code CREATE INDEX} statement as PostgreSQL prints it, the table not
 *                   schema-qualified: unique, method, columns or expressions, INCLUDE, WHERE
 */
public record Index(String name, String table, String definition, String comment) implements DbObject {
    @Override
    public Key key() {
        return Key.of(Kind.INDEX, name);
    }
}
