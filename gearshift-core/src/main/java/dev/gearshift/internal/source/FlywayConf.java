package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A Flyway project's configuration file, {@code flyway.conf} (or {@code conf/flyway.conf}), or Flyway 10's
 * {@code flyway.toml} (its {@code [flyway]} table), in the project directory, read for what shapes the project,
 * so that a Flyway project switches without a gearshift.yaml: its location, placeholders, schema, history table
 * and script names. Connection and reporting keys are not Gearshift's business and are
 * skipped (their values, a password among them, are never shown); a key that would change what Flyway runs and
 * that Gearshift does not honour is refused, naming the file and the key, unless it has Flyway's default value.
 *
 * @param locations the migrations locations, each a path relative to the project directory or {@code classpath:...};
 *                  several are read as Flyway reads them: one migration set
 * @param schema    {@code defaultSchema}, else the first of {@code schemas}
 */
public record FlywayConf(Path file, List<String> locations, Map<String, String> placeholders,
                         Optional<String> schema, Naming naming) {

    /**
     * Flyway's names in a project: its history table and the parts of its script names. Settings of a project,
     * passed down to the layout, the history import and {@code ${flyway:table}}, never global.
     */
    public record Naming(String table, String versioned, String separator, List<String> suffixes,
                         String repeatable, String undo) {

        public static final Naming DEFAULT = new Naming(FlywayHistory.TABLE, "V", "__", List.of(".sql"), "R", "U");

        public Naming {
            suffixes = List.copyOf(suffixes);
        }
    }

    /** The files Flyway reads in a project directory, in the order they are looked for. */
    private static final List<String> FILES = List.of("flyway.conf", "conf/flyway.conf");
    private static final String TOML = "flyway.toml";
    private static final String PLACEHOLDER = "placeholders.";
    /** Keys about connecting, logging and reports: they do not change which scripts run or what they do. */
    private static final List<String> SKIPPED = List.of("url", "user", "password", "driver", "connectRetries",
            "connectRetriesInterval", "jdbcProperties", "reportEnabled", "reportFilename", "outputType",
            "loggers", "color", "licenseKey", "workingDirectory", "validateOnMigrate", "cleanDisabled",
            "cleanOnValidationError", "installedBy", "lockRetryCount", "kerberosConfigFile", "oracle",
            "sqlserver", "postgresql", "environment", "environments", "jarDirs", "jars", "configFiles",
            "communityDBSupportEnabled", "detectEncoding", "baselineVersion", "baselineDescription",
            "createSchemas", "failOnMissingLocations", "ignoreMigrationPatterns", "validateMigrationNaming");
    /**
     * Keys Gearshift does not honour, with Flyway's default: the default is what Gearshift does, any other value
     * would change what runs.
     */
    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("outOfOrder", "false"),
            Map.entry("group", "false"), Map.entry("mixed", "false"), Map.entry("baselineOnMigrate", "false"),
            Map.entry("skipDefaultCallbacks", "false"), Map.entry("skipDefaultResolvers", "false"),
            Map.entry("skipExecutingMigrations", "false"), Map.entry("target", "latest"),
            Map.entry("encoding", "UTF-8"), Map.entry("placeholderPrefix", "${"),
            Map.entry("placeholderSuffix", "}"), Map.entry("placeholderReplacement", "true"),
            Map.entry("executeInTransaction", "true"), Map.entry("tablespace", ""));
    private static final List<String> NAMING = List.of("table", "sqlMigrationPrefix", "sqlMigrationSeparator",
            "sqlMigrationSuffixes", "repeatableSqlMigrationPrefix", "undoSqlMigrationPrefix");

    public FlywayConf {
        locations = List.copyOf(locations);
        placeholders = Map.copyOf(placeholders);
    }

    /** Flyway's reference to an environment variable in a value, {@code ${env.NAME}}. */
    private static final java.util.regex.Pattern ENV = java.util.regex.Pattern.compile("\\$\\{env\\.([^}]*)}");

    /**
     * The configuration file in {@code projectDir}, if there is one, its {@code ${env.NAME}} references expanded from
     * {@code environment} (the process's, passed down: never read here).
     */
    public static Optional<FlywayConf> find(Path projectDir, Map<String, String> environment) {
        List<Path> found = FILES.stream().map(projectDir::resolve).filter(Files::isRegularFile).toList();
        if (found.size() > 1) {
            throw new GearshiftException(ErrorCode.VALIDATION, "both " + found.get(0) + " and " + found.get(1)
                    + " configure Flyway; Gearshift reads one: merge them");
        }
        Path toml = projectDir.resolve(TOML);
        if (Files.isRegularFile(toml)) {
            if (!found.isEmpty()) {
                throw new GearshiftException(ErrorCode.VALIDATION, "both " + found.get(0) + " and " + toml
                        + " configure Flyway; Gearshift reads one: merge them");
            }
            return Optional.of(readToml(toml, environment));
        }
        return found.stream().findFirst().map(file -> read(file, environment));
    }

    /** Flyway 10's TOML: the keys of its {@code [flyway]} table (environments hold connections: not read). */
    static FlywayConf readToml(Path file, Map<String, String> environment) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.dataformat.toml.TomlMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.VALIDATION, "cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> keys = new TreeMap<>();
        flatten("", root.path("flyway"), keys);
        return of(file, keys, environment);
    }

    /** Nested tables as dotted keys ({@code placeholders.owner}), arrays as Flyway's comma-separated lists. */
    private static void flatten(String prefix, com.fasterxml.jackson.databind.JsonNode node, Map<String, String> into) {
        node.fields().forEachRemaining(field -> {
            com.fasterxml.jackson.databind.JsonNode value = field.getValue();
            String key = prefix + field.getKey();
            if (value.isObject()) {
                flatten(key + ".", value, into);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                into.put(key, String.join(",", items));
            } else {
                into.put(key, value.asText());
            }
        });
    }

    static FlywayConf read(Path file, Map<String, String> environment) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new GearshiftException(ErrorCode.VALIDATION, "cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> keys = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> keys.put(key.startsWith("flyway.")
                ? key.substring("flyway.".length()) : key, properties.getProperty(key).strip()));
        return of(file, keys, environment);
    }

    /**
     * The settings out of Flyway's keys (without their {@code flyway.} prefix), refusing what is not honoured; the
     * keys Gearshift reads have their {@code ${env.NAME}} expanded, and an unset variable is refused, as Flyway
     * refuses it ("Unable to resolve environment variable"), rather than read as text.
     */
    static FlywayConf of(Path file, Map<String, String> read, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Map<String, String> keys = new TreeMap<>();
        read.forEach((key, value) -> keys.put(key, SKIPPED.contains(key.contains(".")
                ? key.substring(0, key.indexOf('.')) : key) ? value : expand(key, value, environment, problems)));
        Map<String, String> placeholders = new LinkedHashMap<>();
        List<String> locations = List.of();
        Optional<String> schema = Optional.empty();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            String head = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (key.startsWith(PLACEHOLDER)) {
                placeholders.put(key.substring(PLACEHOLDER.length()), value);
            } else if (key.equals("locations")) {
                locations = Arrays.stream(value.split(",")).map(String::strip).filter(l -> !l.isEmpty())
                        .map(l -> location(l, problems)).distinct().toList();
                if (locations.isEmpty()) {
                    problems.add("flyway.locations: no location");
                }
            } else if (key.equals("defaultSchema")) {
                schema = Optional.of(value);
            } else if (key.equals("schemas")) {
                if (schema.isEmpty() && !keys.containsKey("defaultSchema")) {
                    schema = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                            .findFirst();
                }
            } else if (NAMING.contains(key)) {
                if (value.isEmpty() || key.equals("sqlMigrationSeparator") && value.contains("/")) {
                    problems.add("flyway." + key + ": no usable value");
                }
            } else if (SKIPPED.contains(head)) {
                continue; // never shown: the value may be a secret
            } else if (DEFAULTS.containsKey(key)) {
                if (!DEFAULTS.get(key).equalsIgnoreCase(value)) {
                    problems.add("flyway." + key + "=" + value + " is not honoured by Gearshift (only Flyway's"
                            + " default, " + (DEFAULTS.get(key).isEmpty() ? "empty" : DEFAULTS.get(key)) + ")");
                }
            } else {
                problems.add("flyway." + key + " would change what Flyway runs, and Gearshift does not honour it:"
                        + " remove it, or move what it does into migrations");
            }
        }
        if (!problems.isEmpty()) {
            throw new GearshiftException(ErrorCode.VALIDATION, file + ": " + String.join("; ", problems));
        }
        Naming d = Naming.DEFAULT;
        Naming naming = new Naming(keys.getOrDefault("table", d.table()),
                keys.getOrDefault("sqlMigrationPrefix", d.versioned()),
                keys.getOrDefault("sqlMigrationSeparator", d.separator()),
                keys.containsKey("sqlMigrationSuffixes") ? Arrays.stream(keys.get("sqlMigrationSuffixes").split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).toList() : d.suffixes(),
                keys.getOrDefault("repeatableSqlMigrationPrefix", d.repeatable()),
                keys.getOrDefault("undoSqlMigrationPrefix", d.undo()));
        return new FlywayConf(file, locations, placeholders, schema, naming);
    }

    /** A value with its {@code ${env.NAME}} replaced; an unset one is a problem naming the key and the variable. */
    private static String expand(String key, String value, Map<String, String> environment, List<String> problems) {
        return ENV.matcher(value).replaceAll(reference -> {
            String name = reference.group(1);
            String found = environment.get(name);
            if (found == null) {
                problems.add("flyway." + key + ": the environment variable " + name + " (${env." + name
                        + "}) is not set; set it, or write the value");
                return java.util.regex.Matcher.quoteReplacement(reference.group());
            }
            return java.util.regex.Matcher.quoteReplacement(found);
        });
    }

    /** A Flyway location as Gearshift's: a {@code filesystem:} path as it is (relative to the project directory). */
    private static String location(String location, List<String> problems) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("filesystem:")) {
            return location.substring("filesystem:".length());
        }
        if (lower.startsWith(MigrationRoots.CLASSPATH)) {
            return location;
        }
        if (location.contains(":")) {
            problems.add("flyway.locations: '" + location + "' is neither filesystem: nor classpath:");
        }
        // Flyway reads a location without a prefix from the class path
        return MigrationRoots.CLASSPATH + location;
    }
}
