package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the model cannot represent yet is named, in the model and in every diff's warnings: never skipped silently. */
@ExtendWith(PostgresExtension.class)
class UnsupportedObjectsTest {

    @Test
    void everyUnsupportedObjectIsNamed(TestDatabase db) throws Exception {
        Schemas schemas = new Schemas(db);
        String schema = schemas.load("""
                CREATE TABLE t (id int, n int);
                CREATE TYPE span AS RANGE (SUBTYPE = int4);
                CREATE RULE no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
                CREATE FUNCTION same(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT $1 = $2';
                CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = same);
                CREATE TEXT SEARCH CONFIGURATION english_copy (COPY = english);
                CREATE STATISTICS t_stats ON id, n FROM t;
                CREATE TABLE filled (id int) WITH (fillfactor = 70)
                """);
        try {
            SchemaModel model = schemas.read(schema);
            assertThat(model.unsupported()).contains("range type span", "rule no_delete on t",
                    "operator ===(integer, integer)", "text search configuration english_copy",
                    "statistics object t_stats", "storage options of table filled: fillfactor=70");
            // supported objects next to them are still read
            assertThat(model.objects()).contains("table t", "function same(integer, integer)");
            SchemaChanges changes = SchemaDiff.between(SchemaModel.empty("x"), model);
            assertThat(changes.warnings()).contains("not compared (unsupported) in " + schema
                    + ": range type span");
        } finally {
            schemas.drop(List.of(schema));
        }
    }
}
