package dev.gearshift.server;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The service's log: one line per event, to stderr by default. Every line is scrubbed of passwords. Third-party
 * libraries log through SLF4J, which the CLI binds to nothing, so this is the only writer.
 */
final class Log {

    private final PrintStream out;
    private final Secrets secrets;

    Log(PrintStream out, Secrets secrets) {
        this.out = out;
        this.secrets = secrets;
    }

    void info(String message) {
        out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + secrets.scrub(message));
        out.flush();
    }
}
