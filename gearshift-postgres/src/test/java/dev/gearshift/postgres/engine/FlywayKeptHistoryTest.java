package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import dev.gearshift.Result;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code keep_tool_history: true} in Flyway's layout, Gearshift writes flyway_schema_history as Flyway would:
 * Flyway itself (from Maven Central) then validates the schema, sees nothing pending, and takes over again.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class FlywayKeptHistoryTest {

    /** Flyway's own columns, as compared between a table Flyway wrote and one Gearshift wrote. */
    private static final String ROWS = "SELECT installed_rank || ' ' || coalesce(version, '-') || ' ' || description"
            + " || ' ' || type || ' ' || script || ' ' || checksum || ' ' || installed_by || ' ' || success"
            + " || ' ' || (execution_time >= 0) || ' ' || (installed_on <= now()) FROM %s.flyway_schema_history"
            + " WHERE type = 'SQL' ORDER BY installed_rank";

    @TempDir
    Path dir;

    private static TestProject project(TestDatabase db, Path dir) {
        return new TestProject(db, dir).yaml("module: app\nkeep_tool_history: true\n")
                .write("V1__init.sql", "CREATE TABLE plans (id int PRIMARY KEY, name text);\n")
                .write("V1_1__add_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);\r\n");
    }

    /** What Flyway had not run yet when Gearshift took over: a versioned script with its undo, a repeatable one. */
    private static TestProject later(TestProject project) {
        return project.write("V2__it's_invoices.sql", "\uFEFFCREATE TABLE invoices (id int);\n")
                .write("U2__it's_invoices.sql", "DROP TABLE invoices;\n")
                .write("views/R__plan_names.sql", "CREATE OR REPLACE VIEW plan_names AS SELECT name FROM plans;\n");
    }

    private static Flyway flyway(TestProject project, String schema) {
        return Flyway.configure().dataSource(project.db.url(), null, null).schemas(schema)
                .locations("filesystem:" + project.migrations).load();
    }

    private static String otherSchema(TestDatabase db) {
        String schema = db.newSchema();
        TestProject.DropSchemas.later(db, schema);
        return schema;
    }

    @Test
    void flywayValidatesWhatGearshiftAppliedAndTakesOverAgain(TestDatabase db) throws Exception {
        TestProject project = project(db, dir);
        Flyway flyway = flyway(project, project.schema);
        flyway.migrate();
        later(project);
        Gearshift gs = project.gearshift();
        gs.importHistory("flyway", false);
        assertThat(flyway.validateWithResult().validationSuccessful).isFalse();

        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/2_it's_invoices",
                "app/R_plan_names");

        // The rows Flyway itself writes when it applies the same project in another schema.
        String reference = otherSchema(db);
        flyway(project, reference).migrate();
        assertThat(project.column(ROWS.formatted("<schema>"))).containsExactlyElementsOf(
                db.column(ROWS.formatted('"' + reference + '"')));
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway.info().all()).extracting(MigrationInfo::getState).containsOnly(MigrationState.SUCCESS);
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.migrate().migrationsExecuted).isZero();

        // An edited repeatable script runs again under Gearshift, with a row of its own, as under Flyway.
        project.write("views/R__plan_names.sql", "CREATE OR REPLACE VIEW plan_names AS SELECT name, id FROM plans;\n");
        Gearshift again = project.gearshift();
        assertThat(again.up().applied()).extracting(Result.Applied::id).containsExactly("app/R_plan_names");
        assertThat(project.column("SELECT count(*) FROM <schema>.flyway_schema_history WHERE version IS NULL"
                + " AND type = 'SQL'"))
                .containsExactly("2");
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway.migrate().migrationsExecuted).isZero();

        // Down: the version is pending again for Flyway, whose migrate applies it.
        assertThat(again.down(Target.latest()).applied()).extracting(Result.Applied::id)
                .containsExactly("app/2_it's_invoices");
        assertThat(project.tableExists("invoices")).isFalse();
        assertThat(flyway.info().pending()).extracting(i -> i.getVersion().getVersion()).containsExactly("2");
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
        assertThat(project.tableExists("invoices")).isTrue();
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void aProjectStartedWithGearshiftGetsFlywaysTableAsFlywayCreatesIt(TestDatabase db) throws Exception {
        TestProject project = later(project(db, dir));
        assertThat(project.gearshift().up().applied()).hasSize(4);
        Flyway flyway = flyway(project, project.schema);
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway.migrate().migrationsExecuted).isZero();

        String reference = otherSchema(db);
        flyway(project, reference).migrate();
        assertThat(project.column(ROWS.formatted("<schema>"))).containsExactlyElementsOf(
                db.column(ROWS.formatted('"' + reference + '"')));
        assertThat(tableDefinition(db, project.schema)).containsExactlyElementsOf(tableDefinition(db, reference));
    }

    /** Columns (type, null, default), constraints and indexes of a schema's flyway_schema_history. */
    private static List<String> tableDefinition(TestDatabase db, String schema) throws Exception {
        String table = "'\"" + schema + "\".flyway_schema_history'::regclass";
        List<String> definition = new java.util.ArrayList<>(db.column("SELECT attname || ' '"
                + " || format_type(atttypid, atttypmod) || ' ' || attnotnull || ' '"
                + " || coalesce(pg_get_expr(adbin, adrelid), '-') FROM pg_attribute LEFT JOIN pg_attrdef"
                + " ON adrelid = attrelid AND adnum = attnum WHERE attrelid = " + table + " AND attnum > 0"
                + " ORDER BY attnum"));
        definition.addAll(db.column("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = " + table + " ORDER BY conname"));
        definition.addAll(db.column("SELECT replace(pg_get_indexdef(indexrelid), '" + schema + "', 'S')"
                + " FROM pg_index WHERE indrelid = " + table + " ORDER BY 1"));
        return definition;
    }
}
