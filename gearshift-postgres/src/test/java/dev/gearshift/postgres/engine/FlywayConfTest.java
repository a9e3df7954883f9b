package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryImport;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Result;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flyway project with its flyway.conf (or flyway.toml) and no gearshift.yaml: Flyway itself migrates it with that configuration
 * (its own location, placeholders, history table and script prefix), then Gearshift, given only the directory,
 * reads the same configuration, imports from that table and continues.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class FlywayConfTest {

    @TempDir
    Path dir;

    private TestProject project(TestDatabase db, String extra) throws IOException {
        TestProject project = new TestProject(db, dir);
        Files.writeString(dir.resolve("flyway.conf"), "# Flyway's own configuration\n"
                + "flyway.url=jdbc:postgresql://elsewhere:5432/app\n"
                + "flyway.user=app\n"
                + "flyway.password=s3cret-pw\n"
                + "flyway.connectRetries=3\n"
                + "flyway.locations=filesystem:db/sql\n"
                + "flyway.schemas=" + project.schema + "\n"
                + "flyway.table=fw_history\n"
                + "flyway.sqlMigrationPrefix=M\n"
                + "flyway.placeholders.owner=alice\n"
                + "flyway.placeholders.team=core\n" + extra);
        write("db/sql/M1__init.sql", "CREATE TABLE plans (id int PRIMARY KEY, name text);\n"
                + "COMMENT ON TABLE plans IS 'owned by ${owner} of ${team}';\n");
        write("db/sql/M1.1__add_orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n");
        write("db/sql/R__plan_names.sql", "CREATE OR REPLACE VIEW plan_names AS SELECT name FROM plans;\n");
        return project;
    }

    /** The same project configured by Flyway 10's flyway.toml instead. */
    private TestProject tomlProject(TestDatabase db, String extra) throws IOException {
        TestProject project = project(db, "");
        Properties conf = conf();
        Files.delete(dir.resolve("flyway.conf"));
        Files.writeString(dir.resolve("flyway.toml"), "[environments.default]\n"
                + "url = \"jdbc:postgresql://elsewhere:5432/app\"\n"
                + "password = \"s3cret-pw\"\n\n"
                + "[flyway]\n"
                + "environment = \"default\"\n"
                + "locations = [\"filesystem:db/sql\"]\n"
                + "schemas = [\"" + project.schema + "\"]\n"
                + "table = \"fw_history\"\n"
                + "sqlMigrationPrefix = \"M\"\n" + extra + "\n"
                + "[flyway.placeholders]\n"
                + "owner = \"alice\"\n"
                + "team = \"core\"\n");
        tomlConf = conf;
        return project;
    }

    /** The Flyway settings of a project configured by TOML, for Flyway itself here. */
    private Properties tomlConf;

    private void write(String path, String text) throws IOException {
        Files.createDirectories(dir.resolve(path).getParent());
        Files.writeString(dir.resolve(path), text);
    }

    /** Flyway configured by the same file; only the location is made absolute, as Flyway reads it from its cwd. */
    private Flyway flyway(TestDatabase db) throws IOException {
        Properties conf = tomlConf != null ? tomlConf : conf();
        conf.setProperty("flyway.locations", "filesystem:" + dir.resolve("db/sql"));
        return Flyway.configure().configuration(conf).dataSource(db.url(), null, null).load();
    }

    private Properties conf() throws IOException {
        Properties conf = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("flyway.conf"))) {
            conf.load(reader);
        }
        return conf;
    }

    private Gearshift gearshift(TestDatabase db) {
        return Gearshift.configure().url(db.url()).project(dir).build();
    }

    @Test
    void aProjectWithOnlyFlywayConfIsTakenOverFromItsOwnTable(TestDatabase db) throws Exception {
        takenOver(project(db, ""), db);
    }

    @Test
    void aProjectWithOnlyFlywayTomlIsTakenOverFromItsOwnTable(TestDatabase db) throws Exception {
        takenOver(tomlProject(db, ""), db);
    }

    private void takenOver(TestProject project, TestDatabase db) throws Exception {
        flyway(db).migrate();
        write("db/sql/M2__invoices.sql", "CREATE TABLE invoices (id int);\n"
                + "COMMENT ON TABLE invoices IS '${owner} ${flyway:table}';\n");
        Gearshift gs = gearshift(db);

        HistoryImport imported = gs.importHistory("flyway", false);
        assertThat(imported.recorded()).extracting(HistoryImport.Imported::origin)
                .allMatch(o -> o.startsWith("fw_history installed_rank"));
        assertThat(imported.recorded()).extracting(i -> i.version().map(Version::toString).orElse("R_" + i.name()))
                .containsExactly("1", "1.1", "R_plan_names");
        ModuleStatus module = gs.status().modules().get(0);
        assertThat(module.current()).contains(Version.parse("1.1"));
        assertThat(module.pending()).containsExactly(Version.parse("2"));

        Result up = gs.up();
        assertThat(up.applied()).extracting(Result.Applied::id).containsExactly(module.module() + "/2_invoices");
        // in the schema flyway.schemas names, with flyway.conf's placeholders and table
        assertThat(project.column("SELECT obj_description('<schema>.invoices'::regclass)"))
                .containsExactly("alice fw_history");
        assertThat(gs.status().isCurrent()).isTrue();
    }

    @Test
    void keptHistoryGoesToTheConfiguredTableAndGearshiftYamlWins(TestDatabase db) throws Exception {
        TestProject project = project(db, "");
        flyway(db).migrate();
        project.yaml("keep_tool_history: true\nplaceholders: { team: billing }\n");
        write("db/sql/M2__invoices.sql", "CREATE TABLE invoices (id int);\n"
                + "COMMENT ON TABLE invoices IS '${owner} of ${team}';\n");
        Gearshift gs = gearshift(db);
        gs.importHistory("flyway", false);
        gs.up();

        assertThat(project.column("SELECT obj_description('<schema>.invoices'::regclass)"))
                .containsExactly("alice of billing");
        assertThat(project.column("SELECT version FROM <schema>.fw_history WHERE version IS NOT NULL"
                + " ORDER BY installed_rank")).containsExactly("1", "1.1", "2");
        assertThat(project.tableExists("flyway_schema_history")).isFalse();
        // Flyway itself, with the same file, sees its table current and its checksums matching
        Flyway flyway = flyway(db);
        flyway.validate();
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void aKeyGearshiftDoesNotHonourIsRefusedNamingItAndThePasswordIsNeverShown(TestDatabase db) throws Exception {
        project(db, "flyway.outOfOrder=true\nflyway.callbacks=com.example.Audit\nflyway.mixed=false\n");

        assertThatThrownBy(() -> gearshift(db)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("flyway.conf")
                .hasMessageContaining("flyway.outOfOrder=true")
                .hasMessageContaining("flyway.callbacks")
                .hasMessageNotContaining("flyway.mixed")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void aTomlKeyGearshiftDoesNotHonourIsRefusedNamingItAndThePasswordIsNeverShown(TestDatabase db)
            throws Exception {
        tomlProject(db, "callbacks = [\"com.example.Audit\"]\ntarget = \"1.1\"\n");

        assertThatThrownBy(() -> gearshift(db)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("flyway.toml")
                .hasMessageContaining("flyway.target=1.1")
                .hasMessageContaining("flyway.callbacks")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void gearshiftYamlsMigrationsWinOverFlywayLocations(TestDatabase db) throws Exception {
        project(db, "");
        write("elsewhere/M1__other.sql", "CREATE TABLE other (id int);\n");
        Files.writeString(dir.resolve("gearshift.yaml"), "migrations: elsewhere\n");

        assertThat(gearshift(db).status().modules().get(0).pending()).containsExactly(Version.parse("1"));
    }

    /** Flyway's several locations: one migration set, scanned together, the scripts' names relative to each. */
    private TestProject twoLocations(TestDatabase db) throws IOException {
        TestProject project = project(db, "");
        Files.writeString(dir.resolve("flyway.conf"), Files.readString(dir.resolve("flyway.conf"))
                .replace("flyway.locations=filesystem:db/sql", "flyway.locations=filesystem:db/sql, filesystem:db/more"));
        write("db/more/M1.2__add_items.sql", "CREATE TABLE items (id int PRIMARY KEY);\n");
        write("db/more/views/R__order_ids.sql", "CREATE OR REPLACE VIEW order_ids AS SELECT id FROM orders;\n");
        return project;
    }

    private Flyway flywayAt(TestDatabase db, String... locations) throws IOException {
        Properties conf = conf();
        conf.setProperty("flyway.locations", String.join(",", java.util.Arrays.stream(locations)
                .map(l -> "filesystem:" + dir.resolve(l)).toList()));
        return Flyway.configure().configuration(conf).dataSource(db.url(), null, null).load();
    }

    @Test
    void severalLocationsAreOneMigrationSetAsFlywayScansThem(TestDatabase db) throws Exception {
        TestProject project = twoLocations(db);
        flywayAt(db, "db/sql", "db/more").migrate();
        write("db/more/M2__invoices.sql", "CREATE TABLE invoices (id int);\n");
        project.yaml("keep_tool_history: true\n");
        Gearshift gs = gearshift(db);

        HistoryImport imported = gs.importHistory("flyway", false);
        assertThat(imported.recorded()).extracting(i -> i.version().map(Version::toString).orElse("R_" + i.name()))
                .containsExactly("1", "1.1", "1.2", "R_order_ids", "R_plan_names");
        assertThat(gs.status().modules()).hasSize(1);
        ModuleStatus module = gs.status().modules().get(0);
        assertThat(module.current()).contains(Version.parse("1.2"));
        assertThat(module.pending()).containsExactly(Version.parse("2"));

        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly(module.module() + "/2_invoices");
        assertThat(project.tableExists("invoices")).isTrue();
        assertThat(gs.status().isCurrent()).isTrue();
        // Flyway itself, over the same two locations, finds its table current and every checksum matching
        Flyway flyway = flywayAt(db, "db/sql", "db/more");
        flyway.validate();
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void aVersionInTwoLocationsIsAProblemNamingBothFilesAsFlywayRefusesIt(TestDatabase db) throws Exception {
        twoLocations(db);
        write("db/more/M1.1__orders_again.sql", "CREATE TABLE orders_again (id int);\n");

        assertThatThrownBy(() -> flywayAt(db, "db/sql", "db/more").migrate())
                .hasMessageContaining("more than one migration with version 1.1");
        assertThatThrownBy(() -> gearshift(db).validate()).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("version 1.1 is used by more than one Flyway script")
                .hasMessageContaining("db/sql/M1.1__add_orders.sql")
                .hasMessageContaining("db/more/M1.1__orders_again.sql");
    }

    /** A filesystem: and a classpath: location together, Flyway and Gearshift given the same class loader. */
    @Test
    void aFilesystemAndAClasspathLocationAreOneMigrationSet(TestDatabase db) throws Exception {
        TestProject project = project(db, "");
        Files.writeString(dir.resolve("flyway.conf"), Files.readString(dir.resolve("flyway.conf"))
                .replace("flyway.locations=filesystem:db/sql", "flyway.locations=filesystem:db/sql,classpath:db/shared"));
        write("jar/db/shared/M1.2__add_items.sql", "CREATE TABLE items (id int PRIMARY KEY);\n");
        try (java.net.URLClassLoader classes = new java.net.URLClassLoader(
                new java.net.URL[] {dir.resolve("jar").toUri().toURL()}, getClass().getClassLoader())) {
            Properties conf = conf();
            conf.setProperty("flyway.locations", "filesystem:" + dir.resolve("db/sql") + ",classpath:db/shared");
            Flyway.configure(classes).configuration(conf).dataSource(db.url(), null, null).load().migrate();
            write("db/sql/M2__invoices.sql", "CREATE TABLE invoices (id int);\n");
            Gearshift gs = Gearshift.configure().url(db.url()).project(dir).classLoader(classes).build();

            assertThat(gs.importHistory("flyway", false).recorded())
                    .extracting(i -> i.version().map(Version::toString).orElse("R_" + i.name()))
                    .containsExactly("1", "1.1", "1.2", "R_plan_names");
            assertThat(gs.up().applied()).extracting(Result.Applied::id).singleElement().asString()
                    .endsWith("/2_invoices");
            assertThat(project.tableExists("items")).isTrue();
            assertThat(gs.status().isCurrent()).isTrue();
        }
    }

    /**
     * The process's environment reaches flyway.conf: a variable it lacks is refused, as Flyway's configuration
     * loader refuses it ("Unable to resolve environment variable"), and nothing is read.
     */
    @Test
    void anUnsetEnvironmentVariableIsRefused(TestDatabase db) throws Exception {
        project(db, "flyway.placeholders.region=${env.GEARSHIFT_TEST_NEVER_SET_17}\n");

        assertThatThrownBy(() -> gearshift(db)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("flyway.conf").hasMessageContaining("flyway.placeholders.region")
                .hasMessageContaining("GEARSHIFT_TEST_NEVER_SET_17");
    }
}
