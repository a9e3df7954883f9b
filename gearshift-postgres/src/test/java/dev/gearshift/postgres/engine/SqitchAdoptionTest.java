package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.List;
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

    /** Whether the real Sqitch can run here; in CI it must ({@code CI=true}), so the test fails rather than skips. */
    private static boolean sqitchRuns() {
        return "true".equals(System.getenv("CI")) || java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "")
                .split(java.io.File.pathSeparator)).anyMatch(d -> java.nio.file.Files.isExecutable(Path.of(d, "sqitch")));
    }

    private record Run(int exit, String output) {
    }

    /** A database of the test server of its own, as JDBC and Sqitch ({@code db:pg://user@host:port/db}) name it. */
    private record SqitchDatabase(TestDatabase db, String target, String password) {

        static SqitchDatabase of(TestDatabase db) {
            java.net.URI jdbc = java.net.URI.create(db.url().substring("jdbc:".length()));
            java.util.Map<String, String> query = new java.util.HashMap<>();
            for (String pair : (jdbc.getQuery() == null ? "" : jdbc.getQuery()).split("&")) {
                query.put(pair.replaceFirst("=.*", ""), pair.replaceFirst("^[^=]*=?", ""));
            }
            return new SqitchDatabase(db, "db:pg://" + query.getOrDefault("user", "postgres") + "@" + jdbc.getHost()
                    + ":" + (jdbc.getPort() < 0 ? 5432 : jdbc.getPort()) + jdbc.getPath(), query.get("password"));
        }

        /** Runs the real {@code sqitch} in the project against this database. */
        Run sqitch(TestProject project, String... args) throws Exception {
            List<String> command = new java.util.ArrayList<>(List.of("sqitch"));
            command.addAll(List.of(args));
            command.add(target);
            ProcessBuilder builder = new ProcessBuilder(command).directory(project.migrations.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("SQITCH_FULLNAME", "Sqitch Itself");
            builder.environment().put("SQITCH_EMAIL", "sqitch@example.com");
            if (password != null) {
                builder.environment().put("PGPASSWORD", password);
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            return new Run(process.exitValue(), output);
        }
    }

    private final List<Runnable> dropDatabases = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void dropDatabases() {
        dropDatabases.forEach(Runnable::run);
    }

    /** Sqitch's registry is the database's, in a schema of fixed name: a test that runs Sqitch has a database of its own. */
    private SqitchDatabase newDatabase(TestDatabase server) throws Exception {
        assumeTrue(sqitchRuns(), "skipped: no sqitch on PATH (apt-get install sqitch libdbd-pg-perl); CI runs it");
        String database = "gs_sqitch_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        server.execute("CREATE DATABASE " + database);
        dropDatabases.add(() -> {
            try {
                server.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return SqitchDatabase.of(new TestDatabase(server.url().replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*",
                "$1" + database)));
    }

    /** Sqitch's tutorial project, flipr: four changes with dependencies (one on a tag) and three tags. */
    private TestProject flipr(TestDatabase db) {
        TestProject project = new TestProject(db, dir);
        String s = project.schema;
        String planner = " Marge N. O'Vera <marge@example.com>";
        project.write("sqitch.conf", "[core]\n\tengine = pg\n")
                .write("sqitch.plan", "%syntax-version=1.0.0\n%project=flipr\n%uri=https://example.com/flipr/\n\n"
                        + "appschema 2013-12-30T23:19:45Z" + planner + " # Add the schema.\n"
                        + "users [appschema] 2013-12-30T23:49:00Z" + planner + " # Users.\n"
                        + "@v1.0.0-dev1 2013-12-31T00:00:00Z" + planner + " # Tag v1.0.0-dev1.\n\n"
                        + "flips [appschema users] 2014-01-01T10:00:00Z" + planner + " # Flips,\\nwith a second line.\n"
                        + "@v1.0.0 2014-01-02T00:00:00Z" + planner + " # Tag v1.0.0.\n\n"
                        + "likes [flips users@v1.0.0-dev1] 2014-01-03T10:00:00Z" + planner + " # Likes, \\\\ 'quoted'.\n"
                        + "@v1.1.0 2014-01-04T00:00:00Z" + planner + "\n")
                .write("deploy/appschema.sql", "-- Deploy flipr:appschema to pg\n\nBEGIN;\n\nCREATE SCHEMA IF NOT EXISTS \"" + s
                        + "\";\n\nCOMMIT;\n")
                .write("revert/appschema.sql", "BEGIN;\nDROP SCHEMA \"" + s + "\" CASCADE;\nCOMMIT;\n")
                .write("verify/appschema.sql", "BEGIN;\nSELECT pg_catalog.has_schema_privilege('" + s
                        + "', 'usage');\nROLLBACK;\n");
        for (String[] table : new String[][] {{"users", "nickname text PRIMARY KEY"},
                {"flips", "id bigint PRIMARY KEY, nickname text REFERENCES users"},
                {"likes", "flip_id bigint REFERENCES flips, nickname text REFERENCES users"}}) {
            project.write("deploy/" + table[0] + ".sql", deploy(s, "CREATE TABLE " + table[0] + " (" + table[1] + ");"))
                    .write("revert/" + table[0] + ".sql", deploy(s, "DROP TABLE " + table[0] + ";"))
                    .write("verify/" + table[0] + ".sql", "BEGIN;\nSELECT * FROM \"" + s + "\"." + table[0]
                            + " WHERE FALSE;\nROLLBACK;\n");
        }
        return project.yaml("keep_tool_history: true\n");
    }

    /**
     * The real Sqitch deploys the first changes; Gearshift imports them and, keeping Sqitch's registry, deploys the
     * rest; Sqitch then finds nothing to deploy and verifies everything; after Gearshift reverts the last change,
     * Sqitch deploys it again, writing the very rows Gearshift had written, and reverts it as Gearshift did.
     */
    @Test
    void sqitchItselfSeesWhatGearshiftDeployedAndReverted(TestDatabase server) throws Exception {
        SqitchDatabase to = newDatabase(server);
        TestDatabase db = to.db();
        TestProject project = flipr(db);
        Run first = to.sqitch(project, "deploy", "--to", "users");
        assertThat(first.exit()).as(first.output()).isZero();

        Gearshift gs = project.gearshift();
        assertThat(gs.importHistory("sqitch", false).recorded()).extracting(HistoryImport.Imported::name)
                .containsExactly("appschema", "users");
        assertThat(gs.up().applied()).extracting(Result.Applied::id)
                .containsExactly("flipr/3_flips", "flipr/4_likes");

        Run status = to.sqitch(project, "status");
        assertThat(status.output()).as(status.output()).contains("Nothing to deploy (up-to-date)");
        Run verify = to.sqitch(project, "verify");
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("* flips @v1.0.0 ....... ok", "* likes @v1.1.0 ....... ok", "Verify successful");
        Run again = to.sqitch(project, "deploy");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("Nothing to deploy (up-to-date)");

        // What Gearshift wrote for likes, apart from who committed it and when
        String likes = "(SELECT change_id FROM sqitch.changes WHERE change = 'likes')";
        String event = "SELECT event || ' ' || change_id || ' ' || change || ' ' || project || ' ' || note || ' '"
                + " || requires::text || conflicts::text || tags::text || ' ' || planned_at || ' ' || planner_name"
                + " || ' ' || planner_email FROM sqitch.events WHERE change = 'likes' AND event = ";
        String[] rows = {
            "SELECT change_id || ' ' || script_hash || ' ' || change || ' ' || project || ' ' || note || ' '"
                + " || planned_at || ' ' || planner_name || ' ' || planner_email FROM sqitch.changes"
                + " WHERE change = 'likes'",
            "SELECT type || ' ' || dependency || ' ' || coalesce(dependency_id, '-') FROM sqitch.dependencies"
                + " WHERE change_id = " + likes + " ORDER BY 1",
            "SELECT tag_id || ' ' || tag || ' ' || project || ' ' || change_id || ' ' || note || ' ' || planned_at"
                + " || ' ' || planner_name || ' ' || planner_email FROM sqitch.tags WHERE change_id = " + likes,
            event + "'deploy' ORDER BY committed_at DESC LIMIT 1"};
        List<List<String>> gearshiftWrote = new java.util.ArrayList<>();
        for (String sql : rows) {
            gearshiftWrote.add(db.column(sql));
        }
        assertThat(gearshiftWrote).extracting(List::size).containsExactly(1, 2, 1, 1);

        assertThat(gs.down(dev.gearshift.Target.latest()).applied()).hasSize(1);
        assertThat(project.tableExists("likes")).isFalse();
        assertThat(to.sqitch(project, "status").output()).contains("Undeployed change:",
                "* likes @v1.1.0");
        assertThat(db.column("SELECT event || ' ' || change || ' ' || tags::text || requires::text"
                + " FROM sqitch.events ORDER BY committed_at")).containsExactly("deploy appschema {}{}",
                "deploy users {@v1.0.0-dev1}{appschema}", "deploy flips {@v1.0.0}{appschema,users}",
                "deploy likes {@v1.1.0}{flips,users@v1.0.0-dev1}", "revert likes {@v1.1.0}{flips,users@v1.0.0-dev1}");
        List<String> gearshiftReverted = db.column(event + "'revert'");

        Run redeploy = to.sqitch(project, "deploy");
        assertThat(redeploy.exit()).as(redeploy.output()).isZero();
        assertThat(redeploy.output()).contains("+ likes @v1.1.0 .. ok");
        assertThat(project.tableExists("likes")).isTrue();
        for (int i = 0; i < rows.length; i++) {
            assertThat(db.column(rows[i])).as(rows[i]).isEqualTo(gearshiftWrote.get(i));
        }
        Run revert = to.sqitch(project, "revert", "-y", "--to", "flips");
        assertThat(revert.exit()).as(revert.output()).isZero();
        assertThat(db.column(event + "'revert' ORDER BY committed_at DESC LIMIT 1")).isEqualTo(gearshiftReverted);
    }

    /**
     * Where Sqitch never deployed, Gearshift creates Sqitch's registry as Sqitch's own DDL does (the same tables,
     * columns, constraints and indexes as the real Sqitch creates), and Sqitch takes it as its own.
     */
    @Test
    void gearshiftCreatesSqitchsRegistryWhereItIsMissing(TestDatabase server) throws Exception {
        SqitchDatabase to = newDatabase(server);
        TestProject project = flipr(to.db());
        assertThat(project.gearshift().up().applied()).hasSize(4);
        assertThat(to.db().column("SELECT version || ' ' || (SELECT count(*) FROM sqitch.projects)"
                + " FROM sqitch.releases")).containsExactly("1.1 1");
        Run status = to.sqitch(project, "status");
        assertThat(status.output()).as(status.output()).contains("Nothing to deploy (up-to-date)");
        Run verify = to.sqitch(project, "verify");
        assertThat(verify.exit()).as(verify.output()).isZero();

        SqitchDatabase bySqitch = newDatabase(server);
        Run deploy = bySqitch.sqitch(project, "deploy");
        assertThat(deploy.exit()).as(deploy.output()).isZero();
        assertThat(to.db().snapshot("sqitch")).isEqualTo(bySqitch.db().snapshot("sqitch")).contains("events_event_check");
    }

    /** Sqitch's ids need each line's timestamp and planner, and the plan's %project: without them, nothing runs. */
    @Test
    void keepingTheRegistryRefusesLinesSqitchCouldNotIdentify(TestDatabase db) throws Exception {
        TestProject project = sqitchProject(db, dir).yaml("keep_tool_history: true\n");
        project.write("sqitch.plan", read(project, "sqitch.plan").replace("%project=" + project.schema + "\n", "")
                .replace("flips [appschema users] 2014-01-01T10:00:00Z Marge N. O'Vera <marge@example.com>",
                        "flips [appschema users]"));
        Status status = project.gearshift().status();
        String plan = project.location("sqitch.plan");
        assertThat(status.problems()).extracting(Problem::location).containsExactlyInAnyOrder(plan, plan + ":8");
        assertThat(status.problems()).extracting(Problem::message)
                .anyMatch(m -> m.contains("keep_tool_history needs the plan's %project"))
                .anyMatch(m -> m.contains("with its timestamp and planner"));
        assertThat(project.historyRows()).isEmpty();
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

    /**
     * A project whose sqitch.conf names its registry ({@code registry = app_sqitch}): the real Sqitch deploys into
     * that schema, Gearshift imports from it and keeps it, and no {@code sqitch} schema appears.
     */
    @Test
    void theRegistrySqitchConfNamesIsReadAndKept(TestDatabase server) throws Exception {
        SqitchDatabase to = newDatabase(server);
        TestDatabase db = to.db();
        TestProject project = flipr(db).write("sqitch.conf", "[core]\n\tengine = pg\n[engine \"pg\"]\n"
                + "\tregistry = app_sqitch   # not Sqitch's default\n");
        Run first = to.sqitch(project, "deploy", "--to", "users");
        assertThat(first.exit()).as(first.output()).isZero();
        Gearshift gs = project.gearshift();

        assertThat(gs.importHistory("sqitch", false).recorded()).extracting(HistoryImport.Imported::origin)
                .containsExactly("app_sqitch.changes change appschema (project flipr)",
                        "app_sqitch.changes change users (project flipr)");
        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("flipr/3_flips", "flipr/4_likes");
        assertThat(db.column("SELECT change FROM app_sqitch.changes ORDER BY committed_at"))
                .containsExactly("appschema", "users", "flips", "likes");
        assertThat(db.column("SELECT 1 FROM pg_namespace WHERE nspname = 'sqitch'")).isEmpty();
        Run status = to.sqitch(project, "status");
        assertThat(status.output()).as(status.output()).contains("Nothing to deploy (up-to-date)");
    }

    /** A target's registry wins over the engine's, as Sqitch resolves it; an unusable name is refused naming the line. */
    @Test
    void theTargetsRegistryWinsAndAnUnusableNameIsRefused(TestDatabase db) throws Exception {
        TestProject project = sqitchProject(db, dir).write("sqitch.conf", "[core]\n\tengine = pg\n"
                + "[engine \"pg\"]\n\ttarget = prod\n\tregistry = engine_registry\n"
                + "[target \"prod\"]\n\turi = db:pg://db/app\n\tregistry = \"prod_registry\"\n");
        assertThatThrownBy(() -> project.gearshift().importHistory("sqitch", false))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("no prod_registry.changes registry in schema prod_registry of ");

        project.write("sqitch.conf", "[engine \"pg\"]\n\tregistry = app-registry\n");
        Status status = project.gearshift().status();
        assertThat(status.problems()).extracting(Problem::location).containsExactly(project.location("sqitch.conf") + ":2");
        assertThat(status.problems()).extracting(Problem::message).allMatch(m -> m.contains("app-registry"));
    }
}
