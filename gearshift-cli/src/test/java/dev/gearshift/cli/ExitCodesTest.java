package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.Guard;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The documented exit codes: 0 success, 1 migration failed, 2 invalid input (nothing changed), 3 locked,
 * 4 connection. Every failure is checked in text (stderr) and with --json ({"error": {...}} on stdout).
 */
@ExtendWith(PostgresExtension.class)
class ExitCodesTest {

    private TestDatabase db;
    private Path project;
    private Path core;
    private String schema;

    @BeforeEach
    void project(TestDatabase db, @TempDir Path temp) {
        this.db = db;
        this.project = temp;
        this.core = temp.resolve("migrations/core");
        this.schema = db.newSchema();
        Cli.write(core.resolve("1_create_a.up.sql"), "CREATE TABLE a (id int);\n");
        Cli.write(core.resolve("1_create_a.down.sql"), "DROP TABLE a;\n");
        Cli.write(core.resolve("2_create_b.up.sql"), "CREATE TABLE b (id int);\n");
        Cli.write(core.resolve("2_create_b.down.sql"), "DROP TABLE b;\n");
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of("-C", project.toString(), "--url", db.url(), "--schema", schema,
                "--create-schema"));
        all.addAll(List.of(args));
        return Cli.run(all);
    }

    /** Runs the command in text and in JSON: both exit with {@code exit}; the JSON error has {@code code}. */
    private Run fails(int exit, String code, String... args) {
        Run text = cli(args);
        assertThat(text.exit()).as(text.toString()).isEqualTo(exit);
        assertThat(text.err()).as(text.toString()).isNotBlank();
        List<String> withJson = new ArrayList<>(List.of(args));
        withJson.add("--json");
        Run json = cli(withJson.toArray(String[]::new));
        assertThat(json.exit()).as(json.toString()).isEqualTo(exit);
        JsonNode error = json.json().get("error");
        assertThat(error).as(json.toString()).isNotNull();
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("exit_code").asInt()).isEqualTo(exit);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(json.err()).as("--json puts the error on stdout only").isEmpty();
        return text;
    }

    private List<String> applied() throws Exception {
        if (db.column("SELECT 1 FROM information_schema.tables WHERE table_schema = '" + schema
                + "' AND table_name = 'gearshift_history'").isEmpty()) {
            return List.of();
        }
        JsonNode status = cli("status", "--json").json();
        List<String> applied = new ArrayList<>();
        status.get("modules").forEach(m -> m.get("applied").forEach(v -> applied.add(m.get("module").asText() + "/"
                + v.asLong())));
        return applied;
    }

    private List<String> tables() throws Exception {
        return db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema
                + "' AND table_name <> 'gearshift_history' ORDER BY 1");
    }

    /** Every stable code's exit code, as the README's table documents them (the engine's tests checked these). */
    @Test
    void everyErrorCodeHasItsDocumentedExitCode() {
        java.util.Map<ErrorCode, Integer> documented = new java.util.EnumMap<>(ErrorCode.class);
        documented.put(ErrorCode.MIGRATION_FAILED, 1);
        documented.put(ErrorCode.VERIFY_FAILED, 1);
        documented.put(ErrorCode.USAGE, 2);
        documented.put(ErrorCode.VALIDATION, 2);
        documented.put(ErrorCode.SCRIPT_SYNTAX, 2);
        documented.put(ErrorCode.LOCK_TIMEOUT, 3);
        documented.put(ErrorCode.LOCK_LOST, 3);
        documented.put(ErrorCode.LOCKED_BY_APPLICATION, 3);
        documented.put(ErrorCode.CONNECTION, 4);
        documented.put(ErrorCode.INTERNAL, 70);
        assertThat(documented).hasSize(ErrorCode.values().length);
        documented.forEach((code, exit) -> assertThat(ExitCodes.of(code)).as(code.id()).isEqualTo(exit));
    }

    @Test
    void success() throws Exception {
        Run up = cli("up");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(tables()).containsExactly("a", "b");
        assertThat(up.err()).isEmpty();
    }

    @Test
    void aFailingStatementExitsOneNamingFileLineAndPostgresMessage() throws Exception {
        Cli.write(core.resolve("3_broken.up.sql"),
                "CREATE TABLE c (id int);\n\nINSERT INTO no_such_table VALUES (1);\n");
        Run text = fails(1, "migration-failed", "up");
        assertThat(text.err()).contains("3_broken.up.sql:3")
                .contains("relation \"no_such_table\" does not exist")
                .contains("INSERT INTO no_such_table");
        // the earlier migrations were applied, the failing one rolled back as a whole
        assertThat(applied()).containsExactly("core/1", "core/2");
        assertThat(tables()).containsExactly("a", "b");
    }

    @Test
    void aFailingVerifyScriptExitsOne() throws Exception {
        Cli.write(core.resolve("2_create_b.verify.sql"), "SELECT id FROM b;\n");
        assertThat(cli("up").exit()).isZero();
        assertThat(cli("verify").exit()).isZero();
        db.execute("DROP TABLE " + schema + ".b");
        Run text = cli("verify");
        assertThat(text.exit()).as(text.toString()).isEqualTo(1);
        assertThat(text.out()).contains("FAILED core/2_create_b").contains("relation \"b\" does not exist")
                .contains("1 of 1 verify script failed");
        Run json = cli("verify", "--json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.json().get("passed").asBoolean()).isFalse();
        assertThat(json.json().get("checks").get(0).get("passed").asBoolean()).isFalse();
    }

    @Test
    void malformedFileNameExitsTwoAndChangesNothing() throws Exception {
        Cli.write(core.resolve("three_create_c.up.sql"), "CREATE TABLE c (id int);\n");
        Run text = fails(2, "validation", "up");
        assertThat(text.err()).contains("three_create_c.up.sql").contains("expected <version>_<name>.up.sql");
        assertThat(db.schemaExists(schema) ? tables() : List.of()).isEmpty();
    }

    @Test
    void duplicateVersionExitsTwoAndChangesNothing() throws Exception {
        Cli.write(core.resolve("2_create_c.up.sql"), "CREATE TABLE c (id int);\n");
        Run text = fails(2, "validation", "up");
        assertThat(text.err()).contains("version 2 of module 'core' is used by more than one migration")
                .contains("2_create_c.up.sql");
        assertThat(db.schemaExists(schema) ? tables() : List.of()).isEmpty();
    }

    @Test
    void anAppliedFileEditedAfterwardsExitsTwo() throws Exception {
        assertThat(cli("up", "--to", "1").exit()).isZero();
        Cli.write(core.resolve("1_create_a.up.sql"), "CREATE TABLE a (id bigint);\n");
        Run text = fails(2, "validation", "up");
        assertThat(text.err()).contains("1_create_a.up.sql: was edited after it was applied");
        assertThat(applied()).containsExactly("core/1");
        assertThat(tables()).containsExactly("a");
        Run validate = fails(2, "validation", "validate");
        assertThat(validate.err()).contains("was edited after it was applied");
    }

    @Test
    void unknownModuleExitsTwo() throws Exception {
        Run text = fails(2, "usage", "up", "--module", "billing");
        assertThat(text.err()).contains("unknown module 'billing'");
        assertThat(db.schemaExists(schema) ? tables() : List.of()).isEmpty();
    }

    @Test
    void unknownOptionExitsTwo() throws Exception {
        Run text = fails(2, "usage", "up", "--dry-runn");
        assertThat(text.err()).contains("unknown option '--dry-runn' for 'gearshift up'").contains("See 'gearshift up --help'");
        Run json = cli("up", "--dry-runn", "--json");
        assertThat(json.json().get("error").get("message").asText()).contains("--dry-runn");
        Run noCommand = Cli.run("--no-such-global", "status");
        assertThat(noCommand.exit()).isEqualTo(2);
        assertThat(db.schemaExists(schema)).isFalse();
    }

    @Test
    void conflictingOrMalformedOptionsExitTwoWithAMessageAPersonCanActOn() throws Exception {
        assertThat(fails(2, "usage", "up", "--to", "1", "--steps", "1").err())
                .contains("--to and --steps exclude each other");
        assertThat(fails(2, "usage", "down", "--steps", "1", "--to", "0").err())
                .contains("--to and --steps exclude each other");
        assertThat(fails(2, "usage", "up", "--to", "1", "--to", "2").err())
                .contains("option '--to' (<to>) should be specified only once");
        assertThat(fails(2, "usage", "plan", "--module", "core", "--module", "auth").err())
                .contains("option '--module' (<module>) should be specified only once");
        assertThat(fails(2, "usage", "up", "--to", "two").err()).contains("Invalid value for option '--to': 'two' is not a version");
        assertThat(fails(2, "usage", "plan", "sideways").err()).contains("plan takes 'up' or 'down', not 'sideways'");
        assertThat(fails(2, "usage", "up", "--lock-timeout", "soon").err())
                .contains("--lock-timeout: 'soon' is not a duration");
        assertThat(fails(2, "usage", "up", "--lock-timeout", "1s", "--migrator-wait", "1s").err())
                .contains("--lock-timeout is the deprecated name of --migrator-wait");
        assertThat(fails(2, "usage", "up", "--ddl-lock-timeout", "soon").err())
                .contains("--ddl-lock-timeout: 'soon' is not a duration");
        assertThat(db.schemaExists(schema)).isFalse();
    }

    @Test
    void aDownWithoutItsDownScriptExitsTwoBeforeTouchingAnything() throws Exception {
        assertThat(cli("up").exit()).isZero();
        Files.delete(core.resolve("2_create_b.down.sql"));
        Run text = fails(2, "validation", "down", "--to", "0");
        assertThat(text.err()).contains("2_create_b.up.sql: has no down migration");
        assertThat(applied()).containsExactly("core/1", "core/2");
        assertThat(tables()).containsExactly("a", "b");
    }

    @Test
    void runningApplicationInstancesRefuseTheMigrationWithExitThree() throws Exception {
        assertThat(cli("up", "--to", "1").exit()).isZero();
        PGSimpleDataSource application = new PGSimpleDataSource();
        application.setURL(db.url());
        application.setApplicationName("billing-api-7");
        try (Guard guard = Gearshift.guard(application, schema)) {
            Run text = fails(3, "locked-by-application", "up");
            assertThat(text.err()).contains("guarded by running application instances").contains("billing-api-7")
                    .contains("pid ");
            assertThat(applied()).containsExactly("core/1");

            // told to wait for them, it waits the lock timeout, then gives up naming them
            long started = System.nanoTime();
            Run waited = cli("up", "--wait-for-guards", "--migrator-wait", "300ms");
            assertThat(waited.exit()).as(waited.toString()).isEqualTo(3);
            assertThat(waited.err()).contains("billing-api-7");
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(250L, 20_000L);
        }
        Run after = cli("up");
        assertThat(after.exit()).as(after.toString()).isZero();
        assertThat(applied()).containsExactly("core/1", "core/2");
    }

    @Test
    void anotherMigratorHoldingTheLockPastTheTimeoutExitsThree() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "other-migrator");
        try (Connection other = java.sql.DriverManager.getConnection(db.url(), properties)) {
            takeMigrationLock(other, schema);
            long started = System.nanoTime();
            Run text = fails(3, "lock-timeout", "up", "--migrator-wait", "300ms");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(text.err()).contains("another migrator holds the lock of schema " + schema)
                    .contains("other-migrator").contains("0.3 s");
            assertThat(millis).as("two runs of a 300 ms timeout").isBetween(500L, 30_000L);
            assertThat(db.schemaExists(schema) ? tables() : List.of()).isEmpty();
        }
        assertThat(cli("up").exit()).isZero();
    }

    /** The exclusive session lock a migrator takes: the key gearshift-postgres's AdvisoryLock uses. */
    private static void takeMigrationLock(Connection connection, String schema) throws Exception {
        CRC32 crc = new CRC32();
        crc.update(schema.getBytes(StandardCharsets.UTF_8));
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, 0x67656172); // 'gear'
            lock.setInt(2, (int) crc.getValue());
            try (ResultSet result = lock.executeQuery()) {
                assertThat(result.next() && result.getBoolean(1)).as("took the migration lock").isTrue();
            }
        }
    }

    @Test
    void anUnreachableDatabaseExitsFour() {
        int port = Cli.closedPort();
        for (String url : List.of("postgres://app@127.0.0.1:" + port + "/saas",
                "jdbc:postgresql://127.0.0.1:" + port + "/saas?user=app")) {
            for (String command : List.of("status", "up")) {
                Run text = Cli.run("-C", project.toString(), "--url", url, command);
                assertThat(text.exit()).as(text.toString()).isEqualTo(4);
                assertThat(text.err()).contains("cannot connect to").contains("127.0.0.1:" + port);
                Run json = Cli.run("-C", project.toString(), "--url", url, command, "--json");
                assertThat(json.exit()).isEqualTo(4);
                assertThat(json.json().get("error").get("code").asText()).isEqualTo("connection");
            }
        }
    }
}
