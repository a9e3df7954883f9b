package dev.gearshift.diff.internal;

import java.util.List;

/**
 * {@code CREATE DOMAIN name AS baseType [COLLATE] [DEFAULT] [NOT NULL] [CONSTRAINT c CHECK (...)]...}.
 *
 * @param checks named check constraints, sorted by name
 */
public record Domain(String name, String baseType, String collation, boolean notNull, String defaultValue,
                     List<Check> checks, String comment, List<Grant> grants) implements DbObject {
    public Domain {
        checks = checks.stream().sorted(java.util.Comparator.comparing(Check::name)).toList();
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.DOMAIN, name);
    }

    /** A named constraint of a domain; {@code definition} as {@code pg_get_constraintdef} prints it. */
    public record Check(String name, String definition) {
    }
}
