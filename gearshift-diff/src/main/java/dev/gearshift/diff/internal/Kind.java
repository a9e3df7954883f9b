package dev.gearshift.diff.internal;

/**
 * The kinds of schema objects, in the order they are created when nothing else decides (a type before the
 * table that uses it, a table before its constraints and indexes, views after tables).
 */
public enum Kind {
    /** Only in models of several schemas: a one-schema model is the inside of its schema. */
    SCHEMA("schema"),
    EXTENSION("extension"),
    COLLATION("collation"),
    ENUM("type"),
    DOMAIN("domain"),
    COMPOSITE_TYPE("type"),
    SEQUENCE("sequence"),
    FUNCTION("function"),
    AGGREGATE("aggregate"),
    TABLE("table"),
    CONSTRAINT("constraint"),
    INDEX("index"),
    VIEW("view"),
    MATERIALIZED_VIEW("materialized view"),
    TRIGGER("trigger"),
    POLICY("policy"),
    /** Only in dependencies: a column of a table (its type), so a view can depend on one column. */
    COLUMN("column"),
    /** Only in dependencies: the default expression of a column (it may call a function or a sequence). */
    COLUMN_DEFAULT("column default");

    private final String sqlName;

    Kind(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The name SQL uses for the kind: {@code DROP <sqlName>}, {@code COMMENT ON <sqlName>}. */
    public String sqlName() {
        return sqlName;
    }

    /** True for the kinds that live on a table (their key names the table). */
    public boolean onTable() {
        return this == CONSTRAINT || this == TRIGGER || this == POLICY || this == COLUMN || this == COLUMN_DEFAULT;
    }

    public boolean isType() {
        return this == ENUM || this == DOMAIN || this == COMPOSITE_TYPE;
    }
}
