package dev.gearshift;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as PostgreSQL writes them: {@code 500ms}, {@code 60s}, {@code 5min}, {@code 1h}; bare numbers are seconds. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*(ms|s|min|h)?\\s*");

    private Durations() {
    }

    public static Duration parse(String text, String what) {
        Matcher matcher = FORMAT.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw new GearshiftException(ErrorCode.USAGE, what + ": '" + text
                    + "' is not a duration; write e.g. 500ms, 30s, 5min or 1h");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }
}
