package dev.gearshift.diff.internal;

import java.util.List;

/**
 * A sequence, with its options and the column that owns it ({@code serial} columns own theirs). Identity columns'
 * sequences are part of the column, not sequences of their own. The current value is data, not schema.
 */
public record Sequence(String name, String type, long start, long increment, long min, long max, long cache,
                       boolean cycle, String ownerTable, String ownerColumn, String comment, List<Grant> grants)
        implements DbObject {
    public Sequence {
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.SEQUENCE, name);
    }

    public boolean owned() {
        return ownerTable != null;
    }

    /** The same options, whatever the owner, comment and grants. */
    public boolean sameOptions(Sequence other) {
        return type.equals(other.type) && start == other.start && increment == other.increment && min == other.min
                && max == other.max && cache == other.cache && cycle == other.cycle;
    }
}
