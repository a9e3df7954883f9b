package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff}, {@code drift}, {@code new --diff} and {@code init --from-db}, run in-process on the example
 * project. Shadow databases are made on the test server ({@code --dev-url}), except in the test of the embedded
 * default.
 */
@ExtendWith(PostgresExtension.class)
class DiffCommandsTest {

    /** The subzero seed's roles file: desired-state SQL creates the roles it grants to. */
    private static final String ROLES = """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'saas_app') THEN
                    CREATE ROLE saas_app NOLOGIN;
                END IF;
            END
            $$;
            """;

    /**
     * The subzero seed's workflow on the example project: keep the desired state as SQL, edit a view, let
     * {@code new --diff} write the migration, deploy it, and find no drift.
     */
    @Test
    void editAViewWriteTheMigrationDeployIt(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema);

        // the desired state, as SQL files: what the migrations produce today, written by diff from nothing
        Run dump = run(Cli.args(target, "diff", "empty", project.toString(), "--dev-url", db.url()));
        assertThat(dump.exit()).as(dump.toString()).isZero();
        assertThat(dump.out()).contains("SET search_path TO " + schema + ", public;", "CREATE TABLE plans (",
                "CREATE VIEW tenant_directory AS", "GRANT SELECT (id, plan_code, plan_name, slug) ON TABLE"
                        + " tenant_directory TO saas_app");
        Path src = project.resolve("db/src");
        Cli.write(src.resolve("00_roles.sql"), ROLES);
        Cli.write(src.resolve("10_schema.sql"), dump.out());

        Run nothingToDo = run(Cli.args(target, "new", "core", "nothing", "--diff", src.toString(), "--dev-url",
                db.url()));
        assertThat(nothingToDo.exit()).as(nothingToDo.toString()).isEqualTo(2);
        assertThat(nothingToDo.err()).contains("no differences", "nothing written");
        assertThat(project.resolve("migrations/core/7_nothing.up.sql")).doesNotExist();

        // edit the view, as in the seed: ids shown with a '#', todos prefixed
        String edited = Cli.read(src.resolve("10_schema.sql")).replace("SELECT t.id,",
                "SELECT ('#' || t.id::text) AS id,");
        assertThat(edited).isNotEqualTo(dump.out());
        Cli.write(src.resolve("10_schema.sql"), edited);
        Run add = run(Cli.args(target, "new", "core", "directory_ids", "--diff", src.toString(), "--dev-url",
                db.url()));
        assertThat(add.exit()).as(add.toString()).isZero();
        Path up = project.resolve("migrations/core/7_directory_ids.up.sql");
        Path down = project.resolve("migrations/core/7_directory_ids.down.sql");
        assertThat(add.out()).contains(up.toString(), down.toString());
        assertThat(Cli.read(up)).contains("written by `gearshift new --diff").containsSubsequence(
                "DROP VIEW tenant_directory;", "CREATE VIEW tenant_directory AS", "'#'::text || t.id::text",
                "GRANT SELECT (id, plan_code, plan_name, slug) ON TABLE tenant_directory TO saas_app;")
                .doesNotContain("DESTRUCTIVE").doesNotContain("plans (");
        assertThat(Cli.read(down)).containsSubsequence("DROP VIEW tenant_directory;", "SELECT t.id,");

        // deploy: the new migration applies on top of the others, and the schema is what they produce
        Run deploy = run(Cli.args(target, "up"));
        assertThat(deploy.exit()).as(deploy.toString()).isZero();
        assertThat(deploy.out()).contains("core/7_directory_ids");
        Run drift = run(Cli.args(target, "drift", "--dev-url", db.url()));
        assertThat(drift.exit()).as(drift.toString()).isZero();
        assertThat(drift.out()).contains("No drift: schema " + schema);
        assertThat(db.column("SELECT id FROM " + schema + ".tenant_directory")).isEmpty();
        assertThat(db.column("SELECT pg_get_viewdef('" + schema + ".tenant_directory'::regclass)").get(0))
                .contains("'#'::text");

