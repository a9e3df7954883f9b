package dev.gearshift.cli;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PostgreSQL used when no URL is given: started on demand for one command, its data kept under
 * {@code .gearshift/postgres} in the project so the next command sees what the last one did.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedDatabase start(Path projectRoot, PrintStream notes) {
        Path data = projectRoot.resolve(".gearshift").resolve("postgres");
        long started = System.nanoTime();
        try {
            boolean fresh = !Files.isDirectory(data) || isEmpty(data);
            Files.createDirectories(data);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    // zonky's default, made for throw-away test servers, returns from commits before the disk
                    // has them; this one keeps a user's data.
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                    .start();
            notes.printf("No --url given: using the embedded PostgreSQL in %s (%s in %.1f s)%n", data,
                    fresh ? "created" : "started", (System.nanoTime() - started) / 1e9);
            return new EmbeddedDatabase(postgres);
        } catch (IOException | RuntimeException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot start the embedded PostgreSQL in " + data
                    + ": " + e.getMessage() + "; pass --url to use a server of your own", e);
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // The server is stopped by its shutdown hook at exit anyway.
        }
    }
}
