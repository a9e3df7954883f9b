package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.cli.Cli.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: {@code gearshift -C examples/saas up} with no URL anywhere.
 *
 * <p><b>Starts an embedded PostgreSQL</b> (twice, about 1-3 s each) in the temporary copy of the project,
 * whatever GEARSHIFT_TEST_PG_URL says: that is the feature under test. CI ({@code .ci/run}) unsets
 * GEARSHIFT_URL, so it runs there.
 */
class EmbeddedDefaultTest {

    @Test
    void withoutAnyUrlTheExampleMigratesIntoAnEmbeddedPostgresKeptInTheProject(@TempDir Path temp) {
        assumeTrue(System.getenv("GEARSHIFT_URL") == null,
                "GEARSHIFT_URL is set in this environment, so the CLI would use it instead of the embedded"
                        + " PostgreSQL; unset it to run this test");
        Path project = Cli.copyExample(temp);

        Run up = Cli.run("-C", project.toString(), "up");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.err()).contains("No --url given: using the embedded PostgreSQL in")
                .contains("created");
        assertThat(up.out()).startsWith("Applied 8 migrations").contains("schema saas")
                .containsPattern("core\\s+6\\s+6\\s+0\\s+up to date")
                .containsPattern("auth\\s+2\\s+2\\s+0\\s+up to date");
        assertThat(project.resolve(".gearshift/postgres")).isDirectory();
        assertThat(readmeFirstScreen()).as("README.md's first screen, times and port aside")
                .isEqualTo(LAUNCHER_BUILD_LINE + "\n" + sameness((up.err().lines()
                        .filter(line -> line.startsWith("No --url given")).findFirst().orElse("(none)") + "\n"
                        + up.out()).replace(project.toString(), "examples/saas")));
        assertThat(project.resolve(".gearshift/postgres/PG_VERSION")).isRegularFile();

        // a second command starts the same data directory again and sees what the first one did
        Run status = Cli.run("-C", project.toString(), "status", "--json");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.err()).contains("started");
        JsonNode json = status.json();
        assertThat(json.get("schema").asText()).isEqualTo("saas");
        int applied = 0;
        for (JsonNode module : json.get("modules")) {
            applied += module.get("applied").size();
            assertThat(module.get("pending")).isEmpty();
        }
        assertThat(applied).isEqualTo(8);
    }

    /** What the launcher prints before it builds, as the README shows it on a fresh checkout. */
    private static final String LAUNCHER_BUILD_LINE = "Building Gearshift (only when its sources changed)...";

    /** The README's sample output of {@code ./gearshift -C examples/saas up}, its times and port made general. */
    private static String readmeFirstScreen() {
        String readme = Cli.read(Path.of("..", "README.md"));
        assertThat(Cli.read(Path.of("..", "gearshift"))).contains("echo \"" + LAUNCHER_BUILD_LINE + "\"");
        int intro = readme.indexOf("The first command builds the CLI");
        assertThat(intro).as("the README introduces the first command's output").isPositive();
        int start = readme.indexOf("```\n", intro) + 4;
        return sameness(readme.substring(start, readme.indexOf("```\n", start)));
    }

    /** Durations and the embedded server's port, which differ from run to run, replaced by placeholders. */
    private static String sameness(String output) {
        return output.replace("\r\n", "\n")
                .replaceAll("\\b\\d+ ms\\b", "N ms")
                .replaceAll("in \\d+(\\.\\d+)? s\\)", "in T s)")
                .replaceAll("localhost:\\d+", "localhost:PORT");
    }
}
