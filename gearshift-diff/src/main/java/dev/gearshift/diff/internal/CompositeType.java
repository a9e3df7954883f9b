package dev.gearshift.diff.internal;

import java.util.List;

/** {@code CREATE TYPE name AS (attributes)}: attributes are positional, so their order counts. */
public record CompositeType(String name, List<Attribute> attributes, String comment, List<Grant> grants)
        implements DbObject {
    public CompositeType {
        attributes = List.copyOf(attributes);
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.COMPOSITE_TYPE, name);
    }

    public record Attribute(String name, String type, String collation) {
    }
}
