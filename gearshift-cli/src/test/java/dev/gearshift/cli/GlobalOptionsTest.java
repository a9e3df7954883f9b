package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Global options anywhere on the command line, and flags > environment > gearshift.yaml. */
@ExtendWith(PostgresExtension.class)
class GlobalOptionsTest {

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        String dir = project.toString();

        Run before = run("--url", db.url(), "--schema", schema, "-C", dir, "--json", "status");
        Run after = run("status", "--url", db.url(), "--schema", schema, "-C", dir, "--json");
        Run mixed = run("-C", dir, "--url", db.url(), "status", "--json", "--schema", schema);
        for (Run result : List.of(before, after, mixed)) {
            assertThat(result.exit()).as(result.toString()).isZero();
            assertThat(result.json().get("schema").asText()).isEqualTo(schema);
            assertThat(result.json().get("modules").get(0).get("pending")).hasSize(6);
        }
        assertThat(after.json()).isEqualTo(before.json());

        // after the command's own options too: up --module core --to 2, then the globals
        Run up = run("up", "--module", "core", "--to", "2", "--url", db.url(), "-C", dir, "--schema", schema,
                "--create-schema");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).startsWith("Applied 2 migrations").contains("core/1_create_plans", "core/2_seed_plans")
                .doesNotContain("auth/");
        assertThat(db.column("SELECT count(*) FROM " + schema + ".plans")).containsExactly("3");
    }

    @Test
    void schemaFlagBeatsGearshiftYaml(TestDatabase db, @TempDir Path temp) throws Exception {
        assumeTrue(System.getenv("GEARSHIFT_SCHEMA") == null,
                "GEARSHIFT_SCHEMA is set in this environment, so gearshift.yaml's schema cannot be observed");
        Path project = Cli.copyExample(temp);
        String fromYaml = db.newSchema();
        String fromFlag = db.newSchema();
        String yaml = Cli.read(project.resolve("gearshift.yaml"));
        assertThat(yaml).contains("schema: saas\n");
        Cli.write(project.resolve("gearshift.yaml"), yaml.replace("schema: saas\n", "schema: " + fromYaml + "\n"));

        Run yamlUp = run("-C", project.toString(), "--url", db.url(), "up", "--module", "core", "--to", "1");
        assertThat(yamlUp.exit()).as(yamlUp.toString()).isZero();
        assertThat(yamlUp.out()).contains("schema " + fromYaml);
        assertThat(db.schemaExists(fromYaml)).isTrue();

        Run flagUp = run("-C", project.toString(), "--url", db.url(), "--schema", fromFlag, "up");
        assertThat(flagUp.exit()).as(flagUp.toString()).isZero();
        assertThat(flagUp.out()).startsWith("Applied 8 migrations").contains("schema " + fromFlag);
        assertThat(applied(db, fromYaml)).isEqualTo(1);
        assertThat(applied(db, fromFlag)).isEqualTo(8);
    }

    /**
     * Environment variables cannot be set in-process, so this one runs the CLI in a child JVM: with the test
     * class path (target/classes and every dependency), so it always runs the code under test, never a stale jar.
     */
    @Test
    void environmentBeatsGearshiftYamlAndFlagsBeatEnvironment(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String envSchema = db.newSchema();
        String flagSchema = db.newSchema();
        Map<String, String> env = Map.of("GEARSHIFT_URL", db.url(), "GEARSHIFT_SCHEMA", envSchema);

        // no --url and no --schema: both from the environment, none from gearshift.yaml (schema: saas)
        Run up = subprocess(env, "-C", project.toString(), "up");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).startsWith("Applied 8 migrations").contains("schema " + envSchema);
        assertThat(up.err()).doesNotContain("embedded");
        assertThat(applied(db, envSchema)).isEqualTo(8);

        // a flag beats the environment, before or after the command
        Run flagged = subprocess(env, "-C", project.toString(), "status", "--schema", flagSchema, "--json");
        assertThat(flagged.exit()).as(flagged.toString()).isZero();
        assertThat(flagged.json().get("schema").asText()).isEqualTo(flagSchema);
        assertThat(db.schemaExists(flagSchema)).isFalse();

        // --url beats a GEARSHIFT_URL that points nowhere
        Map<String, String> deadUrl = Map.of("GEARSHIFT_URL", "postgres://nobody:x@127.0.0.1:" + Cli.closedPort()
                + "/none", "GEARSHIFT_SCHEMA", envSchema);
        Run urlFlag = subprocess(deadUrl, "--url", db.url(), "-C", project.toString(), "status", "--json");
        assertThat(urlFlag.exit()).as(urlFlag.toString()).isZero();
        assertThat(urlFlag.json().get("modules").get(1).get("current").asLong()).isEqualTo(2);
        Run envUrl = subprocess(deadUrl, "-C", project.toString(), "status");
        assertThat(envUrl.exit()).as(envUrl.toString()).isEqualTo(4);
    }

    /** Successful history rows of a schema. */
    private static int applied(TestDatabase db, String schema) throws Exception {
        return Integer.parseInt(db.column("SELECT count(*) FROM " + schema + ".gearshift_history"
                + " WHERE outcome = 'success' AND action = 'up'").get(0));
    }

    static Run subprocess(Map<String, String> environment, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("GEARSHIFT_"));
        builder.environment().putAll(environment);
        Path out = File.createTempFile("gearshift-out", ".txt").toPath();
        Path err = File.createTempFile("gearshift-err", ".txt").toPath();
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the CLI did not finish within 60 s: " + command);
            }
            return new Run(process.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
        }
    }

    /** The test class path: surefire passes the real one in a property when it starts tests from a manifest jar. */
    private static String classPath() {
        String classPath = System.getProperty("surefire.test.class.path");
        return classPath != null && !classPath.isBlank() ? classPath : System.getProperty("java.class.path");
    }
}
