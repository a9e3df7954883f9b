package dev.gearshift.diff.internal;

import java.util.List;

/**
 * A function or procedure.
 *
 * @param inputTypes        the types of its input arguments ({@code integer, text}): what tells overloads apart,
 *                          names and OUT arguments do not
 * @param identityArguments the argument list DROP, GRANT and COMMENT name it with ({@code a integer, b text})
 * @param arguments         the full argument list, with modes and defaults
 * @param result            what it returns ({@code integer}, {@code SETOF t}, {@code TABLE(...)}), null for a
 *                          procedure
 * @param definition        the complete {@code CREATE OR REPLACE} statement as PostgreSQL prints it, with the
 *                          name not schema-qualified: body, language and every attribute in one comparable text
 */
public record Function(String name, String inputTypes, String identityArguments, String arguments, String result, boolean procedure,
                       String definition, String comment, List<Grant> grants) implements DbObject {
    public Function {
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.FUNCTION, name + "(" + inputTypes + ")");
    }

    /**
     * True for a SQL function whose body is a string: PostgreSQL parses it at creation, so the tables it reads
     * must exist by then, yet records no dependency on them (a {@code BEGIN ATOMIC} body does).
     */
    public boolean bodyNeedsItsTables() {
        return definition.contains(" LANGUAGE sql\n") && definition.contains("\nAS ");
    }

    /**
     * True when {@code CREATE OR REPLACE} can turn this into {@code other}: PostgreSQL refuses to change the
     * result type, parameter names or defaults, or a function into a procedure that way.
     */
    public boolean replaceableBy(Function other) {
        return procedure == other.procedure && arguments.equals(other.arguments)
                && java.util.Objects.equals(result, other.result);
    }
}
