package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passwords never reach any output: every command, in text and JSON, with the password in a URL, a URL
 * parameter, percent-encoded, on {@code --password} or in {@code GEARSHIFT_PASSWORD}, against a server that
 * cannot be reached (the error path prints the most) and against a real one (then the history is checked too).
 */
@ExtendWith(PostgresExtension.class)
class SecretsTest {

    private static final Report REPORT = Report.of(SecretsTest.class);
    private static final String PASSWORD = "Pw-S3cret-42";
    private static final List<List<String>> COMMANDS = List.of(List.of("status"), List.of("up"), List.of("down"),
            List.of("plan"), List.of("validate"), List.of("verify"), List.of("baseline", "--version", "1"),
            List.of("repair"), List.of("history"));

    @Test
    void noCommandPrintsThePasswordWhenTheConnectionFails(@TempDir Path dir) throws Exception {
        Path project = Projects.copyExample(dir.resolve("project"));
        int closed = closedPort();
        String host = "127.0.0.1:" + closed;
        // Each way of giving a password, and the forms it must not appear in.
        Map<String, List<String>> ways = new LinkedHashMap<>();
        ways.put("postgres:// URL", List.of("--url", "postgres://gs_user:" + PASSWORD + "@" + host + "/db"));
        ways.put("--password", List.of("--url", "jdbc:postgresql://" + host + "/db", "--user", "gs_user",
                "--password", PASSWORD));
        ways.put("JDBC URL parameter", List.of("--url", "jdbc:postgresql://" + host + "/db?user=gs_user&password="
                + PASSWORD + "&sslmode=disable"));
        ways.put("percent-encoded in URL", List.of("--url", "postgres://gs_user:Pw%2DS3cret%2D42@" + host + "/db"));
        ways.put("GEARSHIFT_PASSWORD", List.of("--url", "jdbc:postgresql://" + host + "/db", "--user", "gs_user"));
        ways.put("--password=, odd characters", List.of("--url", "jdbc:postgresql://" + host + "/db",
                "--password=" + PASSWORD + "%;&@:/?"));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Cli.Outcome>> runs = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (Map.Entry<String, List<String>> way : ways.entrySet()) {
                Map<String, String> env = way.getKey().equals("GEARSHIFT_PASSWORD")
                        ? Map.of("GEARSHIFT_PASSWORD", PASSWORD) : Map.of();
                // Every command, text and JSON, for the two main ways; for the others (the same code path once the
                // password is known) status in JSON and up in text.
                boolean main = way.getKey().equals("postgres:// URL") || way.getKey().equals("--password");
                for (List<String> command : main ? COMMANDS : List.of(List.of("status"), List.of("up"))) {
                    for (boolean json : main ? new boolean[] {false, true}
                            : new boolean[] {command.get(0).equals("status")}) {
                        List<String> args = new ArrayList<>(way.getValue());
                        args.addAll(List.of("--schema", "app", "-C", project.toString()));
                        args.addAll(command);
                        if (json) {
                            args.add("--json");
                        }
                        runs.add(pool.submit(() -> Cli.start(env, args).await()));
                    }
                }
            }
            for (Future<Cli.Outcome> run : runs) {
                Cli.Outcome outcome = run.get();
                assertThat(outcome.exit()).as("%s", outcome).isEqualTo(4);
                assertThat(outcome.all()).as("%s", outcome).contains("cannot connect")
                        .doesNotContain(PASSWORD).doesNotContain("S3cret").doesNotContain("Pw%2DS3cret");
            }
        } finally {
            pool.shutdownNow();
        }
        REPORT.line("connection refused: " + COMMANDS.size() + " commands x text/JSON for a postgres:// URL and for"
                + " --password, status --json and up for " + (ways.size() - 2) + " more ways ("
                + String.join(", ", List.copyOf(ways.keySet()).subList(2, ways.size())) + ") = " + runs.size()
                + " runs, all exit 4, the password in none of their output; "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @Test
    void aSuccessfulRunWithAPasswordInTheUrlPrintsAndRecordsItNowhere(TestDatabase db, @TempDir Path dir)
            throws Exception {
        Path project = Projects.copyExample(dir.resolve("project"));
        // The test server trusts local connections, so it accepts the URL and ignores the password in it.
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "password=" + PASSWORD;
        String schema = db.newSchema();
        String adopted = db.newSchema();
        List<List<String>> sequence = List.of(List.of("status"), List.of("plan"), List.of("up"), List.of("validate"),
                List.of("verify"), List.of("history"), List.of("down"), List.of("repair"), List.of("up"),
                List.of("status"));
        List<Cli.Outcome> outcomes = new ArrayList<>();
        for (List<String> command : sequence) {
            for (boolean json : new boolean[] {false, true}) {
                if (json && (command.get(0).equals("up") || command.get(0).equals("down"))) {
                    continue; // a second up or down would do something else; their JSON is covered below
                }
                List<String> args = new ArrayList<>(List.of("--url", url, "--schema", schema, "--create-schema", "-C",
                        project.toString()));
                args.addAll(command);
                if (json) {
                    args.add("--json");
                }
                outcomes.add(Cli.run(args));
            }
        }
        outcomes.add(Cli.run("--url", url, "--schema", schema, "-C", project.toString(), "--json", "down"));
        outcomes.add(Cli.run("--url", url, "--schema", schema, "-C", project.toString(), "--json", "up"));
        db.execute("CREATE SCHEMA " + adopted);
        outcomes.add(Cli.run("--url", url, "--schema", adopted, "-C", project.toString(), "baseline", "--version", "1",
                "--module", "core"));
        outcomes.add(Cli.run("--url", url, "--schema", adopted, "-C", project.toString(), "--json", "history"));
        // A failing migration prints its error: the password must not be in it either.
        Projects.write(project.resolve("migrations/auth/3_broken.up.sql"), "SELECT no_such_function();\n");
        Cli.Outcome failing = Cli.run("--url", url, "--schema", schema, "-C", project.toString(), "up");
        assertThat(failing.exit()).as("%s", failing).isEqualTo(1);
        outcomes.add(failing);

        for (Cli.Outcome outcome : outcomes) {
            if (outcome != failing) {
                assertThat(outcome.exit()).as("%s", outcome).isZero();
            }
            assertThat(outcome.all()).as("%s", outcome).doesNotContain(PASSWORD).doesNotContain("S3cret");
        }
        for (String target : List.of(schema, adopted)) {
            List<String> rows = db.column("SELECT h::text FROM " + target + ".gearshift_history h");
            assertThat(rows).isNotEmpty();
            assertThat(String.join("\n", rows)).doesNotContain(PASSWORD).doesNotContain("S3cret");
        }
        REPORT.line("successful runs with the password in the URL: " + outcomes.size() + " runs (every command, text"
                + " and JSON, one failing migration), the password in none of their output and in no history row");
        Db.dropSchema(db, schema);
        Db.dropSchema(db, adopted);
    }

    /**
     * A server that checks passwords (a private embedded one: the test rewrites its pg_hba.conf): a wrong password
     * is refused, named as such and not printed; the right one works and is printed and recorded nowhere.
     */
    @Test
    void aServerThatChecksPasswordsRefusesTheWrongOneAndNeverPrintsEither(@TempDir Path dir) throws Exception {
        Path project = Projects.copyExample(dir.resolve("project"));
        try (EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start()) {
            TestDatabase admin = new TestDatabase(server.getJdbcUrl("postgres", "postgres"));
            admin.execute("CREATE ROLE gs_user LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            Path hba = Path.of(admin.column("SHOW hba_file").get(0));
            Files.writeString(hba, "host all gs_user 0.0.0.0/0 scram-sha-256\nhost all gs_user ::/0 scram-sha-256\n"
                    + Files.readString(hba));
            admin.column("SELECT pg_reload_conf()");
            String host = "localhost:" + server.getPort();
            String wrong = "Wrong-" + PASSWORD;
            Db.await("the server to require passwords", Duration.ofSeconds(30), () -> Cli.run("--url",
                    "postgres://gs_user:" + wrong + "@" + host + "/postgres", "-C", project.toString(), "status")
                    .exit() == 4);

            List<Cli.Outcome> outcomes = new ArrayList<>();
            for (List<String> credentials : List.of(
                    List.of("--url", "postgres://gs_user:" + wrong + "@" + host + "/postgres"),
                    List.of("--url", "jdbc:postgresql://" + host + "/postgres", "--user", "gs_user", "--password", wrong))) {
                for (List<String> command : List.of(List.of("up"), List.of("status", "--json"))) {
                    List<String> args = new ArrayList<>(credentials);
                    args.addAll(List.of("--schema", "app", "--create-schema", "-C", project.toString()));
                    args.addAll(command);
                    Cli.Outcome refused = Cli.run(args);
                    assertThat(refused.exit()).as("%s", refused).isEqualTo(4);
                    assertThat(refused.all()).as("%s", refused).contains("password authentication failed")
                            .contains("check the user name and password");
                    outcomes.add(refused);
                }
            }
            Cli.Outcome accepted = Cli.run("--url", "postgres://gs_user:" + PASSWORD + "@" + host + "/postgres",
                    "--schema", "app", "--create-schema", "-C", project.toString(), "up");
            assertThat(accepted.exit()).as("%s", accepted).isZero();
            outcomes.add(accepted);
            Cli.Outcome history = Cli.run("--url", "jdbc:postgresql://" + host + "/postgres", "--user", "gs_user",
                    "--password", PASSWORD, "--schema", "app", "-C", project.toString(), "--json", "history");
            assertThat(history.exit()).as("%s", history).isZero();
            outcomes.add(history);
            for (Cli.Outcome outcome : outcomes) {
                assertThat(outcome.all()).as("%s", outcome).doesNotContain("S3cret");
            }
            assertThat(String.join("\n", admin.column("SELECT h::text FROM app.gearshift_history h")))
                    .contains("gs_user").doesNotContain("S3cret");
            REPORT.line("a server checking passwords (scram-sha-256): " + (outcomes.size() - 2) + " runs with a wrong"
                    + " password exit 4 saying 'password authentication failed', 2 runs with the right one exit 0;"
                    + " neither password in any output or history row");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again when this returns: connections are refused
        }
    }
}