        // and back: the generated down script reverts it
        Run back = run(Cli.args(target, "down", "--module", "core"));
        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(back.out()).as(back.toString()).contains("core/7_directory_ids");
        assertThat(db.column("SELECT pg_get_viewdef('" + schema + ".tenant_directory'::regclass)").get(0))
                .doesNotContain("'#'::text");
    }

    /**
     * A key, a foreign key and an index on a table that holds rows: {@code new --diff} writes the transactional
     * part and, as the next version, a no-transaction migration that builds and validates online; {@code up}
     * applies both, each {@code down} undoes its own.
     */
    @Test
    void newDiffWritesTheOnlinePartAsANoTransactionMigration(TestDatabase db, @TempDir Path temp) throws Exception {
        String schema = db.newSchema();
        List<String> target = List.of("-C", temp.toString(), "--url", db.url(), "--schema", schema,
                "--create-schema");
        assertThat(run(Cli.args(target, "init")).exit()).isZero();
        Path core = temp.resolve("migrations/core");
        String first = """
                CREATE TABLE owners (id int PRIMARY KEY);
                CREATE TABLE items (id int, code text, owner int);
                """;
        Cli.write(core.resolve("1_create.up.sql"), first);
        Cli.write(core.resolve("1_create.down.sql"), "DROP TABLE items; DROP TABLE owners;\n");
        Run created = run(Cli.args(target, "up"));
        assertThat(created.exit()).as(created.toString()).isZero();
        db.execute("INSERT INTO " + schema + ".owners VALUES (1); INSERT INTO " + schema
                + ".items VALUES (1, 'a', 1), (2, 'b', NULL)");

        Path src = temp.resolve("src");
        Cli.write(src.resolve("schema.sql"), """
                CREATE TABLE owners (id int PRIMARY KEY);
                CREATE TABLE items (id int PRIMARY KEY, code text, owner int REFERENCES owners, note text);
                CREATE INDEX items_code ON items (code);
                """);
        Run add = run(Cli.args(target, "new", "core", "harden", "--diff", src.toString(), "--dev-url", db.url()));
        assertThat(add.exit()).as(add.toString()).isZero();
        try (Stream<Path> files = Files.list(core)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("1_create.down.sql",
                    "1_create.up.sql", "2_harden.down.sql", "2_harden.up.sql", "3_harden_online.down.sql",
                    "3_harden_online.up.sql");
        }
        String up2 = Cli.read(core.resolve("2_harden.up.sql"));
        assertThat(up2).startsWith("-- 2_harden.up.sql: written by `gearshift new --diff")
                .contains("ALTER TABLE items ADD COLUMN note text;").doesNotContain("CONCURRENTLY", "NOT VALID",
                        "no-transaction", "ALTER COLUMN id SET NOT NULL;");
        String up3 = Cli.read(core.resolve("3_harden_online.up.sql"));
        assertThat(up3).startsWith("-- gearshift:no-transaction\n-- 3_harden_online.up.sql: written by").containsSubsequence(
                "ALTER TABLE items ADD CONSTRAINT id_gearshift_not_null CHECK (id IS NOT NULL) NOT VALID;",
                "ALTER TABLE items VALIDATE CONSTRAINT id_gearshift_not_null;",
                "ALTER TABLE items ALTER COLUMN id SET NOT NULL;",
                "ALTER TABLE items DROP CONSTRAINT id_gearshift_not_null;",
                "CREATE UNIQUE INDEX CONCURRENTLY items_pkey ON items (id);",
                "ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY USING INDEX items_pkey;")
                .contains("ALTER TABLE items ADD CONSTRAINT items_owner_fkey FOREIGN KEY (owner) REFERENCES"
                        + " owners(id) NOT VALID;", "ALTER TABLE items VALIDATE CONSTRAINT items_owner_fkey;",
                        "CREATE INDEX CONCURRENTLY items_code ON items USING btree (code);")
                .doesNotContain("====");
        assertThat(Cli.read(core.resolve("3_harden_online.down.sql"))).startsWith("-- gearshift:no-transaction\n")
                .contains("DROP INDEX CONCURRENTLY items_code;", "ALTER TABLE items DROP CONSTRAINT items_pkey;",
                        "ALTER TABLE items DROP CONSTRAINT items_owner_fkey;");
        assertThat(Cli.read(core.resolve("2_harden.down.sql"))).contains("ALTER TABLE items DROP COLUMN note;")
                .doesNotContain("no-transaction");

        Run plan = run(Cli.args(target, "validate"));
        assertThat(plan.exit()).as(plan.toString()).isZero();
        Run deploy = run(Cli.args(target, "up"));
        assertThat(deploy.exit()).as(deploy.toString()).isZero();
        assertThat(deploy.out()).contains("core/2_harden", "core/3_harden_online");
        Run drift = run(Cli.args(target, "drift", "--dev-url", db.url()));
        assertThat(drift.exit()).as(drift.toString()).isZero();
        assertThat(db.column("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '" + schema
                + ".items'::regclass ORDER BY conname")).containsExactly("FOREIGN KEY (owner) REFERENCES "
                + schema + ".owners(id)", "PRIMARY KEY (id)");

        // each down undoes its own part: first the online one, then the rest
        Run back = run(Cli.args(target, "down"));
        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(back.out()).contains("core/3_harden_online");
        assertThat(db.column("SELECT conname FROM pg_constraint WHERE conrelid = '" + schema + ".items'::regclass"))
                .isEmpty();
        assertThat(db.column("SELECT attname FROM pg_attribute WHERE attrelid = '" + schema + ".items'::regclass"
                + " AND attname = 'note'")).hasSize(1);
        Run back2 = run(Cli.args(target, "down"));
        assertThat(back2.exit()).as(back2.toString()).isZero();
        Run same = run("--schema", schema, "diff", "db:" + db.url(), "sql:" + core.resolve("1_create.up.sql"),
                "--dev-url", db.url(), "--json");
        assertThat(same.exit()).as(same.toString()).isZero();
        assertThat(same.json().get("differences")).as(same.out()).isEmpty();
        assertThat(db.column("SELECT count(*) FROM " + schema + ".items")).containsExactly("2");

        // the same diff, printed: both parts with a marker between them, and in --json; --no-online: one part
        Run printed = run("--schema", schema, "diff", "db:" + db.url(), src.toString(), "--dev-url", db.url());
        assertThat(printed.exit()).as(printed.toString()).isZero();
        assertThat(printed.out()).contains("in 2 parts").containsSubsequence(
                "-- ==== part 1 of 2: in one transaction ====\n", "ALTER TABLE items ADD COLUMN note text;",
                "-- ==== part 2 of 2: outside a transaction", "CREATE INDEX CONCURRENTLY items_code");
        Run json = run("--schema", schema, "--json", "diff", "db:" + db.url(), src.toString(), "--dev-url", db.url());
        assertThat(json.json().get("parts")).hasSize(2);
        assertThat(json.json().get("parts").get(0).get("transactional").asBoolean()).isTrue();
        assertThat(json.json().get("parts").get(1).get("transactional").asBoolean()).isFalse();
        assertThat(json.json().get("parts").get(1).get("sql").asText()).contains("VALIDATE CONSTRAINT items_owner_fkey");
        Run plain = run("--schema", schema, "diff", "db:" + db.url(), src.toString(), "--dev-url", db.url(),
                "--no-online");
        assertThat(plain.out()).contains("ALTER TABLE items ADD CONSTRAINT items_pkey PRIMARY KEY (id);")
                .doesNotContain("CONCURRENTLY", "NOT VALID", "====");
    }

    @Test
    void driftIsReportedWithTheDdlThatReconcilesIt(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema);
        assertThat(run(Cli.args(target, "up")).exit()).isZero();

        db.execute("ALTER TABLE " + schema + ".tenants ALTER COLUMN email DROP NOT NULL");
        db.execute("CREATE INDEX plans_name ON " + schema + ".plans (name)");
        Run text = run(Cli.args(target, "drift", "--dev-url", db.url()));
        assertThat(text.exit()).as(text.toString()).isEqualTo(1);
        assertThat(text.out()).contains("Drift in schema " + schema + ": 2 objects differ", "  table tenants: different",
                "  index plans_name: not in the migrations", "-- DESTRUCTIVE: drops index plans_name\nDROP INDEX"
                        + " plans_name;", "ALTER TABLE tenants ALTER COLUMN email SET NOT NULL;");
        assertThat(text.err()).contains("warning: SET NOT NULL on tenants.email fails while it holds NULLs");

        Run json = run(Cli.args(target, "drift", "--dev-url", db.url(), "--json"));
        assertThat(json.exit()).isEqualTo(1);
        JsonNode document = json.json();
        assertThat(document.get("drift").asBoolean()).isTrue();
        assertThat(document.get("schema").asText()).isEqualTo(schema);
        assertThat(document.get("differences")).hasSize(2);
        assertThat(document.get("differences").get(0).get("kind").asText()).isEqualTo("table");
        assertThat(document.get("differences").get(0).get("change").asText()).isEqualTo("changed");
        assertThat(document.get("statements").get(0).get("destructive").asBoolean()).isTrue();
        assertThat(document.get("sql").asText()).contains("SET NOT NULL");

        db.execute("DROP INDEX " + schema + ".plans_name");
        db.execute("ALTER TABLE " + schema + ".tenants ALTER COLUMN email SET NOT NULL");
        Run clean = run(Cli.args(target, "drift", "--dev-url", db.url(), "--json"));
        assertThat(clean.exit()).as(clean.toString()).isZero();
        assertThat(clean.json().get("drift").asBoolean()).isFalse();
    }

    @Test
    void initFromAnExistingDatabaseWritesTheFirstMigration(TestDatabase db, @TempDir Path temp) throws Exception {
        Path example = Cli.copyExample(temp);
        String live = db.newSchema();
        assertThat(run("-C", example.toString(), "--url", db.url(), "--schema", live, "up").exit()).isZero();

        Path project = temp.resolve("adopted");
        Run init = run("init", project.toString(), "--from-db", db.url(), "--schema", live);
        assertThat(init.exit()).as(init.toString()).isZero();
        Path up = project.resolve("migrations/core/1_initial.up.sql");
        assertThat(init.out()).contains(up.toString());
        assertThat(Cli.read(project.resolve("gearshift.yaml"))).contains("schema: " + live);
        assertThat(Cli.read(up)).contains("CREATE TABLE plans (", "CREATE TABLE tenants (",
                "CREATE OR REPLACE FUNCTION normalize_slug(raw text)", "CREATE TRIGGER tenants_normalize",
                "CREATE INDEX tenants_email_idx").doesNotContain("gearshift_history").doesNotContain(live + ".");
        assertThat(Cli.read(project.resolve("migrations/core/1_initial.down.sql"))).contains("DROP TABLE tenants;");

        // the first migration rebuilds the database's schema exactly
        String rebuilt = db.newSchema();
        Run upRun = run("-C", project.toString(), "--url", db.url(), "--schema", rebuilt, "--create-schema", "up");
        assertThat(upRun.exit()).as(upRun.toString()).isZero();
        Run same = run("--schema", live, "diff", db.url(), postgresUrlFor(db, rebuilt), "--json");
        assertThat(same.exit()).as(same.toString()).isZero();
        assertThat(same.json().get("differences")).as(same.out()).isEmpty();

        Run empty = run("init", temp.resolve("none").toString(), "--from-db", db.url(), "--schema", db.newSchema());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("is empty or does not exist");
        assertThat(temp.resolve("none")).doesNotExist();
    }

    /** The same database, another schema: {@code currentSchema} names a side's own schema. */
    private static String postgresUrlFor(TestDatabase db, String schema) {
        return "db:" + db.url() + (db.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Test
    void diffBetweenSidesOfEveryKind(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        Path src = temp.resolve("src");
        Cli.write(src.resolve("00_roles.sql"), ROLES);
        Cli.write(src.resolve("schema.sql"), "CREATE TABLE plans (code text PRIMARY KEY, name text NOT NULL);\n");
        Run run = run("--schema", "saas", "diff", project.toString(), src.toString(), "--dev-url", db.url());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("-- gearshift diff: from the migrations in " + project + " to " + src
                + ", schema saas\n").contains("-- DESTRUCTIVE: drops table tenants and its data",
                "DROP TABLE tenants;", "ALTER TABLE plans DROP COLUMN price_cents;");

        Run json = run("--json", "diff", src.toString(), src.toString(), "--dev-url", db.url());
        assertThat(json.exit()).as(json.toString()).isZero();
        assertThat(json.json().get("statements")).isEmpty();
        assertThat(json.json().get("schema").asText()).isEqualTo("public");

        Run same = run("diff", "empty", "empty");
        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("-- no differences");
    }

    @Test
    void badInput(TestDatabase db, @TempDir Path temp) throws Exception {
        Run unknown = run("diff", "empty", temp.resolve("nope").toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("is neither a database URL nor an existing file or directory");

        Path src = temp.resolve("src");
        Cli.write(src.resolve("01.sql"), "CREATE TABLE a (id int);\n");
        Cli.write(src.resolve("02.sql"), "CREATE TABLE b (id int);\nCREATE VIEW v AS SELECT nope FROM b;\n");
        Run broken = run("diff", "empty", src.toString(), "--dev-url", db.url());
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.err()).contains(src.resolve("02.sql") + ":2:25: desired-state SQL does not load",
                "column \"nope\" does not exist");

        int port = Cli.closedPort();
        Run unreachable = run("diff", "empty", src.toString(), "--dev-url", "postgres://dev:s3cret@127.0.0.1:" + port
                + "/dev");
        assertThat(unreachable.exit()).isEqualTo(4);
        assertThat(unreachable.err()).contains("cannot reach the dev database").doesNotContain("s3cret");

        Cli.write(src.resolve("02.sql"), "CREATE TABLE b (id int);\n");
        Run rename = run("diff", "empty", src.toString(), "--dev-url", db.url(), "--rename", "a.x=y");
        assertThat(rename.exit()).isEqualTo(2);
        assertThat(rename.err()).contains("rename a.x=y: there is no column a.x to rename (--rename)");

        Run both = run("-C", temp.toString(), "new", "core", "x", "--diff", src.toString(), "--no-diff");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--diff and --no-diff exclude each other");
    }

    @Test
    void newWithoutDiffWritesEmptyScriptsAsBefore(@TempDir Path temp) throws Exception {
        assertThat(run("-C", temp.toString(), "init").exit()).isZero();
        Run plain = run("-C", temp.toString(), "new", "core", "seed_data", "--no-diff");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        try (Stream<Path> files = Files.list(temp.resolve("migrations/core"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "1_seed_data.down.sql", "1_seed_data.up.sql");
        }
        assertThat(Cli.read(temp.resolve("migrations/core/1_seed_data.up.sql"))).startsWith("-- core/1_seed_data (up)");
    }

    /** No --dev-url: the shadow is an embedded PostgreSQL started for the command. */
    @Test
    void theShadowIsEmbeddedByDefault(@TempDir Path temp) throws Exception {
        Path src = temp.resolve("src");
        Cli.write(src.resolve("schema.sql"), "CREATE TABLE notes (id int PRIMARY KEY, body text);\n");
        Run run = run("--schema", "app", "diff", "empty", src.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err()).contains("Building schemas in a throwaway embedded PostgreSQL");
        assertThat(run.out()).contains("SET search_path TO app, public;", "CREATE TABLE notes (",
                "ALTER TABLE notes ADD CONSTRAINT notes_pkey PRIMARY KEY (id);");
    }
}
