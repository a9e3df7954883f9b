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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Sqitch project (sqitch.plan with dependencies and a tag; deploy, revert and verify scripts from Sqitch's own
 * templates, wrapped in BEGIN/COMMIT and BEGIN/ROLLBACK) read as it is, and Sqitch's registry, written here as
 * Sqitch's PostgreSQL registry defines sqitch.changes, taken over by import.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class SqitchAdoptionTest {

    @TempDir
    Path dir;

    private TestDatabase db;
    private String project;

    /** Sqitch's registry is the database's, not the schema's: this test's rows go with it. */
    @org.junit.jupiter.api.AfterEach
    void forgetTheRegistryRows() throws Exception {
        if (db != null && project != null && !db.column("SELECT 1 FROM pg_tables WHERE schemaname = 'sqitch'"
                + " AND tablename = 'changes'").isEmpty()) {
            db.execute("DELETE FROM sqitch.changes WHERE project = '" + project + "'");
        }
    }

    private static String deploy(String schema, String body) {
        return "-- Deploy flipr:x to pg\n\nBEGIN;\n\nSET search_path TO \"" + schema + "\";\n" + body + "\n\nCOMMIT;\n";
    }

    private TestProject sqitchProject(TestDatabase db, Path dir) {
        TestProject project = new TestProject(db, dir);
        this.db = db;
        this.project = project.schema;
        String s = project.schema;
        return project.write("sqitch.plan", "%syntax-version=1.0.0\n%project=" + s + "\n%uri=https://example.com/flipr/\n\n"
                        + "appschema 2013-12-30T23:19:45Z Marge N. O'Vera <marge@example.com> # Add the schema.\n"
                        + "users [appschema] 2013-12-30T23:49:00Z Marge N. O'Vera <marge@example.com> # Users.\n"
                        + "@v1.0.0-dev1 2013-12-31T00:00:00Z Marge N. O'Vera <marge@example.com> # Tag v1.0.0-dev1.\n\n"
                        + "flips [appschema users] 2014-01-01T10:00:00Z Marge N. O'Vera <marge@example.com> # Flips.\n")
                .write("deploy/appschema.sql", "-- Deploy\n\nBEGIN;\n\nCREATE SCHEMA IF NOT EXISTS \"" + s + "\";\n\nCOMMIT;\n")
                .write("revert/appschema.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\n")
                .write("deploy/users.sql", deploy(s, "CREATE TABLE users (nickname text PRIMARY KEY);"))
                .write("revert/users.sql", deploy(s, "DROP TABLE users;"))
                .write("verify/users.sql", "BEGIN;\nSELECT nickname FROM \"" + s + "\".users WHERE FALSE;\nROLLBACK;\n")
                .write("deploy/flips.sql", deploy(s, "CREATE TABLE flips (id bigint PRIMARY KEY, nickname text"
                        + " REFERENCES users);"))
                .write("revert/flips.sql", deploy(s, "DROP TABLE flips;"))
                .write("verify/flips.sql", "BEGIN;\nSELECT id FROM \"" + s + "\".flips WHERE FALSE;\nROLLBACK;\n");
    }

    private static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sqitch deployed appschema and users: their work, and the registry's rows (columns as Sqitch's pg registry). */
    private static void sqitchDeployed(TestProject project, String usersScript) throws Exception {
        String s = '"' + project.schema + '"';
        project.db.execute("CREATE SCHEMA IF NOT EXISTS sqitch;"
                + "CREATE TABLE IF NOT EXISTS sqitch.changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL,"
                + " change TEXT NOT NULL, project TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
                + " committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL,"
                + " committer_email TEXT NOT NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL,"
                + " planner_email TEXT NOT NULL);"
                + "CREATE SCHEMA " + s + "; CREATE TABLE " + s + ".users (nickname text PRIMARY KEY);"
                + "INSERT INTO sqitch.changes (change_id, script_hash, change, project, note, committer_name,"
                + " committer_email, planned_at, planner_name, planner_email) VALUES"
                + " ('" + sha1(project.schema + "a") + "', '" + sha1(read(project, "deploy/appschema.sql")) + "', 'appschema', '"
                + project.schema + "', 'Add the schema.', 'Marge', 'marge@example.com', '2013-12-30T23:19:45Z', 'Marge',"
                + " 'marge@example.com');"
                + "INSERT INTO sqitch.changes (change_id, script_hash, change, project, note, committer_name,"
                + " committer_email, planned_at, planner_name, planner_email) VALUES"
                + " ('" + sha1(project.schema + "u") + "', '" + sha1(usersScript) + "', 'users', '" + project.schema
                + "', 'Users.', 'Marge', 'marge@example.com', '2013-12-30T23:49:00Z', 'Marge', 'marge@example.com')");
    }

    private static String read(TestProject project, String path) throws Exception {
        return java.nio.file.Files.readString(project.file(path));
    }

    @Test
    void takesOverSqitchsRegistryAndDeploysTheNextChange(TestDatabase db) throws Exception {
        TestProject project = sqitchProject(db, dir);
        sqitchDeployed(project, read(project, "deploy/users.sql"));
        Gearshift gs = project.gearshift();

        HistoryImport imported = gs.importHistory("sqitch", false);
        assertThat(imported.recorded()).extracting(HistoryImport.Imported::name).containsExactly("appschema", "users");
        ModuleStatus module = gs.status().module(project.schema).orElseThrow();
        assertThat(module.current()).contains(Version.of(2));
        assertThat(module.pending()).containsExactly(Version.of(3));
        Result up = gs.up();
        assertThat(up.applied()).extracting(Result.Applied::id).containsExactly(project.schema + "/3_flips");
        assertThat(project.tableExists("flips")).isTrue();
        assertThat(gs.verify().passed()).isTrue();
        assertThat(gs.down(dev.gearshift.Target.latest()).applied()).hasSize(1);
        assertThat(project.tableExists("flips")).isFalse();
    }

    @Test
    void anEditedDeployScriptIsRefused(TestDatabase db) throws Exception {
        TestProject project = sqitchProject(db, dir);
        sqitchDeployed(project, "-- another text\n");
        assertThatThrownBy(() -> project.gearshift().importHistory("sqitch", false))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("change users")
                .hasMessageContaining("the deploy script was edited after Sqitch deployed it");
        assertThat(project.historyRows()).isEmpty();
    }

    @Test
    void aPlanNamingAMissingScriptAndAReworkAreRefusedNamingTheLine(TestDatabase db) throws Exception {
        TestProject project = sqitchProject(db, dir);
        project.write("sqitch.plan", read(project, "sqitch.plan")
                + "orders [flips] 2014-01-02T10:00:00Z Marge <marge@example.com> # Orders.\n"
                + "@v1.0.0 2014-01-03T00:00:00Z Marge <marge@example.com>\n"
                + "users [users@v1.0.0] 2014-01-04T00:00:00Z Marge <marge@example.com> # Rework users.\n");
        Status status = project.gearshift().status();
        String plan = project.location("sqitch.plan");
        assertThat(status.problems()).extracting(Problem::location).containsExactlyInAnyOrder(plan + ":10", plan + ":12");
        assertThat(status.problems()).extracting(Problem::message)
                .anyMatch(m -> m.contains("names 'orders', but there is no") && m.contains("deploy/orders.sql"))
                .anyMatch(m -> m.contains("'users' is reworked after a tag"));
    }
}
