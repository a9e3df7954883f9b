package dev.gearshift.postgres.engine;

import static dev.gearshift.testkit.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.Outcomes;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad input a PostgreSQL script or connection may hold (the store-neutral ones are the test kit's,
 * {@link PostgresBadInputTest}): a clear error with the right code, naming the file (and line), and the database
 * exactly as it was: not even the pending migrations before the bad one are applied.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class BadInputTest {

    @TempDir
    Path dir;

    /** a/1 applied; a/2 pending and fine: it must not be applied when the run is refused. */
    private TestProject oneAppliedOnePending(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int);")
                .write("a/1_one.down.sql", "DROP TABLE one;");
        project.gearshift().up();
        project.write("a/2_two.up.sql", "CREATE TABLE two (id int);")
                .write("a/2_two.down.sql", "DROP TABLE two;");
        return project;
    }

    /** Runs {@code call} and asserts it is refused with these codes and leaves the database as it was. */
    private static GearshiftException refusedUnchanged(TestProject project, ThrowingCallable call, ErrorCode code,
                                                       String problemCode, String... fragments) throws Exception {
        GearshiftException e = Outcomes.refusedUnchanged(() -> {
            try {
                return project.snapshot() + project.historyRows();
            } catch (SQLException failure) {
                throw new IllegalStateException(failure);
            }
        }, call, code, problemCode, fragments);
        assertThat(project.tableExists("two")).as("the pending migration before the bad one").isFalse();
        return e;
    }

    private static String position(String text, String token) {
        int index = text.indexOf(token);
        String before = text.substring(0, index);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = index - (before.lastIndexOf('\n') + 1) + 1;
        return line + ":" + column;
    }

    // ------------------------------------------------------------------ script text

    static Stream<Arguments> unterminated() {
        return Stream.of(
                Arguments.of("single quote", "CREATE TABLE q (id text);\nINSERT INTO q\n  VALUES ('it);\nSELECT 1;\n",
                        "'it", "quoted string"),
                Arguments.of("dollar quote", "SELECT 1;\nCREATE FUNCTION f() RETURNS int\n  LANGUAGE sql AS $body$\n"
                        + "  SELECT 1;\n$body;\n", "$body$", "dollar"),
                Arguments.of("block comment", "SELECT 1;\n/* open\n  /* nested */ still open\nSELECT 2;\n", "/* open",
                        "comment"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unterminated")
    void unterminatedQuotesAndComments(String what, String text, String opening, String fragment, TestDatabase db)
            throws Exception {
        TestProject project = oneAppliedOnePending(db).write("a/3_broken.up.sql", text);

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.SCRIPT_SYNTAX,
                Problem.SCRIPT_SYNTAX, project.location("a/3_broken.up.sql") + ":" + position(text, opening) + ":",
                "unterminated", fragment);

        assertThat(e.problems()).hasSize(1);
    }

    @Test
    void invalidUtf8(TestDatabase db) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("SELECT 1;\nSELECT 2;\nSELECT 'caf".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xE9); // Latin-1 é
        bytes.writeBytes("';\n".getBytes(StandardCharsets.UTF_8));
        TestProject project = oneAppliedOnePending(db).writeBytes("a/3_latin1.up.sql", bytes.toByteArray());

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.INVALID_ENCODING, project.location("a/3_latin1.up.sql") + ":3:", "UTF-8");

        assertThat(e.problems()).singleElement().extracting(Problem::location)
                .isEqualTo(project.location("a/3_latin1.up.sql") + ":3:12");
    }

    @Test
    void anAppliedMigrationWhoseFileBecameUnreadable(TestDatabase db) throws Exception {
        TestProject project = oneAppliedOnePending(db)
                .writeBytes("a/1_one.up.sql", new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', (byte) 0xFF, ';'});

        Status status = project.gearshift().status();

        assertThat(status.problems()).extracting(Problem::code).containsExactly(Problem.INVALID_ENCODING);
        assertThat(status.module("a").orElseThrow().applied()).containsExactly(Version.of(1));
        assertThat(status.module("a").orElseThrow().missing()).isEmpty();
        refusedUnchanged(project, () -> project.gearshift().validate(), ErrorCode.VALIDATION,
                Problem.INVALID_ENCODING, project.location("a/1_one.up.sql") + ":1:8");
        refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION, Problem.INVALID_ENCODING);
    }

    @Test
    void aByteOrderMarkAndCrlfLineEndingsAreAccepted(TestDatabase db) throws Exception {
        String script = "\uFEFF-- gearshift:set statement_timeout=5s\r\nCREATE TABLE one (id int);\r\n"
                + "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\r\n  SELECT 1;\r\n$$;\r\n";
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", script)
                .write("a/2_two.up.sql", "CREATE TABLE two (id int);\nINSERT INTO two VALUES (1);\n")
                .write("a/3_idx.up.sql", "\uFEFF-- gearshift:no-transaction\r\n"
                        + "CREATE INDEX CONCURRENTLY two_idx ON two (id);\r\n");

        assertThat(project.gearshift().up().applied()).hasSize(3);
        assertThat(project.column("SELECT <schema>.f()")).containsExactly("1");

        // A checkout that turns LF into CRLF (or adds a BOM) is not an edit.
        project.write("a/2_two.up.sql", "\uFEFFCREATE TABLE two (id int);\r\nINSERT INTO two VALUES (1);\r\n");
        Status status = project.gearshift().status();
        assertThat(status.problems()).isEmpty();
        assertThat(status.isCurrent()).isTrue();
        assertThat(project.gearshift().validate().problems()).isEmpty();
        assertThat(project.gearshift().up().applied()).isEmpty();
    }

    @Test
    void emptyAndCommentOnlyScriptsAreNoOpsThatApplyAndAreRecorded(TestDatabase db) throws Exception {
        TestProject project = oneAppliedOnePending(db)
                .write("a/3_empty.up.sql", "")
                .write("a/4_blank.up.sql", "\n   \n\t\n")
                .write("a/5_comments.up.sql", "-- gearshift:no-transaction\n-- to do\n/* later */\n;\n")
                // golang-migrate's layout: a down script that says there is nothing to undo
                .write("a/5_comments.down.sql", "-- Put downgrade SQL here\n-- no downgrade\n");

        dev.gearshift.Result result = project.gearshift().up();

        assertThat(result.applied()).extracting(dev.gearshift.Result.Applied::version).containsExactly(Optional.of(Version.of(2)), Optional.of(Version.of(3)), Optional.of(Version.of(4)), Optional.of(Version.of(5)));
        assertThat(result.notes()).hasSize(3).anySatisfy(note -> assertThat(note)
                .contains("a/5_comments", project.location("a/5_comments.up.sql"), "only comments"));
        assertThat(project.historyRows()).containsExactly("a/1 up success", "a/2 up success", "a/3 up success",
                "a/4 up success", "a/5 up started", "a/5 up success");
        Status status = project.gearshift().validate();
        assertThat(status.isCurrent()).isTrue();
        assertThat(status.notes()).singleElement().satisfies(note -> assertThat(note)
                .startsWith("4 scripts have no statements").contains("they run as no-ops",
                        project.location("a/3_empty.up.sql"), project.location("a/5_comments.down.sql")));

        assertThat(project.gearshift().down(Target.latest()).applied()).singleElement()
                .satisfies(a -> assertThat(a.version()).contains(Version.of(5)));
        project.delete("a/4_blank.up.sql").delete("a/5_comments.up.sql").delete("a/5_comments.down.sql");
        assertThat(project.gearshift().status().notes()).singleElement().satisfies(note -> assertThat(note)
                .startsWith("1 script has no statements").contains("it runs as a no-op"));
    }

    @Test
    void theUneditedTemplateOfNewIsRefusedOnlyWhereItIsNeeded(TestDatabase db) throws Exception {
        TestProject project = oneAppliedOnePending(db);
        List<Path> created = dev.gearshift.Scaffold.newMigration(project.migrations, "a", "three", false,
                java.time.Instant.now());
        String up = project.location("a/3_three.up.sql");
        String down = project.location("a/3_three.down.sql");
        assertThat(created).extracting(Path::toString).containsExactly(up, down);

        GearshiftException e = refusedUnchanged(project, () -> project.gearshift().up(), ErrorCode.VALIDATION,
                Problem.EMPTY_MIGRATION, "template");
        assertThat(e.problems()).extracting(Problem::location).containsExactly(up);

        // Up written, down still the template: up, status and plan go on; down and validate name the template.
        project.write("a/3_three.up.sql", "CREATE TABLE three (id int);\n");
        assertThat(project.gearshift().status().problems()).isEmpty();
        assertThat(project.gearshift().planUp(Target.latest()).steps()).hasSize(2);
        project.gearshift().up();
        assertThat(project.tableExists("three")).isTrue();
        GearshiftException refusedDown = failure(() -> project.gearshift().down(Target.latest()), ErrorCode.VALIDATION,
                Problem.EMPTY_MIGRATION);
        assertThat(refusedDown.problems()).extracting(Problem::location).containsExactly(down);
        assertThat(project.tableExists("three")).isTrue();
        assertThat(failure(() -> project.gearshift().validate(), ErrorCode.VALIDATION, Problem.EMPTY_MIGRATION)
                .problems()).extracting(Problem::location).containsExactly(down);

        // The same comment on a file of another name, or with a word changed, is the template no more.
        project.write("a/3_three.down.sql", "-- a/3_three (down): nothing to undo.\n");
        assertThat(project.gearshift().down(Target.latest()).applied()).hasSize(1);
    }

    @Test
    void aBrokenDownOrVerifyScriptBlocksOnlyTheCommandsThatNeedIt(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("core/1_plans.up.sql", "CREATE TABLE plans (id int);")
                .write("core/1_plans.down.sql", "DROP TABLE plans;\nSELECT 'unterminated;\n")
                .write("core/1_plans.verify.sql", "SELECT id FROM plans;\nCOMMIT;\n")
                .write("auth/1_users.up.sql", "CREATE TABLE users (id int);")
                .write("auth/1_users.verify.sql", "SELECT $$ never closed;\n");
        String down = project.location("core/1_plans.down.sql");
        String coreVerify = project.location("core/1_plans.verify.sql");
        String authVerify = project.location("auth/1_users.verify.sql");

        assertThat(project.gearshift().status().problems()).isEmpty();
        assertThat(project.gearshift().planUp(Target.latest()).steps()).hasSize(2);
        assertThat(failure(() -> project.configure().verifyAfterUp(true).build().up(), ErrorCode.VALIDATION,
                Problem.SCRIPT_SYNTAX).problems()).extracting(Problem::code, p -> p.location().split(":\\d")[0])
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Problem.TRANSACTION_CONTROL, coreVerify),
                        org.assertj.core.groups.Tuple.tuple(Problem.SCRIPT_SYNTAX, authVerify));
        assertThat(project.tableExists("plans")).isFalse();

        assertThat(project.gearshift().up(Target.latest().module("core")).applied()).hasSize(1);
        assertThat(project.gearshift().up().applied()).hasSize(1);

        assertThat(failure(() -> project.gearshift().validate(), ErrorCode.VALIDATION, null).problems())
                .extracting(Problem::code, p -> p.location().split(":\\d")[0])
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Problem.SCRIPT_SYNTAX, down),
                        org.assertj.core.groups.Tuple.tuple(Problem.TRANSACTION_CONTROL, coreVerify),
                        org.assertj.core.groups.Tuple.tuple(Problem.SCRIPT_SYNTAX, authVerify));
        assertThat(failure(() -> project.gearshift().verify(), ErrorCode.VALIDATION, Problem.SCRIPT_SYNTAX)
                .problems()).hasSize(2);
        GearshiftException refusedDown = failure(() -> project.gearshift().down(Target.latest().module("core")),
                ErrorCode.SCRIPT_SYNTAX, Problem.SCRIPT_SYNTAX);
        assertThat(refusedDown.problems()).singleElement().satisfies(p -> assertThat(p.location()).startsWith(down));
        assertThat(failure(() -> project.gearshift().planDown(Target.latest().module("core")), ErrorCode.SCRIPT_SYNTAX,
                Problem.SCRIPT_SYNTAX).problems()).hasSize(1);
        assertThat(project.tableExists("plans")).isTrue();
    }

    // ------------------------------------------------------------------ connections

    private static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Test
    void anUnknownUserOrDatabase(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        String base = withoutParameters(db.url());

        GearshiftException user = failure(() -> project.configure().url(base).user("gs_no_such_user")
                .password("secret-pw-1").build().up(), ErrorCode.CONNECTION, null);
        assertThat(user.getMessage()).contains("gs_no_such_user", "check the user name and password")
                .doesNotContain("secret-pw-1");

        String otherDb = base.substring(0, base.lastIndexOf('/') + 1) + "gs_no_such_database";
        GearshiftException database = failure(() -> project.configure().url(otherDb + "?user=postgres").build().up(),
                ErrorCode.CONNECTION, null);
        assertThat(database.getMessage()).contains("gs_no_such_database");
        assertThat(db.schemaExists(project.schema)).isFalse();
    }

    /**
     * Both servers the tests use (the machine's PostgreSQL and the embedded one) trust every local login, so a
     * wrong password would be accepted. The test needs a server whose pg_hba.conf it may change: the embedded one
     * this run owns, or, when the shared server at GEARSHIFT_TEST_PG_URL is in use, a private embedded server
     * started for this test alone. It puts a password rule for one role in front of pg_hba.conf.
     */
    @Test
    void aWrongPassword(TestDatabase shared) throws Exception {
        if (System.getenv(PostgresExtension.URL_VARIABLE) == null) {
            wrongPasswordOn(shared);
            return;
        }
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres own = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
                .builder().setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start()) {
            wrongPasswordOn(new TestDatabase(own.getJdbcUrl("postgres", "postgres")));
        }
    }

    private void wrongPasswordOn(TestDatabase db) throws Exception {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gs_pw_test') THEN"
                + " CREATE ROLE gs_pw_test LOGIN PASSWORD 'right'; END IF; END $$");
        db.execute("ALTER ROLE gs_pw_test PASSWORD 'right'");
        Path hba = Path.of(db.column("SHOW hba_file").get(0));
        assertThat(hba).as("pg_hba.conf of the embedded server").isWritable();
        String original = Files.readString(hba);
        String base = withoutParameters(db.url());
        try {
            Files.writeString(hba, "host all gs_pw_test 0.0.0.0/0 scram-sha-256\nhost all gs_pw_test ::/0 scram-sha-256\n"
                    + original);
            db.column("SELECT pg_reload_conf()");
            awaitPasswordRequired(base);
            TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");

            assertThat(project.configure().url(base).user("gs_pw_test").password("right").build().status()
                    .module("a").orElseThrow().pending()).containsExactly(Version.of(1));
            GearshiftException e = failure(() -> project.configure().url(base).user("gs_pw_test")
                    .password("wrong-pw-42").build().up(), ErrorCode.CONNECTION, null);

            assertThat(e.getMessage()).contains("password authentication failed", "gs_pw_test",
                    "check the user name and password").doesNotContain("wrong-pw-42");
            assertThat(db.schemaExists(project.schema)).isFalse();
        } finally {
            Files.writeString(hba, original);
            db.column("SELECT pg_reload_conf()");
        }
    }

    private static void awaitPasswordRequired(String url) throws InterruptedException {
        Properties properties = new Properties();
        properties.setProperty("user", "gs_pw_test");
        properties.setProperty("password", "not-it");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (var ignored = DriverManager.getConnection(url, properties)) {
                Thread.sleep(20); // the server has not reloaded its configuration yet
            } catch (java.sql.SQLException refused) {
                return;
            }
        }
        throw new AssertionError("the embedded server still accepts any password for gs_pw_test");
    }

    @Test
    void anUnreachableHostNamesTheTargetButNotThePassword(TestDatabase db) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestProject project = new TestProject(db, dir).write("a/1_one.up.sql", "CREATE TABLE one (id int);");
        for (String url : List.of("postgres://gs_user:Sup3r-Secret@127.0.0.1:" + port + "/test",
                "jdbc:postgresql://127.0.0.1:" + port + "/test?user=gs_user&password=Sup3r-Secret")) {
            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> project.configure().url(url).build().up(),
                    () -> project.configure().url(url).build().status())) {
                GearshiftException e = failure(call, ErrorCode.CONNECTION, null);
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));

                assertThat(e.getMessage()).contains("127.0.0.1:" + port, "***");
                assertThat(trace.toString()).doesNotContain("Sup3r-Secret");
            }
        }
    }
}
