package dev.gearshift.diff.internal;

import java.util.List;

/**
 * A column of a table.
 *
 * @param type         as {@code format_type} prints it: {@code character varying(20)}, {@code integer[]}
 * @param collation    a collation other than the type's default, quoted ({@code "C"}), or null
 * @param defaultValue the default expression, or null (identity and generated columns have none)
 * @param identity     {@code ALWAYS}, {@code BY DEFAULT}, or null
 * @param generated    the expression of a {@code GENERATED ALWAYS AS (...) STORED} column, or null
 * @param grants       column-level privileges
 */
public record Column(String name, String type, String collation, boolean notNull, String defaultValue,
                     String identity, String generated, String comment, List<Grant> grants) {
    public Column {
        grants = Grant.sorted(grants);
    }

    /** The type with its collation, as a column definition spells it. */
    public String typeWithCollation() {
        return collation == null ? type : type + " COLLATE " + collation;
    }

    public Column withName(String newName) {
        return new Column(newName, type, collation, notNull, defaultValue, identity, generated, comment, grants);
    }

    public Column withDefault(String newDefault) {
        return new Column(name, type, collation, notNull, newDefault, identity, generated, comment, grants);
    }

    public Column withNotNull(boolean newNotNull) {
        return new Column(name, type, collation, newNotNull, defaultValue, identity, generated, comment, grants);
    }
}
