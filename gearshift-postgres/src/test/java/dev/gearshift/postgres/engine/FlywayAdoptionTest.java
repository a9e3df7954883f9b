package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryImport;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway itself (from Maven Central) applies a project in Flyway's layout and writes flyway_schema_history; Gearshift
 * reads the same folder as it is, imports that history with Flyway's checksums checked against the files, and
 * continues from where Flyway stopped.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class FlywayAdoptionTest {

    @TempDir
    Path dir;

    private static TestProject flywayProject(TestDatabase db, Path dir) {
        return new TestProject(db, dir).yaml("module: app\nplaceholders: { owner: alice }\n")
                .write("V1__init.sql", "CREATE TABLE plans (id int PRIMARY KEY, name text);\n"
                        + "COMMENT ON TABLE plans IS 'owned by ${owner}';\r\n")
                .write("V1.1__add_orders.sql", "\uFEFFCREATE TABLE orders (id int PRIMARY KEY);\n")
                .write("U1.1__add_orders.sql", "DROP TABLE orders;\n")
                .write("views/R__plan_names.sql", "CREATE OR REPLACE VIEW plan_names AS SELECT name FROM plans;\n");
    }

    private static Flyway flyway(TestProject project) {
        return Flyway.configure().dataSource(project.db.url(), null, null).schemas(project.schema)
                .locations("filesystem:" + project.migrations).placeholders(Map.of("owner", "alice")).load();
    }

    @Test
    void takesOverWhatFlywayAppliedAndUpRunsOnlyWhatIsNew(TestDatabase db) throws Exception {
        TestProject project = flywayProject(db, dir);
        flyway(project).migrate();
        // After Flyway's last run: a new versioned migration, and an edit of the repeatable one.
        project.write("V1.10__invoices.sql", "CREATE TABLE invoices (id int);\n")
                .write("views/R__plan_names.sql", "CREATE OR REPLACE VIEW plan_names AS SELECT name, id FROM plans;\n");
        Gearshift gs = project.gearshift();

        HistoryImport imported = gs.importHistory("flyway", false);
        assertThat(imported.recorded()).extracting(HistoryImport.Imported::origin).allMatch(o -> o.startsWith(
                "flyway_schema_history installed_rank"));
        assertThat(imported.recorded()).extracting(i -> i.version().map(Version::toString).orElse("R_" + i.name()))
                .containsExactly("1", "1.1", "R_plan_names");
        ModuleStatus app = gs.status().module("app").orElseThrow();
        assertThat(app.current()).contains(Version.parse("1.1"));
        assertThat(app.pending()).containsExactly(Version.parse("1.10"));

        Result up = gs.up();
        assertThat(up.applied()).extracting(Result.Applied::id).containsExactly("app/1.10_invoices",
                "app/R_plan_names");
        assertThat(project.column("SELECT obj_description('<schema>.plans'::regclass)")).containsExactly(
                "owned by alice");
        assertThat(project.column("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                + project.schema + "' AND table_name = 'plan_names'")).containsExactly("2");
        assertThat(gs.status().isCurrent()).isTrue();
        // Flyway's own table is left as it was.
        assertThat(project.column("SELECT count(*) FROM <schema>.flyway_schema_history WHERE type = 'SQL'"))
                .containsExactly("3");
    }

    @Test
    void aBaselineRowIsGearshiftsBaseline(TestDatabase db) throws Exception {
        TestProject project = flywayProject(db, dir);
        db.execute("CREATE SCHEMA \"" + project.schema + "\"; CREATE TABLE \"" + project.schema
                + "\".plans (id int PRIMARY KEY, name text)");
        Flyway.configure().dataSource(db.url(), null, null).schemas(project.schema)
                .locations("filesystem:" + project.migrations).placeholders(Map.of("owner", "alice"))
                .baselineVersion("1").baselineOnMigrate(true).load().migrate();
        Gearshift gs = project.gearshift();
        gs.importHistory("flyway", false);
        assertThat(project.column("SELECT coalesce(version::text, version_key, 'R_' || name) || ' ' || action"
                + " FROM <schema>.gearshift_history ORDER BY id")).containsExactly("1 baseline", "1.1 up",
                "R_plan_names up");
        assertThat(gs.status().isCurrent()).isTrue();
        assertThat(gs.up().applied()).isEmpty();
    }

    @Test
    void aScriptEditedSinceFlywayAppliedItIsRefusedNamingIt(TestDatabase db) throws Exception {
        TestProject project = flywayProject(db, dir);
        flyway(project).migrate();
        project.write("V1.1__add_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);\n");
        assertThatThrownBy(() -> project.gearshift().importHistory("flyway", false))
                .isInstanceOf(GearshiftException.class)
                .hasMessageContaining("(version 1.1): Flyway recorded checksum")
                .hasMessageContaining("V1.1__add_orders.sql");
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void aFailedRowAndAMigrationTheSourcesLackAreRefused(TestDatabase db) throws Exception {
        TestProject project = flywayProject(db, dir);
        flyway(project).migrate();
        db.execute("UPDATE \"" + project.schema + "\".flyway_schema_history SET success = false WHERE version = '1.1'");
        assertThatThrownBy(() -> project.gearshift().importHistory("flyway", false))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("(version 1.1) failed under Flyway");
        db.execute("UPDATE \"" + project.schema + "\".flyway_schema_history SET success = true");
        project.delete("V1.1__add_orders.sql").delete("U1.1__add_orders.sql");
        assertThatThrownBy(() -> project.gearshift().importHistory("flyway", false))
                .isInstanceOf(GearshiftException.class)
                .hasMessageContaining("names V1.1__add_orders.sql, which the sources do not have");
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void callbacksAndVersionsThatCannotBeOrderedAreRefusedNamingTheFile(TestDatabase db) {
        TestProject project = flywayProject(db, dir).write("afterMigrate.sql", "GRANT SELECT ON plans TO public;")
                .write("V1.x__later.sql", "SELECT 1;");
        Status status = project.gearshift().status();
        assertThat(status.problems()).extracting(Problem::location).containsExactlyInAnyOrder(
                project.location("afterMigrate.sql"), project.location("V1.x__later.sql"));
        assertThat(status.problems()).extracting(Problem::message).anyMatch(m -> m.contains("a Flyway callback"))
                .anyMatch(m -> m.contains("cannot be ordered"));
    }

    @Test
    void aFolderMixingFlywayAndGolangMigrateNamesIsRefusedWithTheReason(TestDatabase db) {
        TestProject project = flywayProject(db, dir).yaml("layout: flyway\nmodule: app\n")
                .write("0002_orders.up.sql", "SELECT 1;");
        Status status = project.gearshift().status();
        assertThat(status.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(project.location("0002_orders.up.sql"));
            assertThat(p.message()).contains("a golang-migrate script in a Flyway folder: mixing layouts is refused");
        });
        TestProject loose = flywayProject(db, dir.resolve("other")).yaml("layout: golang-migrate\nmodule: app\n");
        // V1__init, V1.1__add_orders and U1.1__add_orders; views/ is refused as a folder inside a flat one.
        assertThat(loose.gearshift().status().problems()).extracting(Problem::message)
                .filteredOn(m -> m.contains("a Flyway script in a golang-migrate folder: mixing layouts is refused"))
                .hasSize(3);
    }

    @Test
    void flywaysBuiltInPlaceholdersHaveTheValuesFlywayGivesThem(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .yaml("layout: flyway\nmodule: app\nkeep_tool_history: true\n")
                .write("base/V1__facts.sql", "CREATE TABLE facts (name text PRIMARY KEY, value text);\n"
                        + "INSERT INTO facts VALUES ('defaultSchema', '${flyway:defaultSchema}'),"
                        + " ('user', '${flyway:user}'), ('database', '${flyway:database}'),"
                        + " ('timestamp', '${flyway:timestamp}'), ('filename', '${flyway:filename}'),"
                        + " ('workingDirectory', '${flyway:workingDirectory}'), ('table', '${flyway:table}');\n");
        Gearshift gs = project.gearshift();
        assertThat(gs.planUp(dev.gearshift.Target.latest()).steps().get(0).sql())
                .contains("('filename', 'V1__facts.sql')");
        gs.up();
        String reference = db.newSchema();
        TestProject.DropSchemas.later(db, reference);
        Flyway.configure().dataSource(db.url(), null, null).schemas(reference)
                .locations("filesystem:" + project.migrations).load().migrate();

        String facts = "SELECT name || ' ' || value FROM %s.facts WHERE name NOT IN ('timestamp', 'defaultSchema')"
                + " ORDER BY name";
        assertThat(project.column(facts.formatted("<schema>"))).hasSize(5).containsExactlyElementsOf(
                db.column(facts.formatted('"' + reference + '"')));
        assertThat(project.column("SELECT value FROM <schema>.facts WHERE name = 'defaultSchema'"))
                .containsExactly(project.schema);
        String timestamp = project.column("SELECT value FROM <schema>.facts WHERE name = 'timestamp'").get(0);
        assertThat(java.time.Duration.between(java.time.LocalDateTime.parse(timestamp.replace(' ', 'T')),
                java.time.LocalDateTime.now()).abs()).isLessThan(java.time.Duration.ofMinutes(5));
        assertThat(db.column("SELECT value FROM \"" + reference + "\".facts WHERE name = 'timestamp'").get(0))
                .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}").hasSameSizeAs(timestamp);
        // The checksum is the file's, before substitution, as Flyway's: Flyway validates what Gearshift applied.
        Flyway flyway = Flyway.configure().dataSource(db.url(), null, null).schemas(project.schema)
                .locations("filesystem:" + project.migrations).load();
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    }

    @Test
    void aFlywayPlaceholderFlywayDoesNotDefineIsRefusedNamingTheFile(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).yaml("module: app\n")
                .write("V1__init.sql", "CREATE TABLE plans (id int);\n")
                .write("V2__grant.sql", "GRANT SELECT ON plans TO ${flyway:owner};\n")
                .write("U2__grant.sql", "REVOKE SELECT ON plans FROM ${flyway:environment};\n");
        Gearshift gs = project.gearshift();
        assertThat(gs.status().problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(project.location("V2__grant.sql"));
            assertThat(p.message()).contains("${flyway:owner} is not one of Flyway's built-in placeholders");
        });
        assertThatThrownBy(gs::up).isInstanceOf(GearshiftException.class).hasMessageContaining("V2__grant.sql");
        assertThat(project.tableExists("plans")).isFalse();
        project.write("V2__grant.sql", "GRANT SELECT ON plans TO ${flyway:user};\n");
        Gearshift fixed = project.gearshift();
        fixed.up();
        assertThatThrownBy(() -> fixed.down(dev.gearshift.Target.latest())).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("U2__grant.sql").hasMessageContaining("Gearshift has none");
    }

    @Test
    void undoScriptsAreTheDowns(TestDatabase db) throws Exception {
        TestProject project = flywayProject(db, dir);
        Gearshift gs = project.gearshift();
        gs.up();
        assertThat(gs.down(dev.gearshift.Target.latest()).applied()).extracting(Result.Applied::id)
                .containsExactly("app/1.1_add_orders");
        assertThat(project.tableExists("orders")).isFalse();
    }

    /** Without Flyway's table, the import names the table and the schema it looked in, and records nothing. */
    @Test
    void aMissingHistoryTableIsNamedWithTheSchemaSearched(TestDatabase db) throws Exception {
        TestProject project = flywayProject(db, dir);
        assertThatThrownBy(() -> project.gearshift().importHistory("flyway", false))
                .isInstanceOf(GearshiftException.class)
                .hasMessageContaining("there is no flyway_schema_history table in schema " + project.schema + " of ");
        assertThat(project.historyRows()).isEmpty();
    }
}
