package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution as a user gets it: the archive unpacked in an empty folder, the example project copied
 * beside it, and {@code bin/gearshift -C <project> up} run there with a home and a path that hold no source tree,
 * no Maven and no Maven repository. The default database is the embedded PostgreSQL whose binaries the archive
 * carries.
 */
class DistributionTest {

    @Test
    void unpackedArchiveMigratesTheExampleWithItsEmbeddedDatabase(@TempDir Path dir) throws Exception {
        Path archive = Path.of(Cli.property("gearshift.dist"));
        assertThat(archive).as("built by ./mvnw package in gearshift-cli").isRegularFile();
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        run(new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString()), dir.resolve("tar.log"));
        try (var entries = Files.list(unpacked)) {
            Path home = entries.findFirst().orElseThrow();
            assertThat(home.resolve("bin/gearshift.cmd")).isRegularFile();
            assertThat(home.resolve("lib/gearshift-cli.jar")).isRegularFile();
            Path project = Projects.copyExample(dir.resolve("saas"));
            Path userHome = Files.createDirectories(dir.resolve("home"));
            Path log = dir.resolve("up.log");
            ProcessBuilder up = new ProcessBuilder(home.resolve("bin/gearshift").toString(), "-C", project.toString(), "up")
                    .directory(userHome.toFile());
            Map<String, String> env = up.environment();
            env.clear();
            // Only the JDK that runs this test and the system's basic tools: no mvn, no checkout on the path.
            env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
            env.put("HOME", userHome.toString());
            env.put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
            int status = run(up, log);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(status).as(output).isZero();
            assertThat(project.resolve(".gearshift")).as("the embedded database kept in the project").isDirectory();
            // A second process finds every module up to date: the database the first one migrated was kept.
            up.command(home.resolve("bin/gearshift").toString(), "-C", project.toString(), "status");
            assertThat(run(up, log)).isZero();
            List<String> modules = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .dropWhile(line -> !line.startsWith("MODULE")).skip(1).filter(line -> !line.isBlank()).toList();
            assertThat(modules).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("up to date"));
        }
    }

    private static int run(ProcessBuilder builder, Path log) throws Exception {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(Cli.MAX_RUN.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return process.exitValue();
    }
}
