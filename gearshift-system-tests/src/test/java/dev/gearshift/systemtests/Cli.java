package dev.gearshift.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged CLI ({@code gearshift-cli.jar} with its {@code lib/}) run as a real operating-system process,
 * exactly as the {@code gearshift} launcher runs it. Output goes to files, so a process killed with SIGKILL
 * or a chatty one never blocks on a pipe.
 */
final class Cli {

    /** Longest any single CLI run may take before the test fails (it is then killed). */
    static final Duration MAX_RUN = Duration.ofMinutes(3);

    private static final Path OUTPUT;
    private static final Path JAR;
    private static final Path LIB;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        Path jar = Path.of(property("gearshift.cli.jar"));
        Path lib = Path.of(property("gearshift.cli.lib"));
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException("build the CLI first (./mvnw install -DskipTests): " + jar + " and " + lib
                    + " are missing");
        }
        try {
            OUTPUT = Files.createTempDirectory("gearshift-cli-output");
            // A copy: every run of this test JVM uses the same build, even if gearshift-cli/target is rebuilt meanwhile.
            Path installed = Files.createTempDirectory("gearshift-cli");
            JAR = Files.copy(jar, installed.resolve("gearshift-cli.jar"));
            LIB = Projects.copy(lib, installed.resolve("lib"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Projects.deleteTree(installed);
                Projects.deleteTree(OUTPUT);
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Cli() {
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run through Maven (surefire)");
        }
        return value;
    }

    /** The example project shipped in the repository (never written to: tests copy it first). */
    static Path example() {
        return Path.of(property("gearshift.example"));
    }

    /** What one finished run printed and how it ended. */
    record Outcome(List<String> args, int exit, String out, String err, Duration took) {
        String all() {
            return out + err;
        }

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON on stdout of " + this, e);
            }
        }

        @Override
        public String toString() {
            return "gearshift " + String.join(" ", args) + "\n  exit " + exit + " after " + took.toMillis() + " ms"
                    + "\n  stdout: " + out.strip().replace("\n", "\n          ")
                    + "\n  stderr: " + err.strip().replace("\n", "\n          ");
        }
    }

    /** A started run. */
    static final class Running {
        final Process process;
        final List<String> args;
        final long started = System.nanoTime();
        private final Path out;
        private final Path err;

        private Running(Process process, List<String> args, Path out, Path err) {
            this.process = process;
            this.args = args;
            this.out = out;
            this.err = err;
        }

        /** Waits (bounded) for the end of the process. */
        Outcome await() {
            try {
                if (!process.waitFor(MAX_RUN.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("gearshift " + String.join(" ", args) + " did not finish within " + MAX_RUN
                            + "; stdout: " + read(out) + " stderr: " + read(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted", e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Outcome outcome = new Outcome(args, process.exitValue(), read(out), read(err), took);
            delete(out);
            delete(err);
            return outcome;
        }

        /** SIGKILL: no shutdown hooks, no finally blocks, sockets closed by the kernel. */
        Outcome kill() {
            process.destroyForcibly();
            return await();
        }
    }

    static Running start(String... args) {
        return start(List.of(args));
    }

    static Running start(List<String> args) {
        return start(java.util.Map.of(), args);
    }

    /** Starts a run with these environment variables added (all other GEARSHIFT_* variables removed). */
    static Running start(java.util.Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, fast-starting JVMs: 16 of them share the machine with PostgreSQL.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(JAR + java.io.File.pathSeparator + LIB + java.io.File.separator + "*");
        command.add("dev.gearshift.cli.Main");
        command.addAll(args);
        try {
            Path out = Files.createTempFile(OUTPUT, "out", ".txt");
            Path err = Files.createTempFile(OUTPUT, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(OUTPUT.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // The runs are configured by their arguments only, never by the environment of whoever runs the tests.
            builder.environment().keySet().removeIf(name -> name.startsWith("GEARSHIFT_"));
            builder.environment().putAll(environment);
            return new Running(builder.start(), List.copyOf(args), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the CLI", e);
        }
    }

    static Outcome run(String... args) {
        return start(args).await();
    }

    static Outcome run(List<String> args) {
        return start(args).await();
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file; the OS cleans up
        }
    }
}
