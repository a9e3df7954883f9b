package dev.gearshift.diff.internal;

import java.util.List;

/**
 * A schema of a model of several schemas, with its comment and privileges (its owner is not compared, as no
 * object's is). Its name is never qualified.
 */
public record Schema(String name, String comment, List<Grant> grants) implements DbObject {
    public Schema {
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.SCHEMA, name);
    }
}
