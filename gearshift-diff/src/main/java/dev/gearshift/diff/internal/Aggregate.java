package dev.gearshift.diff.internal;

import java.util.List;

/**
 * An aggregate. PostgreSQL prints no definition of one ({@code pg_get_functiondef} refuses aggregates), so the
 * reader builds its {@code CREATE OR REPLACE AGGREGATE} from {@code pg_aggregate}: state and final functions, state
 * type, initial condition, combine and serialization functions, moving-aggregate options, sort operator, kind
 * (ordered-set, hypothetical) and parallel safety.
 *
 * @param inputTypes        the types of its arguments, as for functions: what tells overloads apart (an aggregate
 *                          and a function share one namespace, so an aggregate's key names it like a function's)
 * @param identityArguments how DROP, GRANT and COMMENT name it ({@code text}, {@code float8 ORDER BY anyelement})
 * @param result            its result type ({@code text})
 * @param definition        the complete statement, every option in one comparable text
 */
public record Aggregate(String name, String inputTypes, String identityArguments, String result, String definition,
                        String comment, List<Grant> grants) implements DbObject {
    public Aggregate {
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.AGGREGATE, name + "(" + inputTypes + ")");
    }

    /**
     * {@code CREATE OR REPLACE AGGREGATE} keeps the kind of aggregate, its argument list and its result type: an
     * ordered-set aggregate cannot become a plain one in place.
     */
    public boolean replaceableBy(Aggregate other) {
        return identityArguments.equals(other.identityArguments) && orderedSet() == other.orderedSet()
                && result.equals(other.result);
    }

    private boolean orderedSet() {
        return identityArguments.contains("ORDER BY");
    }
}
