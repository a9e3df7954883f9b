package dev.gearshift;

import dev.gearshift.internal.source.ProjectFile;
import dev.gearshift.internal.source.ScriptTemplate;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Writes project files: a new project skeleton, and the next migration of a module. */
public final class Scaffold {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern VERSIONED = Pattern.compile("(\\d+)_.*\\.(?:up\\.sql|down\\.sql|verify\\.sql|java)");

    private Scaffold() {
    }

    /** The migrations directory of a project: what its gearshift.yaml names, else {@code migrations}. */
    public static Path migrationsDirectory(Path projectDirectory) {
        Path config = projectDirectory.resolve(ProjectFile.FILE_NAME);
        String configured = Files.isRegularFile(config) ? ProjectFile.read(config).migrations() : null;
        return projectDirectory.resolve(configured != null ? configured : "migrations");
    }

    /**
     * Creates {@code gearshift.yaml} and {@code migrations/<module>/} in {@code projectDirectory}.
     *
     * @param schema the project's schema, written as its {@code schema:}; null: none, only an example
     */
    public static List<Path> init(Path projectDirectory, String firstModule, String schema) {
        return init(projectDirectory, firstModule, "{}", schema);
    }

    /**
     * What {@link #initFromLily} wrote, what it could not read from the Go source (each {@code file:line: what}), and
     * what it read but left out on purpose, with the reason.
     */
    public record Extracted(List<Path> created, List<String> notRead, List<String> skipped) {
        public Extracted {
            created = List.copyOf(created);
            notRead = List.copyOf(notRead);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Creates a project from Lily's schema packages ({@code schemas/v<major>/*.go}): each major's base and patches
     * read out of their Go strings into {@code migrations/<module>/v<major>/base.sql} and
     * {@code patches/<patch>_<tag>.up.sql} (and {@code .down.sql}), and a gearshift.yaml declaring the module
     * {@code versioning: major-patch} with Lily's {@code major_table: visor_version}. Best effort: what cannot be
     * read without running Go (a string built at run time, a template action other than the schema name) is not
     * written and is listed in {@link Extracted#notRead()}, for a person to write by hand.
     */
    public static Extracted initFromLily(Path projectDirectory, String module, Path goDirectory) {
        requireName(module, "module");
        requireNoProject(projectDirectory);
        dev.gearshift.internal.source.LilySchemas.Extraction read = dev.gearshift.internal.source.LilySchemas.read(goDirectory);
        Path folder = projectDirectory.resolve("migrations").resolve(module);
        if (Files.exists(folder)) {
            throw new GearshiftException(ErrorCode.USAGE, folder + " already exists; extract into a new directory");
        }
        List<Path> created = new ArrayList<>(init(projectDirectory, module,
                "{ versioning: " + ProjectFile.MAJOR_PATCH + ", major_table: visor_version }", null));
        try {
            for (dev.gearshift.internal.source.LilySchemas.Script script : read.scripts()) {
                Path file = folder.resolve(script.path());
                Files.createDirectories(file.getParent());
                Files.writeString(file, script.text(), java.nio.file.StandardOpenOption.CREATE_NEW);
                created.add(file);
            }
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot write into " + folder + ": " + e.getMessage(), e);
        }
        return new Extracted(created, read.notRead(), read.skipped());
    }

    private static void requireNoProject(Path projectDirectory) {
        Path config = projectDirectory.resolve("gearshift.yaml");
        if (Files.exists(config)) {
            throw new GearshiftException(ErrorCode.USAGE, config + " already exists; this is a Gearshift project already");
        }
    }

    private static List<Path> init(Path projectDirectory, String firstModule, String moduleSpec, String schema) {
        requireName(firstModule, "module");
        Path config = projectDirectory.resolve("gearshift.yaml");
        requireNoProject(projectDirectory);
        Path module = projectDirectory.resolve("migrations").resolve(firstModule);
        try {
            Files.createDirectories(module);
            Files.writeString(config, """
                    # Gearshift project: see https://github.com/gearshift/gearshift#project-format
                    migrations: migrations
                    # url: postgres://user@localhost:5432/mydb   # or GEARSHIFT_URL; none = embedded PostgreSQL
                    %s
                    # create_schema: true
                    modules:
                      %s: %s
                      # auth: { requires: [%s] }
                    placeholders: {}
                    """.formatted(schema == null ? "# schema: app" : "schema: " + yamlString(schema), firstModule,
                    moduleSpec, firstModule));
            return List.of(config, module);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot write " + config + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code <version>_<name>.up.sql} and {@code .down.sql} for the next version of {@code module}:
     * one above the highest, or the current unix time with {@code timestamp}. Their only content is a
     * comment that validation recognises, so an unedited file is refused rather than applied as a no-op.
     */
    public static List<Path> newMigration(Path migrations, String module, String name, boolean timestamp, Instant now) {
        requireName(module, "module");
        requireName(name, "migration");
        Path folder = migrations.resolve(module);
        java.util.Optional<Path> major = latestMajor(folder);
        if (major.isPresent()) {
            return newPatch(module, major.get(), name);
        }
        long highest = highestNumber(folder, VERSIONED);
        long version = timestamp ? Math.max(now.getEpochSecond(), highest + 1) : highest + 1;
        return writePair(module, folder, version, String.valueOf(version), name);
    }

    private static final Pattern MAJOR_FOLDER = Pattern.compile("v(\\d{1,9})");
    private static final Pattern PATCH = Pattern.compile("(\\d{1,9})_.*\\.(?:up|down)\\.sql");

    /** The newest {@code v<major>} folder of a major-patch module (a plain module has no folders). */
    private static java.util.Optional<Path> latestMajor(Path folder) {
        if (!Files.isDirectory(folder)) {
            return java.util.Optional.empty();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> MAJOR_FOLDER.matcher(p.getFileName().toString()).matches())
                    .max(java.util.Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(1))));
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** {@code v<major>/patches/<next patch>_<name>.up.sql} and {@code .down.sql}: patches count 1, 2, 3. */
    private static List<Path> newPatch(String module, Path majorFolder, String name) {
        Path patches = majorFolder.resolve("patches");
        long patch = highestNumber(patches, PATCH) + 1;
        return writePair(module, patches, patch, majorFolder.getFileName().toString().substring(1) + "." + patch,
                name);
    }

    /** The highest number the files of {@code folder} that {@code pattern} matches start with; 0 for none. */
    private static long highestNumber(Path folder, Pattern pattern) {
        long highest = 0;
        if (!Files.isDirectory(folder)) {
            return highest;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher matcher = pattern.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    highest = Math.max(highest, Long.parseLong(matcher.group(1)));
                }
            }
            return highest;
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** {@code <number>_<name>.up.sql} and {@code .down.sql} in {@code folder}, never over an existing file. */
    private static List<Path> writePair(String module, Path folder, long number, String version, String name) {
        try {
            Files.createDirectories(folder);
            List<Path> created = new ArrayList<>();
            for (String direction : List.of("up", "down")) {
                Path file = folder.resolve(number + "_" + name + "." + direction + ".sql");
                Files.writeString(file, ScriptTemplate.text(module, version, name, direction),
                        java.nio.file.StandardOpenOption.CREATE_NEW);
                created.add(file);
            }
            return created;
        } catch (FileAlreadyExistsException e) {
            throw new GearshiftException(ErrorCode.USAGE, e.getFile() + " already exists");
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot write into " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * A plain scalar when YAML reads it back as the same string, else double-quoted: a schema name may hold any
     * character, or spell one of YAML's booleans or its null.
     */
    private static String yamlString(String text) {
        return text.matches("[A-Za-z_][A-Za-z0-9_]*")
                && !text.matches("(?i)null|true|false|yes|no|on|off|y|n") ? text
                : '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static void requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new GearshiftException(ErrorCode.USAGE, "'" + name + "' is not a valid " + what
                    + " name: use letters, digits, '_' and '-', starting with a letter or digit");
        }
    }
}
