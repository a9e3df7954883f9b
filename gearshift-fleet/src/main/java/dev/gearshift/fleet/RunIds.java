package dev.gearshift.fleet;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the ids of fleet runs, {@code 20261203-103825-a4b4}: when the run started (UTC), then a random part for
 * runs started in the same second. One maker, so a run has one id wherever it shows: in the control tables, the
 * CLI's output and the service's API.
 */
public final class RunIds {

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunIds() {
    }

    public static String next() {
        return LocalDateTime.now(ZoneOffset.UTC).format(STARTED) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }
}
