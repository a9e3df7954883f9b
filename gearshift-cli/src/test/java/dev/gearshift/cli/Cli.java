package dev.gearshift.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test support: runs the CLI in-process and captures what it prints. */
final class Cli {

    /** The example project of the README, relative to the gearshift-cli module (surefire's working directory). */
    static final Path EXAMPLE = Path.of("..", "examples", "saas");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** One finished command line. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON (exit " + exit + "):\n" + out + "\nstderr:\n" + err, e);
            }
        }

        /** Both streams, for assertions that a secret appears in neither. */
        String all() {
            return out + "\n" + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, o, e);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    /** {@code first} followed by {@code rest}. */
    static List<String> args(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    /** A copy of examples/saas under {@code parent}: nothing (not even .gearshift/) is written into the repository. */
    static Path copyExample(Path parent) {
        Path target = parent.resolve("saas");
        copyTree(EXAMPLE, target);
        return target;
    }

    static void copyTree(Path source, Path target) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = source.relativize(path);
                if (relative.startsWith(".gearshift")) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A local TCP port nothing listens on (it was free a moment ago). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test database's JDBC URL ({@code jdbc:postgresql://host:port/db?user=u...}) rewritten as
     * {@code postgres://user:password@host:port/db}: the form of the Skygear seed.
     */
    static String postgresUrl(String jdbcUrl, String password) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String user = "postgres";
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                if (pair.startsWith("user=")) {
                    user = pair.substring("user=".length());
                }
            }
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return "postgres://" + user + ":" + password + "@" + uri.getHost() + ":" + port + uri.getPath();
    }

    /** Versions in a JSON array, as longs. */
    static List<Long> versions(JsonNode array) {
        List<Long> versions = new ArrayList<>();
        array.forEach(node -> versions.add(node.asLong()));
        return versions;
    }
}
