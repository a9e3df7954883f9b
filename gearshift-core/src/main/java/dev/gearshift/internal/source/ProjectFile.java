package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * {@code gearshift.yaml}: the project's modules, their dependencies, placeholders and defaults.
 * Every key is optional; unknown keys are an error, so a typo never silently does nothing.
 *
 * <pre>
 * migrations: migrations          # directory, relative to this file
 * url: postgres://app@db/saas     # default target
 * schema: app
 * create_schema: true
 * history_table: gearshift_history
 * migrator_wait: 60s              # how long to wait for another migrator (was lock_timeout, still read)
 * ddl_lock_timeout: 5s            # how long a statement waits for a table lock before its migration is retried
 * ddl_lock_retries: 3             # how many times such a migration runs again
 * modules:
 *   core: {}
 *   auth: { requires: [core] }
 *   visor: { versioning: major-patch }   # v&lt;major&gt;/base.sql + v&lt;major&gt;/patches/&lt;patch&gt;_&lt;tag&gt;.up.sql
 * placeholders: { app_role: app_user }
 * settings: { lock_timeout: 5s }  # session settings while migrations run
 * layout: golang-migrate          # another tool's layout, read as it is (else found by looking)
 * module: app                     # the one module of a flat golang-migrate folder (else the folder's name)
 * keep_tool_history: true         # another tool's layout: keep that tool's history table current too
 * changelog: db/changelog/main.xml  # liquibase: the master changelog, relative to migrations (else found by looking)
 * </pre>
 *
 * A Flyway project's {@code flyway.conf} beside it is read under it ({@link #over}).
 *
 * @param lockTimeout the deprecated name of {@code migratorWait}: it read like PostgreSQL's lock_timeout, a
 *                    different wait
 * @param flyway      Flyway's table and script names, from a flyway.conf
 * @param locations   the several locations of a flyway.conf, read as one migration set, when {@code migrations}
 *                    is not set; else empty
 */
