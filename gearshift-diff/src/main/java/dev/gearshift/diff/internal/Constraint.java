package dev.gearshift.diff.internal;

/**
 * A table constraint: primary key, unique, foreign key (with its actions), check or exclusion.
 *
 * @param type       {@code p}, {@code u}, {@code f}, {@code c} or {@code x}, as in {@code pg_constraint.contype}
 * @param definition as {@code pg_get_constraintdef} prints it: {@code FOREIGN KEY (a) REFERENCES t(id) ON DELETE
 *                   CASCADE}
 */
public record Constraint(String table, String name, String type, String definition, String comment)
        implements DbObject {
    @Override
    public Key key() {
        return Key.on(Kind.CONSTRAINT, table, name);
    }

    public boolean foreignKey() {
        return type.equals("f");
    }
}
