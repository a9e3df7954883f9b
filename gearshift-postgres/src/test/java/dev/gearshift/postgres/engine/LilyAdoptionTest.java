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
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Lily schema (major 1, base and patches copied out of its Go strings into V1.0__base.sql, V1.n__...sql) whose
 * history is written as Lily's README describes it: visor_version holds the major, go-pg's gopg_migrations logs
 * ups and downs, the most recent row being the current patch.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class LilyAdoptionTest {

    @TempDir
    Path dir;

    private static TestProject lilyProject(TestDatabase db, Path dir) throws Exception {
        TestProject project = new TestProject(db, dir).yaml("module: visor\n")
                .write("V1.0__base.sql", "CREATE TABLE IF NOT EXISTS visor_version (\"major\" int NOT NULL,"
                        + " PRIMARY KEY (\"major\"));\nINSERT INTO visor_version (\"major\") VALUES (1);\n"
                        + "CREATE TABLE blocks (height bigint PRIMARY KEY);\n")
                .write("V1.1__miners.sql", "CREATE TABLE miners (id text PRIMARY KEY);\n")
                .write("V1.2__deals.sql", "CREATE TABLE deals (id bigint PRIMARY KEY);\n")
                .write("V1.3__views.sql", "CREATE VIEW miner_ids AS SELECT id FROM miners;\n");
        String s = '"' + project.schema + '"';
        // Lily ran the base, patches 1 and 2, then went down to 1: go-pg logs the down as a row of its own.
        db.execute("CREATE SCHEMA " + s + "; SET search_path TO " + s + ";"
                + "CREATE TABLE visor_version (\"major\" int NOT NULL, PRIMARY KEY (\"major\"));"
                + "INSERT INTO visor_version VALUES (1);"
                + "CREATE TABLE blocks (height bigint PRIMARY KEY); CREATE TABLE miners (id text PRIMARY KEY);"
                + "CREATE TABLE gopg_migrations (id serial, version bigint, created_at timestamptz);"
                + "INSERT INTO gopg_migrations (version, created_at) VALUES (1, now()), (2, now()), (1, now())");
        return project;
    }

    @Test
    void takesOverLilysMajorAndPatchAndRunsTheNextPatches(TestDatabase db) throws Exception {
        TestProject project = lilyProject(db, dir);
        Gearshift gs = project.gearshift();
        HistoryImport imported = gs.importHistory("lily", false);
        assertThat(imported.tables()).containsExactly("visor_version", "gopg_migrations");
        assertThat(imported.recorded()).extracting(i -> i.version().orElseThrow().toString()).containsExactly("1", "1.1"); // 1.0 is 1, as in Flyway
        ModuleStatus visor = gs.status().module("visor").orElseThrow();
        assertThat(visor.current()).contains(Version.parse("1.1"));
        assertThat(visor.pending()).containsExactly(Version.parse("1.2"), Version.parse("1.3"));
        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("visor/1.2_deals", "visor/1.3_views");
        assertThat(project.tableExists("deals")).isTrue();
    }

    @Test
    void aPatchTheSourcesLackIsRefused(TestDatabase db) throws Exception {
        TestProject project = lilyProject(db, dir);
        db.execute("INSERT INTO \"" + project.schema + "\".gopg_migrations (version, created_at) VALUES (7, now())");
        assertThatThrownBy(() -> project.gearshift().importHistory("lily", false))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("schema 1.7 is applied, but the sources"
                        + " have no version 1.7");
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void aMajorPatchProjectIsTakenOverWithItsMajorTableAndOnlyAtItsLatestMajor(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .yaml("modules:\n  visor: { versioning: major-patch, major_table: lily_major }\n")
                .write("visor/v1/base.sql", "CREATE TABLE lily_major (major int PRIMARY KEY); INSERT INTO lily_major"
                        + " VALUES (1);\nCREATE TABLE blocks (height bigint PRIMARY KEY);\n")
                .write("visor/v1/patches/1_miners.up.sql", "CREATE TABLE miners (id text PRIMARY KEY);\n")
                .write("visor/v1/patches/2_deals.up.sql", "CREATE TABLE deals (id bigint PRIMARY KEY);\n");
        String s = '"' + project.schema + '"';
        db.execute("CREATE SCHEMA " + s + "; SET search_path TO " + s + ";"
                + "CREATE TABLE lily_major (major int PRIMARY KEY); INSERT INTO lily_major VALUES (0);"
                + "CREATE TABLE blocks (height bigint PRIMARY KEY); CREATE TABLE miners (id text PRIMARY KEY);"
                + "CREATE TABLE gopg_migrations (id serial, version bigint, created_at timestamptz);"
                + "INSERT INTO gopg_migrations (version, created_at) VALUES (1, now())");
        // the module's major_table says major 0: the project's latest is 1, a manual data migration away
        assertThatThrownBy(() -> project.gearshift().importHistory("lily", false))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("lily_major and gopg_migrations: schema"
                        + " 0.1 is applied, but the project's latest major is 1");
        assertThat(project.historyRows()).isEmpty();

        db.execute("UPDATE " + s + ".lily_major SET major = 1");
        Gearshift gs = project.gearshift();
        assertThat(gs.importHistory("lily", false).recorded()).extracting(i -> i.version().orElseThrow().toString())
                .containsExactly("1", "1.1");
        assertThat(gs.status().module("visor").orElseThrow().pending()).containsExactly(Version.parse("1.2"));
    }
}
