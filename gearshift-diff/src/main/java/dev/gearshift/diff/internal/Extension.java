package dev.gearshift.diff.internal;

/**
 * An extension installed in the schema, at a version: {@code pg_trgm} 1.3 and 1.4 differ (their objects do).
 * Its member objects are the extension's, not the schema's, and are left out of the model.
 */
public record Extension(String name, String version) implements DbObject {
    @Override
    public Key key() {
        return Key.of(Kind.EXTENSION, name);
    }

    @Override
    public String comment() {
        return null;
    }

    /**
     * True when {@code other} is an older version: PostgreSQL's extensions ship update scripts forward only.
     * Versions compare part by part, numbers as numbers ({@code 1.10} after {@code 1.9}).
     */
    public boolean newerThan(Extension other) {
        String[] mine = version.split("[.]");
        String[] theirs = other.version.split("[.]");
        for (int i = 0; i < Math.min(mine.length, theirs.length); i++) {
            int order = mine[i].matches("\\d{1,9}") && theirs[i].matches("\\d{1,9}")
                    ? Integer.compare(Integer.parseInt(mine[i]), Integer.parseInt(theirs[i]))
                    : mine[i].compareTo(theirs[i]);
            if (order != 0) {
                return order > 0;
            }
        }
        return mine.length > theirs.length;
    }
}
