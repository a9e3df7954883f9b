package dev.gearshift.diff.internal;

import java.util.List;

/** {@code CREATE TYPE name AS ENUM (labels)}: the labels in their sort order. */
public record EnumType(String name, List<String> labels, String comment, List<Grant> grants) implements DbObject {
    public EnumType {
        labels = List.copyOf(labels);
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.ENUM, name);
    }
}
