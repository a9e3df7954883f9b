package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gearshift serve}: the service itself is tested in gearshift-server; here, the command around it. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void hashTokenPrintsWhatGoesIntoTheConfiguration() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("secret\n".getBytes(StandardCharsets.UTF_8)));
            Cli.Run run = Cli.run("serve", "--hash-token");
            assertThat(run.exit()).as(run.toString()).isZero();
            // printf %s secret | sha256sum
            assertThat(run.out().strip()).isEqualTo("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aMissingOrInvalidConfigurationIsAUsageError() throws Exception {
        Cli.Run missing = Cli.run("serve", "--config", dir.resolve("server.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "migrations: migrations\ndatabases:\n  main: { url: \"postgres://app:hunter2@db/x\" }\n"
                + "tokens:\n  - { name: ci, sha256: \"not-a-hash\", role: write }\n");
        Cli.Run invalid = Cli.run("serve", "--config", config.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("64 hex digits").doesNotContain("hunter2");
    }

    @Test
    void helpPointsToTheConfigurationReference() {
        Cli.Run help = Cli.run("serve", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--config", "docs/SERVER.md");
    }
}
