package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;

/**
 * The proof of a diff: for schemas A and B, applying diff(A, B) to a copy of A yields B, and applying
 * diff(B, A) to that brings back A. Both directions are checked again by reading the result and diffing it with
 * the expected side, which must find nothing.
 *
 * <p>A, B and the copy of A live in one database, or each in a database of its own when they hold what belongs
 * to a database rather than to a schema (extensions); {@link #checkDatabase} compares several schemas of each.
 */
final class RoundTrip {

    private final Schemas sideA;
    private final Schemas sideB;
    private final Schemas sideC;
    private final boolean secondOpinion;
    private final SchemaDiff.Options options;

    /**
     * The round trip of the fixed example tests: sides in schemas of {@code db}, with the roles their grants name,
     * checked a second time through information_schema.
     */
    static RoundTrip inSchemasOf(TestDatabase db) throws SQLException {
        Schemas schemas = new Schemas(db);
        schemas.createRoles();
        return new RoundTrip(schemas, true);
    }

    /**
     * @param secondOpinion also compare {@link Schemas#snapshot}s, read through information_schema by code that is
     *                      not under test (slow: a few hundred milliseconds per schema)
     */
    RoundTrip(Schemas schemas, boolean secondOpinion) {
        this(schemas, schemas, schemas, secondOpinion, SchemaDiff.Options.DEFAULTS);
    }

    /** @param options how the diffs are written; their parts run as they declare, each checked on its own */
    RoundTrip(Schemas schemas, boolean secondOpinion, SchemaDiff.Options options) {
        this(schemas, schemas, schemas, secondOpinion, options);
    }

    /** A is loaded through {@code a}, B through {@code b}, and the copy of A that is migrated through {@code c}. */
    RoundTrip(Schemas a, Schemas b, Schemas c, boolean secondOpinion, SchemaDiff.Options options) {
        this.sideA = a;
        this.sideB = b;
        this.sideC = c;
        this.secondOpinion = secondOpinion;
        this.options = options;
    }

    /** Runs the round trip; returns the up changes for further assertions. */
    SchemaChanges check(String sqlA, String sqlB) throws SQLException {
        return check(sqlA, sqlB, List.of());
    }

    SchemaChanges check(String sqlA, String sqlB, List<Rename> renames) throws SQLException {
        List<String> loaded = new java.util.ArrayList<>();
        try {
            String a = sideA.load(sqlA, loaded);
            String b = sideB.load(sqlB, loaded);
            String c = sideC.load(sqlA, loaded);
            return roundTrip(a, b, c, Schemas::read, renames);
        } finally {
            sideA.drop(loaded);
            if (sideB != sideA) {
                sideB.drop(loaded);
            }
            if (sideC != sideA && sideC != sideB) {
                sideC.drop(loaded);
            }
        }
    }

    /**
     * The round trip of whole databases: each side's SQL runs in a schema of the same name ({@value #MAIN_SCHEMA})
     * and may make {@code otherSchemas}; all of them are read as one model, with qualified names, and so is the
     * diff written. Needs a database per side.
     */
    SchemaChanges checkDatabase(String sqlA, String sqlB, List<String> otherSchemas) throws SQLException {
        if (sideA == sideB || sideB == sideC || sideA == sideC) {
            throw new IllegalStateException("a whole-database round trip needs a database per side");
        }
        List<String> schemas = new java.util.ArrayList<>(List.of(MAIN_SCHEMA));
        schemas.addAll(otherSchemas);
        try {
            sideA.loadAs(MAIN_SCHEMA, sqlA);
            sideB.loadAs(MAIN_SCHEMA, sqlB);
            sideC.loadAs(MAIN_SCHEMA, sqlA);
            return roundTrip(MAIN_SCHEMA, MAIN_SCHEMA, MAIN_SCHEMA, (side, main) -> side.readDatabase(schemas),
                    List.of());
        } finally {
            for (Schemas side : List.of(sideA, sideB, sideC)) {
                side.database().execute("DROP SCHEMA IF EXISTS " + String.join(", ", schemas) + " CASCADE");
            }
        }
    }

    static final String MAIN_SCHEMA = "gs_main";

    /** How a side is read: one schema, or a database's schemas. */
    @FunctionalInterface
    private interface Reader {
        SchemaModel read(Schemas side, String schema) throws SQLException;
    }

    private SchemaChanges roundTrip(String a, String b, String c, Reader reader, List<Rename> renames)
            throws SQLException {
        SchemaModel modelA = reader.read(sideA, a);
        SchemaModel modelB = reader.read(sideB, b);
        assertThat(modelA.unsupported()).as("unsupported in A").isEmpty();
        assertThat(modelB.unsupported()).as("unsupported in B").isEmpty();
        assertThat(reader.read(sideC, c)).as("A loaded twice reads the same").isEqualTo(modelA);

        SchemaChanges up = SchemaDiff.between(modelA, modelB, renames, options);
        apply(c, up, reader);
        assertSame(reader.read(sideC, c), modelB, "A + diff(A, B) should be B; diff(A, B) was:\n" + up.sql());
        if (secondOpinion) {
            assertThat(sideC.snapshot(c)).as("information_schema of A + diff(A, B)").isEqualTo(sideB.snapshot(b));
        }

        SchemaChanges down = SchemaDiff.between(modelB, modelA, renames.stream().map(Rename::reversed).toList(),
                options);
        apply(c, down, reader);
        assertSame(reader.read(sideC, c), modelA, "B + diff(B, A) should be A; diff(B, A) was:\n" + down.sql());
        if (secondOpinion) {
            assertThat(sideC.snapshot(c)).as("information_schema of B + diff(B, A)").isEqualTo(sideA.snapshot(a));
        }
        return up;
    }

    /** Runs the parts one after the other; after each but the last, the schema is what the part says it leaves. */
    private void apply(String schema, SchemaChanges changes, Reader reader) throws SQLException {
        for (SchemaChanges.Part part : changes.parts()) {
            sideC.run(schema, part);
            if (part != changes.parts().get(changes.parts().size() - 1)) {
                assertSame(reader.read(sideC, schema), part.after(), "after a part of the diff, the schema should be"
                        + " what the part says it leaves; the diff was:\n" + changes.sql());
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
