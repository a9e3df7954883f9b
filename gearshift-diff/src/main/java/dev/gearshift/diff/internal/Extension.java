package dev.gearshift.diff.internal;

/**
 * An extension installed in the schema. Its version is not compared: it depends on the server's packages, not on
 * the migrations. Its member objects are the extension's, not the schema's, and are left out of the model.
 */
public record Extension(String name) implements DbObject {
    @Override
    public Key key() {
        return Key.of(Kind.EXTENSION, name);
    }

    @Override
    public String comment() {
        return null;
    }
}
