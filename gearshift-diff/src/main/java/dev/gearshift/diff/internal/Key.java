package dev.gearshift.diff.internal;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies one object of a schema: its kind, its name, and for the kinds that live on a table (constraints,
 * triggers, policies) the table. Functions are named with their argument types, {@code f(integer, text)},
 * since overloads are different objects.
 *
 * <p>In a model of several schemas, the names of objects that live in a schema (and the table of those that
 * live on a table) are qualified ({@link Sql#qualify}); the names of schemas, columns, constraints and triggers
 * never are.
 */
public record Key(Kind kind, String table, String name) implements Comparable<Key> {

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::kind)
            .thenComparing(k -> k.table == null ? "" : k.table).thenComparing(Key::name);

    public Key {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind.onTable() != (table != null)) {
            throw new IllegalArgumentException(kind + " keys " + (kind.onTable() ? "need" : "take no") + " table");
        }
    }

    public static Key of(Kind kind, String name) {
        return new Key(kind, null, name);
    }

    public static Key on(Kind kind, String table, String name) {
        return new Key(kind, table, name);
    }

    /** The table a column, column default, constraint, trigger or policy belongs to. */
    public Key tableKey() {
        return table == null ? this : of(Kind.TABLE, table);
    }

    @Override
    public int compareTo(Key other) {
        return ORDER.compare(this, other);
    }

    /** For people: {@code table orders}, {@code constraint orders_pkey on orders}, {@code table app.orders}. */
    @Override
    public String toString() {
        return Sql.forPeople(kind.sqlName() + " " + (table == null ? name : kind == Kind.COLUMN
                || kind == Kind.COLUMN_DEFAULT ? table + "." + name : name + " on " + table));
    }
}
