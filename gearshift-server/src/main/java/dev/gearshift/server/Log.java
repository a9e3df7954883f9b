package dev.gearshift.server;

import dev.gearshift.Secrets;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The service's log: one line per event, to stderr by default. Every line has the passwords of its URLs masked.
 * Third-party libraries log through SLF4J, which the CLI binds to nothing, so this is the only writer.
 */
final class Log {

    private final PrintStream out;

    Log(PrintStream out) {
        this.out = out;
    }

    void info(String message) {
        out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + Secrets.mask(message));
        out.flush();
    }
}
