package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;

/**
 * The proof of a diff: for schemas A and B, applying diff(A, B) to a copy of A yields B, and applying
 * diff(B, A) to that brings back A. Both directions are checked again by reading the result and diffing it with
 * the expected side, which must find nothing.
 */
final class RoundTrip {

    private final Schemas schemas;
    private final boolean secondOpinion;
    private final SchemaDiff.Options options;

    /**
     * @param secondOpinion also compare {@link Schemas#snapshot}s, read through information_schema by code that is
     *                      not under test (slow: a few hundred milliseconds per schema)
     */
    RoundTrip(Schemas schemas, boolean secondOpinion) {
        this(schemas, secondOpinion, SchemaDiff.Options.DEFAULTS);
    }

    /** @param options how the diffs are written; their parts run as they declare, each checked on its own */
    RoundTrip(Schemas schemas, boolean secondOpinion, SchemaDiff.Options options) {
        this.schemas = schemas;
        this.secondOpinion = secondOpinion;
        this.options = options;
    }

    /** Runs the round trip; returns the up changes for further assertions. */
    SchemaChanges check(String sqlA, String sqlB) throws SQLException {
        return check(sqlA, sqlB, List.of());
    }

    SchemaChanges check(String sqlA, String sqlB, List<Rename> renames) throws SQLException {
        String a = schemas.load(sqlA);
        String b = schemas.load(sqlB);
        String c = schemas.load(sqlA);
        try {
            SchemaModel modelA = schemas.read(a);
            SchemaModel modelB = schemas.read(b);
            assertThat(modelA.unsupported()).as("unsupported in A").isEmpty();
            assertThat(modelB.unsupported()).as("unsupported in B").isEmpty();
            assertThat(schemas.read(c)).as("A loaded twice reads the same").isEqualTo(modelA);

            SchemaChanges up = SchemaDiff.between(modelA, modelB, renames, options);
            apply(c, up);
            assertSame(schemas.read(c), modelB, "A + diff(A, B) should be B; diff(A, B) was:\n" + up.sql());
            if (secondOpinion) {
                assertThat(schemas.snapshot(c)).as("information_schema of A + diff(A, B)")
                        .isEqualTo(schemas.snapshot(b));
            }

            SchemaChanges down = SchemaDiff.between(modelB, modelA, renames.stream().map(Rename::reversed).toList(),
                    options);
            apply(c, down);
            assertSame(schemas.read(c), modelA, "B + diff(B, A) should be A; diff(B, A) was:\n" + down.sql());
            if (secondOpinion) {
                assertThat(schemas.snapshot(c)).as("information_schema of B + diff(B, A)")
                        .isEqualTo(schemas.snapshot(a));
            }
            return up;
        } finally {
            schemas.drop(List.of(a, b, c));
        }
    }

    /** Runs the parts one after the other; after each but the last, the schema is what the part says it leaves. */
    private void apply(String schema, SchemaChanges changes) throws SQLException {
        for (SchemaChanges.Part part : changes.parts()) {
            schemas.run(schema, part);
            if (part != changes.parts().get(changes.parts().size() - 1)) {
                assertSame(schemas.read(schema), part.after(), "after a part of the diff, the schema should be what"
                        + " the part says it leaves; the diff was:\n" + changes.sql());
            }
        }
    }

    private static void assertSame(SchemaModel actual, SchemaModel expected, String context) {
        SchemaChanges left = SchemaDiff.between(actual, expected);
        assertThat(left.differences()).as(context + "\nstill to do:\n" + left.sql() + "\ndifferences:\n"
                + left.differences().stream().map(d -> d + "\n  actual:   " + d.fromDdl() + "\n  expected: " + d.toDdl())
                .reduce("", (x, y) -> x + y + "\n")).isEmpty();
        assertThat(actual).isEqualTo(expected);
    }
}
