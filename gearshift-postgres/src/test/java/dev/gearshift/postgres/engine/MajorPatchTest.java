package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Guard;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code versioning: major-patch} (Lily's model): {@code v<major>/base.sql} and {@code v<major>/patches/<patch>_<tag>.up.sql},
 * planned within one major, never across one.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class MajorPatchTest {

    private static final String YAML = "modules:\n  visor: { versioning: major-patch }\n";

    @TempDir
    Path dir;

    private TestProject majorZero(TestDatabase db) {
        return new TestProject(db, dir.resolve(String.valueOf(System.nanoTime()))).yaml(YAML)
                .write("visor/v0/base.sql", "CREATE TABLE visor_version (major int NOT NULL);"
                        + " INSERT INTO visor_version VALUES (0); CREATE TABLE hosts (id int PRIMARY KEY);")
                .write("visor/v0/patches/1_reports.up.sql", "CREATE TABLE reports (id int PRIMARY KEY);")
                .write("visor/v0/patches/1_reports.down.sql", "DROP TABLE reports;")
                .write("visor/v0/patches/2_alerts.up.sql", "CREATE TABLE alerts (id int PRIMARY KEY);")
                .write("visor/v0/patches/2_alerts.down.sql", "DROP TABLE alerts;")
                .write("visor/v0/patches/3_notes.up.sql", "COMMENT ON TABLE hosts IS 'monitored hosts';")
                .write("visor/v0/patches/3_notes.down.sql", "COMMENT ON TABLE hosts IS NULL;");
    }

    @Test
    void appliesTheBaseThenThePatchesAndMovesByMajorDotPatch(TestDatabase db) throws Exception {
        TestProject project = majorZero(db);

        Result first = project.gearshift().up(Target.version(Version.parse("0.2")));
        assertThat(first.applied()).extracting(Result.Applied::id)
                .containsExactly("visor/0_base", "visor/0.1_reports", "visor/0.2_alerts");
        assertThat(project.gearshift().status().module("visor").orElseThrow().current())
                .contains(Version.parse("0.2"));

        // A database at major 0 gets major 0's pending patches only.
        assertThat(project.gearshift().up().applied()).extracting(Result.Applied::id)
                .containsExactly("visor/0.3_notes");
        assertThat(project.gearshift().down(Target.version(Version.parse("0.1"))).applied())
                .extracting(Result.Applied::id).containsExactly("visor/0.3_notes", "visor/0.2_alerts");
        assertThat(project.tableExists("alerts")).isFalse();
        assertThat(project.gearshift().status().module("visor").orElseThrow().current())
                .contains(Version.parse("0.1"));
        assertThat(project.historyRows()).startsWith("visor/0 up success");

        // --to 0 (down --all) is everything, as for plain modules: the base of major 0 too, which needs its down
        assertThatThrownBy(() -> project.gearshift().down(Target.zero()))
                .isInstanceOfSatisfying(GearshiftException.class, e -> assertThat(e.problems())
                        .extracting(Problem::code).containsExactly(Problem.MISSING_DOWN));
        project.write("visor/v0/base.down.sql", "DROP TABLE hosts; DROP TABLE visor_version;");
        assertThat(project.gearshift().down(Target.zero()).applied()).extracting(Result.Applied::id)
                .containsExactly("visor/0.1_reports", "visor/0_base");
        assertThat(project.tableExists("hosts")).isFalse();
    }

    @Test
    void anEmptyDatabaseGetsTheLatestMajorsBaseOnly(TestDatabase db) throws Exception {
        TestProject project = majorZero(db)
                .write("visor/v1/base.sql", "CREATE TABLE visor_version (major int NOT NULL);"
                        + " INSERT INTO visor_version VALUES (1); CREATE TABLE machines (id int PRIMARY KEY);")
                .write("visor/v1/patches/1_reports.up.sql", "CREATE TABLE reports (id int PRIMARY KEY);");

        assertThat(project.gearshift().up().applied()).extracting(Result.Applied::id)
                .containsExactly("visor/1_base", "visor/1.1_reports");
        assertThat(project.tableExists("hosts")).isFalse();
        assertThat(project.column("SELECT major::text FROM <schema>.visor_version")).containsExactly("1");
    }

    @Test
    void neverCrossesAMajor(TestDatabase db) throws Exception {
        TestProject project = majorZero(db);
        project.gearshift().up();
        String before = project.snapshot();
        project.write("visor/v1/base.sql", "CREATE TABLE machines (id int PRIMARY KEY);");

        assertThatThrownBy(() -> project.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.code()).isEqualTo(Problem.MAJOR_MISMATCH);
                    assertThat(p.message()).contains("the database is at major 0; major 1 needs a manual data"
                            + " migration (database at 0.3, the project's latest major is 1)");
                }));
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.gearshift().status().problems()).extracting(Problem::code)
                .containsExactly(Problem.MAJOR_MISMATCH);
    }

    @Test
    void refusesADatabaseAtAHigherMajorThanTheProject(TestDatabase db) throws Exception {
        TestProject project = majorZero(db).write("visor/v1/base.sql", "CREATE TABLE machines (id int PRIMARY KEY);");
        project.gearshift().up();
        TestProject older = new TestProject(db, dir.resolve("older"));
        older.yaml(YAML).write("visor/v0/base.sql", "CREATE TABLE hosts (id int PRIMARY KEY);");
        var olderOnSameSchema = older.configure().schema(project.schema).build();

        assertThatThrownBy(olderOnSameSchema::up).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).singleElement().extracting(Problem::message).asString()
                        .contains("the database is at major 1 (1.0), higher than this project's latest major 0"));
        assertThat(project.tableExists("hosts")).isFalse();
    }

    @Test
    void badLayoutsAreReportedAndNothingIsApplied(TestDatabase db) throws Exception {
        TestProject reused = majorZero(db).write("visor/v0/patches/2_other.up.sql", "CREATE TABLE other (id int);");
        assertRefused(reused, Problem.DUPLICATE_VERSION, "visor/v0/patches", "version 0.2 of module 'visor' is used by"
                + " more than one migration");

        TestProject skipped = majorZero(db).delete("visor/v0/patches/2_alerts.up.sql")
                .delete("visor/v0/patches/2_alerts.down.sql");
        assertRefused(skipped, Problem.BAD_FILE_NAME, "3_notes", "patch 3 of major 0 skips patch 2");

        TestProject outside = majorZero(db).write("visor/4_loose.up.sql", "CREATE TABLE loose (id int);");
        assertRefused(outside, Problem.BAD_FILE_NAME, "visor/4_loose.up.sql", "not directly in the module folder");

        TestProject noBase = majorZero(db).write("visor/v1/patches/1_x.up.sql", "CREATE TABLE x (id int);");
        assertRefused(noBase, Problem.BAD_FILE_NAME, "visor/v1", "major 1 of module 'visor' has no base.sql");

        TestProject patchZero = majorZero(db).write("visor/v0/patches/0_zero.up.sql", "CREATE TABLE z (id int);");
        assertRefused(patchZero, Problem.BAD_FILE_NAME, "0_zero.up.sql", "a patch number starts at 1");
    }

    @Test
    void aPatchThatChangesDataIsRefusedFromItsStatementsAndTheBaseMayFillWhatItCreates(TestDatabase db)
            throws Exception {
        TestProject project = majorZero(db)
                .write("visor/v0/patches/4_seed.up.sql", "CREATE TABLE levels (name text);\n"
                        + "-- seed it\nINSERT INTO levels VALUES ('info');\n"
                        + "WITH gone AS (SELECT 1) DELETE FROM hosts;\nTRUNCATE reports;\n"
                        + "UPDATE hosts SET id = id;\nCOPY levels FROM stdin;\nalert\n\\.\n");

        assertThatThrownBy(() -> project.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).extracting(p -> p.code() + " " + p.location().replaceAll(".*/", "")
                        + " " + p.message().replaceAll("\\).*", ")")).containsExactly(
                        "not-additive 4_seed.up.sql:3 patch 0.4 changes data (INSERT)",
                        "not-additive 4_seed.up.sql:4 patch 0.4 changes data (DELETE)",
                        "not-additive 4_seed.up.sql:5 patch 0.4 changes data (TRUNCATE)",
                        "not-additive 4_seed.up.sql:6 patch 0.4 changes data (UPDATE)",
                        "not-additive 4_seed.up.sql:7 patch 0.4 changes data (COPY)"));
        assertThat(project.historyRows()).isEmpty();
        assertThatThrownBy(() -> project.gearshift().validate()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).hasSize(5).extracting(Problem::code).containsOnly(Problem.NOT_ADDITIVE));
    }

    @Test
    void aDatabaseLilyMadeIsAdoptedWithABaselineAtItsMajorAndPatch(TestDatabase db) throws Exception {
        TestProject project = majorZero(db);
        // What Lily left: the base and two patches applied, visor_version at 0, no Gearshift history.
        db.execute("CREATE SCHEMA \"" + project.schema + "\"");
        db.execute("SET search_path TO \"" + project.schema + "\"; CREATE TABLE visor_version (major int NOT NULL);"
                + " INSERT INTO visor_version VALUES (0); CREATE TABLE hosts (id int PRIMARY KEY);"
                + " CREATE TABLE reports (id int PRIMARY KEY); CREATE TABLE alerts (id int PRIMARY KEY)");

        assertThat(project.gearshift().baseline(java.util.Optional.of("visor"), Version.parse("0.2"))).isNotEmpty();
        assertThat(project.gearshift().up().applied()).extracting(Result.Applied::id)
                .containsExactly("visor/0.3_notes");

        project.write("visor/v1/base.sql", "CREATE TABLE machines (id int PRIMARY KEY);");
        assertThatThrownBy(() -> project.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).extracting(Problem::code).containsExactly(Problem.MAJOR_MISMATCH));
    }

    @Test
    void additivePatchesProceedWhileInstancesOfTheirMajorRunAndNothingElseDoes(TestDatabase db) throws Exception {
        TestProject project = majorZero(db);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.url());

        // An empty database gets a base: an instance of major 0 (already running) makes it wait, as any guard.
        try (Guard early = Gearshift.guard(dataSource, project.schema, 0)) {
            assertThatThrownBy(() -> project.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED_BY_APPLICATION));
        }
        project.gearshift().up(Target.version(Version.parse("0.1")));

        try (Guard zero = Gearshift.guard(dataSource, project.schema, 0);
             Guard another = Gearshift.guard(dataSource, project.schema, 0)) {
            // Patches of major 0 under instances of major 0: compatible by construction.
            assertThat(project.gearshift().up(Target.version(Version.parse("0.2"))).applied())
                    .extracting(Result.Applied::id).containsExactly("visor/0.2_alerts");
            // Going down is no patch: it waits for them.
            assertThatThrownBy(() -> project.gearshift().down(Target.steps(1)))
                    .isInstanceOfSatisfying(GearshiftException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED_BY_APPLICATION));
            // An instance that does not say its major (or runs another) stops patches too.
            try (Guard unknown = Gearshift.guard(dataSource, project.schema)) {
                assertThatThrownBy(() -> project.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED_BY_APPLICATION));
            }
            try (Guard one = Gearshift.guard(dataSource, project.schema, 1)) {
                assertThatThrownBy(() -> project.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED_BY_APPLICATION));
            }
            assertThat(project.gearshift().up().applied()).extracting(Result.Applied::id)
                    .containsExactly("visor/0.3_notes");
        }
        assertThat(project.gearshift().status().module("visor").orElseThrow().current())
                .contains(Version.parse("0.3"));
    }

    @Test
    void theMajorTableOfADatabaseWithoutHistoryStopsABaseFromRunningOnTopOfIt(TestDatabase db) throws Exception {
        String yaml = "modules:\n  visor: { versioning: major-patch, major_table: visor_version }\n";
        TestProject lily = majorZero(db).yaml(yaml);
        // What Lily left: major 0 with its patches, recorded in visor_version only.
        db.execute("CREATE SCHEMA \"" + lily.schema + "\"");
        db.execute("SET search_path TO \"" + lily.schema + "\"; CREATE TABLE visor_version (major int NOT NULL);"
                + " INSERT INTO visor_version VALUES (0); CREATE TABLE hosts (id int PRIMARY KEY);"
                + " CREATE TABLE reports (id int PRIMARY KEY); CREATE TABLE alerts (id int PRIMARY KEY)");
        String before = lily.snapshot();

        assertThatThrownBy(() -> lily.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).singleElement().extracting(Problem::message).asString().contains(
                        "the database is at major 0 (per visor_version: its row, or 0 when absent) but has no history of module"
                                + " 'visor'; adopt it with `gearshift baseline --module visor --version 0.<patch>`"));
        lily.write("visor/v1/base.sql", "CREATE TABLE machines (id int PRIMARY KEY);");
        assertThatThrownBy(() -> lily.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).singleElement().extracting(Problem::message).asString().contains(
                        "the database is at major 0 (per visor_version: its row, or 0 when absent); major 1 needs a manual data"
                                + " migration"));
        assertThat(lily.snapshot()).isEqualTo(before);
        assertThat(lily.historyRows()).isEmpty();

        // Lily's major 0 has no visor_version at all: a schema with tables and without it is at major 0.
        TestProject noTable = majorZero(db).yaml(yaml).write("visor/v1/base.sql", "CREATE TABLE machines (id int);");
        db.execute("CREATE SCHEMA \"" + noTable.schema + "\"");
        db.execute("CREATE TABLE \"" + noTable.schema + "\".hosts (id int PRIMARY KEY)");
        assertThatThrownBy(() -> noTable.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).singleElement().extracting(Problem::message).asString()
                        .contains("the database is at major 0 (per visor_version: its row, or 0 when absent); major 1 needs"));
        assertThat(noTable.tableExists("machines")).isFalse();

        // An empty database has no such table: the latest base creates it, and the history takes over.
        TestProject fresh = majorZero(db).yaml(yaml);
        assertThat(fresh.gearshift().up().applied()).hasSize(4);
        assertThat(fresh.gearshift().up().applied()).isEmpty();
    }

    private static void assertRefused(TestProject project, String code, String location, String message)
            throws Exception {
        assertThatThrownBy(() -> project.gearshift().up()).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> {
                    assertThat(p.code()).isEqualTo(code);
                    assertThat(p.location()).contains(location);
                    assertThat(p.message()).contains(message);
                }));
        assertThat(project.historyRows()).isEmpty();
        assertThat(project.tableExists("hosts")).isFalse();
    }
}
