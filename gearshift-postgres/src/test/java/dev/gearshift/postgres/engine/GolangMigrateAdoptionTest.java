package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryImport;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A golang-migrate project (one flat folder, names as golang-migrate accepts them, scripts wrapped in
 * BEGIN/COMMIT) and a Skygear one (golang-migrate per module folder) are read as they are, and their history,
 * written here exactly as golang-migrate's postgres driver writes it ({@code version bigint, dirty boolean}, one
 * row), is taken over by import: status shows what golang-migrate showed, and up runs only what it had pending.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class GolangMigrateAdoptionTest {

    @TempDir
    Path dir;

    private TestProject flatProject(TestDatabase db) {
        return new TestProject(db, dir)
                .write("0001_init.up.sql", "BEGIN;\nCREATE TABLE plans (id int PRIMARY KEY, name text);\nCOMMIT;\n")
                .write("0001_init.down.sql", "BEGIN;\nDROP TABLE plans;\nCOMMIT;\n")
                .write("0110_2.8.0_schema.up.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n")
                .write("0110_2.8.0_schema.down.sql", "DROP TABLE orders;\n")
                // A real project's migration that touches golang-migrate's own table, left in place by import.
                .write("0120_data-version.up.sql", "BEGIN;\nALTER TABLE schema_migrations ADD COLUMN data_version"
                        + " int;\nCREATE TABLE invoices (id int);\nCOMMIT;\n");
    }

    /** What golang-migrate left: its scripts' work up to 110, and its one row. */
    private static void golangMigrateRanTo(TestProject project, long version, boolean dirty) throws Exception {
        String s = '"' + project.schema + '"';
        project.db.execute("CREATE SCHEMA IF NOT EXISTS " + s + ";"
                + "CREATE TABLE " + s + ".plans (id int PRIMARY KEY, name text);"
                + "CREATE TABLE " + s + ".orders (id int PRIMARY KEY);"
                + "CREATE TABLE " + s + ".schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + "INSERT INTO " + s + ".schema_migrations VALUES (" + version + ", " + dirty + ")");
    }

    @Test
    void takesOverGolangMigratesHistoryAndRunsOnlyWhatWasPending(TestDatabase db) throws Exception {
        TestProject project = flatProject(db).yaml("module: app\n");
        golangMigrateRanTo(project, 110, false);
        Gearshift gs = project.gearshift();

        HistoryImport dry = gs.importHistory("golang-migrate", true);
        assertThat(dry.recorded()).extracting(i -> i.module() + "/" + i.version().orElseThrow() + "_" + i.name())
                .containsExactly("app/1_init", "app/110_2.8.0_schema");
        assertThat(dry.tables()).containsExactly("schema_migrations");
        assertThat(project.historyRows()).isEmpty();

        HistoryImport done = gs.importHistory("golang-migrate", false);
        assertThat(done.dryRun()).isFalse();
        assertThat(project.historyRows()).containsExactly("app/1 up success", "app/110 up success");
        assertThat(project.column("SELECT DISTINCT tool_version FROM <schema>.gearshift_history"))
                .singleElement().asString().endsWith("(import from golang-migrate)");
        ModuleStatus app = gs.status().module("app").orElseThrow();
        assertThat(app.current()).contains(Version.of(110));
        assertThat(app.pending()).containsExactly(Version.of(120));

        Result up = gs.up();
        assertThat(up.applied()).extracting(Result.Applied::id).containsExactly("app/120_data-version");
        assertThat(project.tableExists("invoices")).isTrue();
        // golang-migrate's table is left as it was, but for what the project's own migration did to it.
        assertThat(project.column("SELECT version || ' ' || dirty || ' ' || coalesce(data_version::text, '-')"
                + " FROM <schema>.schema_migrations")).containsExactly("110 false -");
        assertThat(gs.status().isCurrent()).isTrue();

        // Once taken over, a second import is refused: the history is Gearshift's now.
        assertThatThrownBy(() -> gs.importHistory("golang-migrate", false)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("already have Gearshift history");
    }

    @Test
    void keepsGolangMigratesTableUpToDateWhenAsked(TestDatabase db) throws Exception {
        TestProject project = flatProject(db).yaml("module: app\nkeep_tool_history: true\n")
                .write("0120_data-version.down.sql", "DROP TABLE invoices;\n"
                        + "ALTER TABLE schema_migrations DROP COLUMN data_version;\n");
        golangMigrateRanTo(project, 110, false);
        Gearshift gs = project.gearshift();
        gs.importHistory("golang-migrate", false);
        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/120_data-version");
        assertThat(project.column("SELECT version || ' ' || dirty || ' ' || coalesce(data_version::text, '-')"
                + " FROM <schema>.schema_migrations")).containsExactly("120 false -");
        assertThat(gs.down(dev.gearshift.Target.latest()).applied()).hasSize(1);
        assertThat(project.column("SELECT version || ' ' || dirty FROM <schema>.schema_migrations"))
                .containsExactly("110 false");
        // Gearshift's checksums are the files': validate is clean with the table kept.
        assertThat(gs.validate().problems()).isEmpty();
    }

    @Test
    void aFlatFolderIsGolangMigratesLayoutByLookingAndItsModuleIsTheFoldersName(TestDatabase db) {
        TestProject project = flatProject(db);
        Status status = project.gearshift().status();
        assertThat(status.problems()).isEmpty();
        assertThat(status.module("migrations").orElseThrow().pending())
                .containsExactly(Version.of(1), Version.of(110), Version.of(120));
    }

    @Test
    void aFreshDatabaseRunsTheWrappedScriptsInGearshiftsTransaction(TestDatabase db) throws Exception {
        TestProject project = flatProject(db).yaml("layout: golang-migrate\nmodule: app\n");
        project.db.execute("CREATE SCHEMA \"" + project.schema + "\"; CREATE TABLE \"" + project.schema
                + "\".schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
        Gearshift gs = project.gearshift();
        assertThat(gs.up().applied()).hasSize(3);
        assertThat(project.historyRows()).containsExactly("app/1 up success", "app/110 up success",
                "app/120 up success");
    }

    @Test
    void aDirtyVersionIsRefusedAndNothingIsRecorded(TestDatabase db) throws Exception {
        TestProject project = flatProject(db).yaml("module: app\n");
        golangMigrateRanTo(project, 110, true);
        assertThatThrownBy(() -> project.gearshift().importHistory("golang-migrate", false))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("version 110 is dirty");
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void aVersionTheSourcesDoNotHaveIsRefused(TestDatabase db) throws Exception {
        TestProject project = flatProject(db).yaml("module: app\n");
        golangMigrateRanTo(project, 115, false);
        assertThatThrownBy(() -> project.gearshift().importHistory("golang-migrate", false))
                .isInstanceOf(GearshiftException.class)
                .hasMessageContaining("schema_migrations: version 115 of module 'app' is applied, but the sources"
                        + " have no such migration");
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void mixingTheFlatFolderWithModuleFoldersIsRefusedWithTheReason(TestDatabase db) {
        TestProject project = flatProject(db).write("core/1_accounts.up.sql", "CREATE TABLE accounts (id int);");
        Status status = project.gearshift().status();
        assertThat(status.problems()).isNotEmpty();
        assertThat(status.problems().get(0).message()).contains("mixes layouts");
    }

    @Test
    void skygearsFolderPerModuleAndVersionTablePerModuleAreTakenOver(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).yaml("layout: skygear\n")
                .write("core/1_init.up.sql", "BEGIN;\nCREATE TABLE _core_app (id text);\nCOMMIT;\n")
                .write("core/2_0.3.0_config.up.sql", "ALTER TABLE _core_app ADD COLUMN config jsonb;")
                .write("auth/1_init.up.sql", "CREATE TABLE _auth_user (id text);")
                .write("auth/2_add-login.up.sql", "CREATE TABLE _auth_login (id text);");
        String s = '"' + project.schema + '"';
        db.execute("CREATE SCHEMA " + s + "; CREATE TABLE " + s + "._core_app (id text, config jsonb);"
                + "CREATE TABLE " + s + "._auth_user (id text);"
                + "CREATE TABLE " + s + "._core_version (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + "INSERT INTO " + s + "._core_version VALUES (2, false);"
                + "CREATE TABLE " + s + "._auth_version (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + "INSERT INTO " + s + "._auth_version VALUES (1, false);");
        Gearshift gs = project.gearshift();
        HistoryImport imported = gs.importHistory("skygear", false);
        assertThat(imported.tables()).containsExactlyInAnyOrder("_core_version", "_auth_version");
        assertThat(gs.status().module("core").orElseThrow().isCurrent()).isTrue();
        assertThat(gs.status().module("auth").orElseThrow().pending()).containsExactly(Version.of(2));
        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("auth/2_add-login");
        assertThat(project.tableExists("_auth_login")).isTrue();
    }
}
