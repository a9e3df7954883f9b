package dev.gearshift.lint;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Which rules run, at which severity, for which PostgreSQL major version. Read from gearshift.yaml's
 * {@code lint:} block:
 *
 * <pre>
 * lint:
 *   postgres_version: 15        # the target's major version when no target is given (default 17)
 *   rules:
 *     ban-drop-column: off      # off | on | warning | error
 *     prefer-bigint: error
 * </pre>
 *
 * @param postgresMajor the target's major version; rules that changed with a version (a constant default has not
 *                      rewritten the table since 11) follow it
 * @param severities    each enabled rule's severity; a rule absent from the map is off
 */
public record LintConfig(int postgresMajor, Map<Rule, Severity> severities) {

    public static final int DEFAULT_POSTGRES_MAJOR = 17;

    public LintConfig {
        severities = Map.copyOf(severities);
    }

    /** The rules enabled by default at their default severities, for the newest PostgreSQL. */
    public static LintConfig defaults() {
        Map<Rule, Severity> map = new EnumMap<>(Rule.class);
        for (Rule rule : Rule.values()) {
            if (rule.enabledByDefault()) {
                map.put(rule, rule.defaultSeverity());
            }
        }
        return new LintConfig(DEFAULT_POSTGRES_MAJOR, map);
    }

    public Optional<Severity> severity(Rule rule) {
        return Optional.ofNullable(severities.get(rule));
    }

    public LintConfig withPostgresMajor(int major) {
        return new LintConfig(major, severities);
    }

    /** This config with one rule set: {@code off}, {@code on} (its default severity), {@code warning}, {@code error}. */
    public LintConfig with(Rule rule, String setting) {
        Map<Rule, Severity> map = new EnumMap<>(Rule.class);
        map.putAll(severities);
        switch (setting.toLowerCase(Locale.ROOT)) {
            case "off", "false" -> map.remove(rule);
            case "on", "true" -> map.put(rule, rule.defaultSeverity());
            case "warning", "warn" -> map.put(rule, Severity.WARNING);
            case "error" -> map.put(rule, Severity.ERROR);
            default -> throw new GearshiftException(ErrorCode.USAGE, "lint rule " + rule.id() + ": '" + setting
                    + "' is not one of off, on, warning, error");
        }
        return new LintConfig(postgresMajor, map);
    }

    /**
     * The defaults changed by the {@code lint:} block of a gearshift.yaml; the defaults when the file or the block
     * is absent.
     *
     * @throws GearshiftException ({@code VALIDATION}) for an unknown rule, setting or key, naming the file
     */
    public static LintConfig fromProjectFile(Path file) {
        LintConfig config = defaults();
        if (file == null || !Files.isRegularFile(file)) {
            return config;
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new GearshiftException(ErrorCode.VALIDATION, file + ": cannot read the lint settings: "
                    + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top) || top.get("lint") == null) {
            return config;
        }
        if (!(top.get("lint") instanceof Map<?, ?> lint)) {
            throw new GearshiftException(ErrorCode.VALIDATION, file + ": lint: must be a mapping (postgres_version,"
                    + " rules)");
        }
        try {
            for (Map.Entry<?, ?> entry : lint.entrySet()) {
                String key = String.valueOf(entry.getKey());
                switch (key) {
                    case "postgres_version" -> config = config.withPostgresMajor(
                            Integer.parseInt(String.valueOf(entry.getValue()).split("\\.")[0]));
                    case "rules" -> {
                        if (!(entry.getValue() instanceof Map<?, ?> rules)) {
                            throw new GearshiftException(ErrorCode.USAGE, "lint.rules must map rule ids to off, on,"
                                    + " warning or error");
                        }
                        for (Map.Entry<?, ?> rule : rules.entrySet()) {
                            config = config.with(Rule.byId(String.valueOf(rule.getKey())),
                                    String.valueOf(rule.getValue()));
                        }
                    }
                    default -> throw new GearshiftException(ErrorCode.USAGE, "unknown key lint." + key
                            + " (known: postgres_version, rules)");
                }
            }
        } catch (GearshiftException | NumberFormatException e) {
            throw new GearshiftException(ErrorCode.VALIDATION, file + ": " + e.getMessage(), e);
        }
        return config;
    }
}
