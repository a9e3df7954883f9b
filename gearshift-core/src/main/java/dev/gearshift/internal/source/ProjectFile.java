package dev.gearshift.internal.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * lock_timeout: 60s               # how long to wait for another migrator
 * modules:
 *   core: {}
 *   auth: { requires: [core] }
 * placeholders: { app_role: app_user }
 * settings: { lock_timeout: 5s }  # session settings while migrations run
 * </pre>
 */
public record ProjectFile(Path file, String migrations, String url, String user, String schema, Boolean createSchema,
                          String historyTable, String lockTimeout, Map<String, ModuleSpec> modules,
                          Map<String, String> placeholders, Map<String, String> settings) {

    public static final String FILE_NAME = "gearshift.yaml";

    public ProjectFile {
        modules = modules == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** One module's declaration. */
    public record ModuleSpec(List<String> requires) {
        public ModuleSpec {
            requires = requires == null ? List.of() : List.copyOf(requires);
        }
    }

    /** The directory the file is in: relative paths in it are relative to this. */
    public Path root() {
        return file.toAbsolutePath().getParent();
    }

    public static ProjectFile read(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                return empty(file);
            }
            ProjectFile read = yaml.readValue(text, ProjectFile.class);
            return new ProjectFile(file, read.migrations, read.url, read.user, read.schema, read.createSchema,
                    read.historyTable, read.lockTimeout, read.modules, read.placeholders, read.settings);
        } catch (UnrecognizedPropertyException e) {
            throw new GearshiftException(ErrorCode.VALIDATION, file + ":" + keyLine(yaml, file, e)
                    + ": unknown key '" + e.getPropertyName() + "'; known keys: " + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new GearshiftException(ErrorCode.VALIDATION,
                    file + ":" + line + ": not a valid " + FILE_NAME + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.VALIDATION, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The line of an unknown key. Jackson reads a record's keys before it checks them, so the exception's own
     * location is where the enclosing mapping ended, not where the key is: find the key by its path instead.
     */
    private static int keyLine(ObjectMapper yaml, Path file, UnrecognizedPropertyException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            pointer.append('/').append(reference.getFieldName() == null ? String.valueOf(reference.getIndex())
                    : reference.getFieldName().replace("~", "~0").replace("/", "~1"));
        }
        try (JsonParser parser = yaml.getFactory().createParser(Files.readString(file))) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME
                        && parser.getParsingContext().pathAsPointer().toString().equals(pointer.toString())) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException notFound) {
            // fall back to Jackson's location
        }
        return e.getLocation().getLineNr();
    }

    public static ProjectFile empty(Path file) {
        return new ProjectFile(file, null, null, null, null, null, null, null, null, null, null);
    }
}
