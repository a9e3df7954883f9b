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
import java.sql.Connection;
import java.sql.DriverManager;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquibase itself (from Maven Central) updates a schema from a formatted SQL changelog and writes
 * DATABASECHANGELOG; Gearshift reads the same changelog as it is, imports that history and continues.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class LiquibaseAdoptionTest {

    @TempDir
    Path dir;

    private static final String CHANGELOG = """
            --liquibase formatted sql

            --changeset alice:1
            CREATE TABLE plans (id int PRIMARY KEY, name text);
            --rollback DROP TABLE plans;

            --changeset alice:2 splitStatements:false
            CREATE FUNCTION plan_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM plans';
            --rollback DROP FUNCTION plan_count();

            --changeset bob:views runOnChange:true
            CREATE OR REPLACE VIEW plan_names AS SELECT name FROM plans;
            """;

    private static void liquibaseUpdate(TestProject project) throws Exception {
        project.db.execute("CREATE SCHEMA IF NOT EXISTS \"" + project.schema + "\"");
        String url = project.db.url() + (project.db.url().contains("?") ? "&" : "?") + "currentSchema=" + project.schema;
        try (Connection connection = DriverManager.getConnection(url)) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            database.setDefaultSchemaName(project.schema);
            try (Liquibase liquibase = new Liquibase("changelog.sql", new DirectoryResourceAccessor(project.migrations),
                    database)) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        }
    }

    @Test
    void takesOverWhatLiquibaseRanAndUpRunsOnlyTheNewChangeset(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).yaml("module: app\n").write("changelog.sql", CHANGELOG);
        liquibaseUpdate(project);
        project.write("changelog.sql", CHANGELOG + "\n--changeset bob:3\nCREATE TABLE orders (id int);\n"
                + "--rollback DROP TABLE orders;\n");
        Gearshift gs = project.gearshift();

        HistoryImport imported = gs.importHistory("liquibase", false);
        assertThat(imported.recorded()).extracting(HistoryImport.Imported::origin).containsExactly(
                "DATABASECHANGELOG changeset alice:1 (changelog.sql)", "DATABASECHANGELOG changeset alice:2 (changelog.sql)",
                "DATABASECHANGELOG changeset bob:views (changelog.sql)");
        ModuleStatus app = gs.status().module("app").orElseThrow();
        assertThat(app.current()).contains(Version.of(2));
        assertThat(app.pending()).containsExactly(Version.of(3));
        assertThat(app.pendingRepeatables()).isEmpty();

        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/3_3");
        assertThat(project.tableExists("orders")).isTrue();
        // The rollback lines are the down.
        assertThat(gs.down(dev.gearshift.Target.latest()).applied()).extracting(Result.Applied::id)
                .containsExactly("app/3_3");
        assertThat(project.tableExists("orders")).isFalse();
    }

    @Test
    void aChangesetInsertedBeforeAppliedOnesIsNamedAsSuchNotAsAnEdit(TestDatabase db) throws Exception {
        // Versions are positions: a changeset put between applied ones moves them. Liquibase would run it; Gearshift
        // refuses, and says what happened rather than that version 2 was edited.
        TestProject project = new TestProject(db, dir).yaml("module: app\n").write("changelog.sql", CHANGELOG);
        project.gearshift().up();
        project.write("changelog.sql", CHANGELOG.replace("--changeset alice:2",
                "--changeset carol:early\nCREATE TABLE early (id int);\n\n--changeset alice:2"));
        assertThat(project.gearshift().status().problems()).extracting(Problem::message).anyMatch(m ->
                m.contains("version 2 was applied as '2' but is now 'early'")
                        && m.contains("'2' is now version 3: a migration was inserted before it or one removed")
                        && m.contains("add new ones after the last applied one"));
        assertThatThrownBy(() -> project.gearshift().up()).isInstanceOf(GearshiftException.class);
        assertThat(project.tableExists("early")).isFalse();
    }

    @Test
    void aChangesetTheSourcesLackIsRefusedAndNothingIsRecorded(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).yaml("module: app\n").write("changelog.sql", CHANGELOG);
        liquibaseUpdate(project);
        project.write("changelog.sql", CHANGELOG.replace("--changeset alice:2", "--changeset alice:2b"));
        assertThatThrownBy(() -> project.gearshift().importHistory("liquibase", false))
                .isInstanceOf(GearshiftException.class)
                .hasMessageContaining("changeset alice:2 (changelog.sql) is applied, but the sources have no such"
                        + " changeset");
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void aChangesetWithoutAnIdAndContextsAreRefusedNamingTheChangeset(TestDatabase db) {
        TestProject project = new TestProject(db, dir).write("changelog.sql", CHANGELOG
                + "\n--changeset carol\nSELECT 1;\n\n--changeset carol:4 context:test\nSELECT 1;\n");
        Status status = project.gearshift().status();
        assertThat(status.problems()).extracting(Problem::message)
                .anyMatch(m -> m.contains("a changeset without an author and id"))
                .anyMatch(m -> m.contains("changeset carol:4 in ") && m.contains("context:test"));
    }

    @Test
    void keepingDatabasechangelogWithoutGearshiftLiquibaseIsAProblemSayingToAddIt(TestDatabase db) throws Exception {
        // gearshift-postgres's tests do not carry gearshift-liquibase: Liquibase's checksums cannot be computed.
        TestProject project = new TestProject(db, dir).yaml("module: app\nkeep_tool_history: true\n")
                .write("changelog.sql", CHANGELOG);
        Gearshift gs = project.gearshift();
        assertThat(gs.status().problems()).extracting(Problem::message).anyMatch(m -> m.contains("keep_tool_history"
                + " writes DATABASECHANGELOG with Liquibase's own checksums") && m.contains("add the"
                + " gearshift-liquibase module"));
        assertThatThrownBy(gs::up).isInstanceOf(GearshiftException.class);
        assertThat(project.tableExists("plans")).isFalse();
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void anXmlChangelogWithoutGearshiftLiquibaseSaysWhichModuleToAdd(TestDatabase db) {
        // gearshift-postgres's tests do not carry gearshift-liquibase: core alone finds no reader for XML.
        TestProject project = new TestProject(db, dir).write("db.changelog-master.xml", "<databaseChangeLog/>\n");
        assertThatThrownBy(() -> project.gearshift().status()).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("db.changelog-master.xml is a Liquibase XML changelog, and no reader for it is"
                        + " installed: add the gearshift-liquibase module");
    }
}
