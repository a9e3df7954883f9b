package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Passwords never reach stdout or stderr: not in errors, not in tables, not in JSON, not in usage errors. */
@ExtendWith(PostgresExtension.class)
class SecretsTest {

    private static final String SECRET = "S3cretPw";

    private static final List<List<String>> COMMANDS = List.of(List.of("status"), List.of("up"), List.of("down"),
            List.of("plan"), List.of("validate"), List.of("verify"), List.of("baseline", "--version", "1"),
            List.of("repair"), List.of("history"));

    private Path project;

    @BeforeEach
    void project(@TempDir Path temp) {
        project = Cli.copyExample(temp);
    }

    private void assertNoSecret(Run run) {
        assertThat(run.all()).as(run.toString()).doesNotContain(SECRET).doesNotContain("S3cret%50w");
    }

    /** Every command, in text and in JSON, with the given connection options: exit 4, the secret nowhere. */
    private void everyCommandFailsToConnectWithoutShowingTheSecret(List<String> connection) {
        for (List<String> command : COMMANDS) {
            for (boolean json : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of("-C", project.toString()));
                args.addAll(connection);
                args.addAll(command);
                if (json) {
                    args.add("--json");
                }
                Run run = Cli.run(args);
                assertThat(run.exit()).as(args + "\n" + run).isEqualTo(4);
                assertNoSecret(run);
                String message = json ? run.json().get("error").get("message").asText() : run.err();
                assertThat(message).as(args + ": the reason survives the masking").contains("cannot connect to")
                        .contains("refused");
            }
        }
    }

    @Test
    void passwordInAPostgresUrl() {
        int port = Cli.closedPort();
        everyCommandFailsToConnectWithoutShowingTheSecret(List.of("--url",
                "postgres://app:" + SECRET + "@127.0.0.1:" + port + "/saas"));
        Run run = Cli.run("-C", project.toString(), "--url", "postgres://app:" + SECRET + "@127.0.0.1:" + port
                + "/saas", "status");
        assertThat(run.err()).contains("postgres://app:***@127.0.0.1:" + port + "/saas");
    }

    @Test
    void passwordOption() {
        int port = Cli.closedPort();
        everyCommandFailsToConnectWithoutShowingTheSecret(List.of("--url", "postgres://app@127.0.0.1:" + port
                + "/saas", "--password", SECRET));
        everyCommandFailsToConnectWithoutShowingTheSecret(List.of("--password=" + SECRET, "--url",
                "jdbc:postgresql://127.0.0.1:" + port + "/saas?user=app"));
        // not URL-encoded, and not decodable as such: still just a password (it once made the CLI exit 70)
        everyCommandFailsToConnectWithoutShowingTheSecret(List.of("--url", "postgres://app@127.0.0.1:" + port
                + "/saas", "--password", SECRET + "%zz"));
    }

    @Test
    void passwordParameterOfAJdbcUrl() {
        int port = Cli.closedPort();
        everyCommandFailsToConnectWithoutShowingTheSecret(List.of("--url", "jdbc:postgresql://127.0.0.1:" + port
                + "/saas?user=app&password=" + SECRET + "&sslmode=disable"));
        // last in the URL: masking it must not swallow the rest of the message (the reason) up to the next ';'
        everyCommandFailsToConnectWithoutShowingTheSecret(List.of("--url", "jdbc:postgresql://127.0.0.1:" + port
                + "/saas?user=app&password=" + SECRET));
    }

    @Test
    void percentEncodedPasswordInAPostgresUrl() {
        int port = Cli.closedPort();
        // %50 is 'P': neither the encoded nor the decoded form may appear
        everyCommandFailsToConnectWithoutShowingTheSecret(List.of("--url",
                "postgres://app:S3cret%50w@127.0.0.1:" + port + "/saas"));
    }

    @Test
    void usageErrorsDoNotEchoThePassword() {
        String url = "postgres://app:" + SECRET + "@127.0.0.1:" + Cli.closedPort() + "/saas";
        List<List<String>> commandLines = List.of(
                List.of("--url", url, "status", "--no-such-option"),
                List.of("--url", url, "status", "--no-such-option", "--json"),
                List.of("--url", url, "up", "--to", "x"),
                List.of("--url", url, "no-such-command"),
                List.of("--password", SECRET, "up", "--to", "1", "--steps", "1"),
                // a misspelt option name: picocli lists the unknown arguments, the value included
                List.of("--passwrd", SECRET, "status"),
                List.of("--passwrd=" + SECRET, "status", "--json"),
                List.of("status", "--url=" + url, "extra-argument"));
        for (List<String> commandLine : commandLines) {
            Run run = Cli.run(commandLine);
            assertThat(run.exit()).as(commandLine + "\n" + run).isEqualTo(2);
            assertNoSecret(run);
        }
    }

    /** Against the real server: success output (status tables, targets, history, JSON) shows no password either. */
    @Test
    void successfulCommandsDoNotShowThePassword(TestDatabase db) throws Exception {
        List<List<String>> connections = List.of(
                List.of("--url", db.url(), "--password", SECRET),
                List.of("--url", Cli.postgresUrl(db.url(), SECRET)));
        for (List<String> connection : connections) {
            String target = db.newSchema();
            for (List<String> command : List.of(List.of("plan"), List.of("up"), List.of("status"), List.of("verify"),
                    List.of("validate"), List.of("history"), List.of("down"), List.of("repair"),
                    List.of("down", "--to", "0"), List.of("baseline", "--version", "1"))) {
                for (boolean json : new boolean[] {false, true}) {
                    List<String> args = new ArrayList<>(List.of("-C", project.toString(), "--schema", target,
                            "--create-schema"));
                    args.addAll(connection);
                    args.addAll(command);
                    if (json) {
                        args.add("--json");
                    }
                    Run run = Cli.run(args);
                    assertNoSecret(run);
                    if (run.exit() == 4) {
                        // a server that checks passwords refuses this one: still nothing shown
                        continue;
                    }
                    assertThat(run.exit()).as(args + "\n" + run).isZero();
                    if (command.equals(List.of("status")) && !json) {
                        assertThat(run.out()).contains("Target ").contains(", schema " + target);
                        if (connection.get(1).startsWith("postgres://")) {
                            assertThat(run.out()).contains(":***@");
                        }
                    }
                }
            }
        }
    }
}
