package dev.gearshift.internal.source;

import dev.gearshift.Problem;
import dev.gearshift.spi.Store;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway's built-in placeholders, {@code ${flyway:user}} and the rest, with the values Flyway gives them. Substituted
 * in the text that runs, as Flyway does, when the script runs against its target (user, database and schema are the
 * target's); checksums stay those of the files, as Flyway's do.
 */
public final class FlywayPlaceholders {

    private static final String PREFIX = "${flyway:";
    private static final Pattern USED = Pattern.compile("\\$\\{flyway:([^}]*)}");
    private static final List<String> NAMES = List.of("defaultSchema", "user", "database", "timestamp", "filename",
            "workingDirectory", "table");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private FlywayPlaceholders() {
    }

    /** Whether a script's text uses any of them: only such scripts need the target's values. */
    public static boolean usedIn(String text) {
        return text.contains(PREFIX);
    }

    /** A problem for each {@code ${flyway:...}} Flyway does not define (or Gearshift cannot give), naming the file. */
    static List<Problem> unknown(String location, String text) {
        if (!usedIn(text)) {
            return List.of();
        }
        Matcher used = USED.matcher(text);
        Set<String> reported = new TreeSet<>();
        while (used.find()) {
            String name = used.group(1);
            if (!NAMES.contains(name)) {
                reported.add(name);
            }
        }
        return reported.stream().map(name -> new Problem(Problem.SCRIPT_SYNTAX, location, "${flyway:" + name + "}"
                + (name.equals("environment") ? " names a Flyway environment, and Gearshift has none; use a"
                + " placeholder of your own from placeholders: in gearshift.yaml"
                : " is not one of Flyway's built-in placeholders: " + NAMES.stream().map(n -> "${flyway:" + n + "}")
                .toList()))).toList();
    }

    /**
     * The values for one script: its file name (the last part of {@code location}), Flyway's history table
     * ({@code table}, the project's), the
     * working directory, the time now as Flyway writes it, and, where the store can tell, the target's user,
     * database and schema (else those stay as written).
     */
    public static Map<String, String> values(String location, String table, Optional<Store.Session> session) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("flyway:filename", location.substring(Math.max(location.lastIndexOf('/'),
                location.lastIndexOf('\\')) + 1));
        values.put("flyway:table", table);
        values.put("flyway:workingDirectory", System.getProperty("user.dir"));
        values.put("flyway:timestamp", LocalDateTime.now().format(TIMESTAMP));
        session.ifPresent(s -> {
            putKnown(values, "flyway:defaultSchema", s.schema());
            putKnown(values, "flyway:user", s.user());
            putKnown(values, "flyway:database", s.database());
        });
        return values;
    }

    private static void putKnown(Map<String, String> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }
}
