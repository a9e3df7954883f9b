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

    /**
     * @param secondOpinion also compare {@link Schemas#snapshot}s, read through information_schema by code that is
     *                      not under test (slow: a few hundred milliseconds per schema)
     */
    RoundTrip(Schemas schemas, boolean secondOpinion) {
        this.schemas = schemas;
        this.secondOpinion = secondOpinion;
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

            SchemaChanges up = SchemaDiff.between(modelA, modelB, renames);
            schemas.run(c, up.sql());
            assertSame(schemas.read(c), modelB, "A + diff(A, B) should be B; diff(A, B) was:\n" + up.sql());
            if (secondOpinion) {
                assertThat(schemas.snapshot(c)).as("information_schema of A + diff(A, B)")
                        .isEqualTo(schemas.snapshot(b));
            }

            SchemaChanges down = SchemaDiff.between(modelB, modelA, renames.stream().map(Rename::reversed).toList());
            schemas.run(c, down.sql());
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

    private static void assertSame(SchemaModel actual, SchemaModel expected, String context) {
        SchemaChanges left = SchemaDiff.between(actual, expected);
        assertThat(left.differences()).as(context + "\nstill to do:\n" + left.sql() + "\ndifferences:\n"
                + left.differences().stream().map(d -> d + "\n  actual:   " + d.fromDdl() + "\n  expected: " + d.toDdl())
                .reduce("", (x, y) -> x + y + "\n")).isEmpty();
        assertThat(actual).isEqualTo(expected);
    }
}
