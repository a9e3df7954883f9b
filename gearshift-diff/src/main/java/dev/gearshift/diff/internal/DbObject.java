package dev.gearshift.diff.internal;

/** One object of a schema model: an immutable value, equal to another exactly when the DDL would be the same. */
public sealed interface DbObject permits Schema, Extension, Collation, EnumType, Domain, CompositeType, Sequence,
        Function, Aggregate, Table,
        Constraint, Index, View, Trigger, Policy {

    Key key();

    /** {@code COMMENT ON ...}, or null. */
    String comment();

    /** Privileges held on the object, the owner's left out; none for kinds that have no privileges. */
    default java.util.List<Grant> grants() {
        return java.util.List.of();
    }
}