public record ProjectFile(Path file, String migrations, String url, String user, String schema, Boolean createSchema,
                          String historyTable, String lockTimeout, String migratorWait, String ddlLockTimeout,
                          String ddlLockRetries, Map<String, ModuleSpec> modules,
                          Map<String, String> placeholders, Map<String, String> settings, String layout,
                          String module, Boolean keepToolHistory, String changelog, FlywayConf.Naming flyway,
                          List<String> locations) {

    public static final String FILE_NAME = "gearshift.yaml";

    private static final List<String> KEYS = List.of("migrations", "url", "user", "schema", "create_schema",
            "history_table", "migrator_wait", "lock_timeout", "ddl_lock_timeout", "ddl_lock_retries", "modules",
            "placeholders", "settings", "layout", "module", "keep_tool_history", "lint", "changelog");
    private static final List<String> MODULE_KEYS = List.of("requires", "versioning", "major_table");
    /** The one value of a module's {@code versioning} besides the default: Lily's major.patch layout. */
    public static final String MAJOR_PATCH = "major-patch";

    public ProjectFile {
        modules = modules == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        flyway = flyway == null ? FlywayConf.Naming.DEFAULT : flyway;
        locations = locations == null ? List.of() : List.copyOf(locations);
    }

    /**
     * One module's declaration.
     *
     * @param majorPatch {@code versioning: major-patch}: the module's folder holds {@code v<major>/base.sql} and
     *                   {@code v<major>/patches/<patch>_<tag>.up.sql} instead of numbered migrations
     * @param majorTable a major-patch module's one-row table that records the major (Lily's {@code visor_version},
     *                   created by the base), read when the history has nothing of the module; or null
     */
    public record ModuleSpec(List<String> requires, boolean majorPatch, String majorTable) {
        public ModuleSpec {
            requires = requires == null ? List.of() : List.copyOf(requires);
        }

        public ModuleSpec(List<String> requires, boolean majorPatch) {
            this(requires, majorPatch, null);
        }

        public ModuleSpec(List<String> requires) {
            this(requires, false);
        }
    }

    /**
     * The directory the file is in: relative paths in it are relative to this. Relative when the file's path is,
     * so that messages name migrations as the user gave the project ({@code migrations/core/1_x.up.sql}).
     */
    public Path root() {
        Path parent = file.normalize().getParent();
        return parent != null ? parent : Path.of("");
    }

    /**
     * Reads the file with SnakeYAML's node API rather than a data binder: a CLI command reads this file on every
     * start, and the nodes carry the line of every key and value for the error messages.
     */
    public static ProjectFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.VALIDATION, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            return empty(file);
        }
        Node root = compose(file, text);
        Fields fields = new Fields(file);
        Map<String, String> values = new LinkedHashMap<>();
        Boolean createSchema = null;
        Boolean keepToolHistory = null;
        Map<String, ModuleSpec> modules = null;
        Map<String, String> placeholders = null;
        Map<String, String> settings = null;
        for (NodeTuple entry : fields.mapping(root, null, KEYS)) {
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            Node value = entry.getValueNode();
            switch (key) {
                case "create_schema" -> createSchema = fields.bool(value, key);
                case "keep_tool_history" -> keepToolHistory = fields.bool(value, key);
                case "modules" -> modules = fields.modules(value);
                case "placeholders" -> placeholders = fields.stringMap(value, key);
                case "settings" -> settings = fields.stringMap(value, key);
                case "lint" -> { } // read by gearshift-lint (LintConfig), which checks its keys itself
                default -> values.put(key, fields.string(value, key));
            }
        }
        return new ProjectFile(file, values.get("migrations"), values.get("url"), values.get("user"),
                values.get("schema"), createSchema, values.get("history_table"), values.get("lock_timeout"),
                values.get("migrator_wait"), values.get("ddl_lock_timeout"), values.get("ddl_lock_retries"), modules,
                placeholders, settings, values.get("layout"), values.get("module"), keepToolHistory,
                values.get("changelog"), null, null);
    }

    /**
     * This file over a Flyway project's configuration: what this file names wins (per placeholder), the rest comes
     * from Flyway's file, and the layout is Flyway's unless this file names another.
     */
    public ProjectFile over(FlywayConf flyway) {
        Map<String, String> merged = new LinkedHashMap<>(flyway.placeholders());
        merged.putAll(placeholders);
        boolean flywayLocations = migrations == null && !flyway.locations().isEmpty();
        return new ProjectFile(file, flywayLocations && flyway.locations().size() == 1 ? flyway.locations().get(0)
                : migrations, url, user,
                schema != null ? schema : flyway.schema().orElse(null), createSchema, historyTable, lockTimeout,
                migratorWait, ddlLockTimeout, ddlLockRetries, modules, merged, settings,
                layout != null ? layout : Layout.FLYWAY.text(), module, keepToolHistory, changelog,
                flyway.naming(), flywayLocations && flyway.locations().size() > 1 ? flyway.locations() : null);
    }

    public static ProjectFile empty(Path file) {
        return new ProjectFile(file, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The first document's nodes (a second document after {@code ---} is not read). */
    private static Node compose(Path file, String text) {
        try {
            LoaderOptions options = new LoaderOptions();
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options),
                    new Resolver(), options);
            if (!composer.checkNode()) {
                throw new GearshiftException(ErrorCode.VALIDATION, file + ":1: not a valid " + FILE_NAME
                        + ": it holds only comments; write a key, or leave the file empty");
            }
            return composer.getNode();
        } catch (MarkedYAMLException e) {
            // where the broken construct starts (an unclosed quote), else where the parser gave up
            Mark mark = e.getContextMark() != null ? e.getContextMark() : e.getProblemMark();
            throw new GearshiftException(ErrorCode.VALIDATION, file + ":" + (mark == null ? 0 : mark.getLine() + 1)
                    + ": not a valid " + FILE_NAME + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw new GearshiftException(ErrorCode.VALIDATION,
                    file + ": not a valid " + FILE_NAME + ": " + e.getMessage());
        }
    }

    /** Typed values out of nodes, with errors that name the line and the key. */
    private record Fields(Path file) {

        /** A mapping's entries in file order, each key a name from {@code known} (any name when null). */
        List<NodeTuple> mapping(Node node, String key, List<String> known) {
            if (!(node instanceof MappingNode mapping)) {
                throw invalid(node, key == null ? "expected keys such as 'schema: app', not " + describe(node)
                        : key + ": expected a mapping such as { name: value }, not " + describe(node));
            }
            for (NodeTuple entry : mapping.getValue()) {
                Node name = entry.getKeyNode();
                if (!(name instanceof ScalarNode scalar)) {
                    throw invalid(name, "a key must be a plain name, not " + describe(name));
                }
                if (known != null && !known.contains(scalar.getValue())) {
                    throw new GearshiftException(ErrorCode.VALIDATION, file + ":" + line(name) + ": unknown key '"
                            + scalar.getValue() + "'; known keys: " + known);
                }
            }
            return mapping.getValue();
        }

        String string(Node node, String key) {
            if (!(node instanceof ScalarNode scalar)) {
                throw invalid(node, key + ": expected a single value, not " + describe(node));
            }
            return scalar.getTag().equals(Tag.NULL) ? null : scalar.getValue();
        }

        /** YAML's true/false (and yes/no, on/off), "true"/"false" quoted, or a number: 0 is false. */
        Boolean bool(Node node, String key) {
            String value = string(node, key);
            Tag tag = node.getTag();
            if (value == null || value.isEmpty()) {
                return null;
            }
            String lower = value.toLowerCase(java.util.Locale.ROOT);
            if (tag.equals(Tag.BOOL)) {
                return lower.equals("yes") || lower.equals("true") || lower.equals("on");
            }
            if (tag.equals(Tag.INT)) {
                return !value.matches("[-+]?0+");
            }
            if (lower.equals("true") || lower.equals("false")) {
                return lower.equals("true");
            }
            throw invalid(node, key + ": expected true or false, not " + describe(node));
        }

        /** name: value pairs; every value a single value, numbers and booleans as written. */
        Map<String, String> stringMap(Node node, String key) {
            if (isNull(node)) {
                return null;
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (NodeTuple entry : mapping(node, key, null)) {
                String name = ((ScalarNode) entry.getKeyNode()).getValue();
                String value = string(entry.getValueNode(), key + "." + name);
                if (value == null) {
                    throw invalid(entry.getValueNode(), key + "." + name + ": no value");
                }
                map.put(name, value);
            }
            return map;
        }

        Map<String, ModuleSpec> modules(Node node) {
            if (isNull(node)) {
                return null;
            }
            Map<String, ModuleSpec> modules = new LinkedHashMap<>();
            for (NodeTuple entry : mapping(node, "modules", null)) {
                String name = ((ScalarNode) entry.getKeyNode()).getValue();
                List<String> requires = null;
                boolean majorPatch = false;
                String majorTable = null;
                Node majorTableNode = null;
                if (!isNull(entry.getValueNode())) { // "core:" alone declares it like "core: {}"
                    for (NodeTuple field : mapping(entry.getValueNode(), "modules." + name, MODULE_KEYS)) {
                        String key = ((ScalarNode) field.getKeyNode()).getValue();
                        if (key.equals("versioning")) {
                            String value = string(field.getValueNode(), "modules." + name + ".versioning");
                            if (value != null && !value.equals(MAJOR_PATCH) && !value.equals("plain")) {
                                throw invalid(field.getValueNode(), "modules." + name + ".versioning: expected "
                                        + MAJOR_PATCH + " or plain, not '" + value + "'");
                            }
                            majorPatch = MAJOR_PATCH.equals(value);
                        } else if (key.equals("major_table")) {
                            majorTable = string(field.getValueNode(), "modules." + name + ".major_table");
                            majorTableNode = field.getValueNode();
                        } else {
                            requires = names(field.getValueNode(), "modules." + name + ".requires");
                        }
                    }
                }
                if (majorTable != null && !majorPatch) {
                    throw invalid(majorTableNode, "modules." + name + ".major_table: only a module with versioning: "
                            + MAJOR_PATCH + " records its major in a table");
                }
                modules.put(name, new ModuleSpec(requires, majorPatch, majorTable));
            }
            return modules;
        }

        private List<String> names(Node node, String key) {
            if (isNull(node)) {
                return null;
            }
            if (!(node instanceof SequenceNode sequence)) {
                throw invalid(node, key + ": expected a list such as [core], not " + describe(node));
            }
            List<String> names = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                String name = string(item, key);
                if (name == null) {
                    throw invalid(item, key + ": an empty entry");
                }
                names.add(name);
            }
            return names;
        }

        private GearshiftException invalid(Node node, String message) {
            return new GearshiftException(ErrorCode.VALIDATION,
                    file + ":" + line(node) + ": not a valid " + FILE_NAME + ": " + message);
        }

        private static boolean isNull(Node node) {
            return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
        }

        private static int line(Node node) {
            return node.getStartMark().getLine() + 1;
        }

        private static String describe(Node node) {
            return node instanceof SequenceNode ? "a list" : node instanceof MappingNode ? "a mapping"
                    : "'" + ((ScalarNode) node).getValue() + "'";
        }
    }
}
