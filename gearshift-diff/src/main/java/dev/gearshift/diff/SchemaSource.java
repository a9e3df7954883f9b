package dev.gearshift.diff;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Secrets;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a schema comes from, for {@code gearshift diff <from> <to>}: a live database, a project's migrations, a
 * directory of desired-state SQL, or nothing at all.
 */
public sealed interface SchemaSource {

    /** A migration file name: {@code 3_create_tenants.up.sql}, {@code 5_plan_features.java}. */
    Pattern MIGRATION_FILE = Pattern.compile("\\d+_.*\\.(up\\.sql|java)");

    /** Reads the schema, building it in {@code shadow} when it has to be built. */
    SchemaModel read(String schema, Supplier<Shadow> shadow);

    /**
     * Reads several schemas, or every schema (none listed), as a database model whose names are qualified.
     *
     * @param schema the schema migrations target, where they are what is read
     */
    SchemaModel readDatabase(List<String> schemas, String schema, Supplier<Shadow> shadow);

    /** For people (passwords masked). */
    String describe();

    /**
     * A live database; a {@code currentSchema=} parameter in its URL names the schema for this side only (not for
     * a database model, which reads the schemas it is given).
     */
    record Database(String url, String user, String password) implements SchemaSource {
        private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");

        @Override
        public SchemaModel read(String schema, Supplier<Shadow> shadow) {
            Matcher own = CURRENT_SCHEMA.matcher(url);
            String side = own.find() ? URLDecoder.decode(own.group(1), StandardCharsets.UTF_8) : schema;
            return SchemaModel.read(url, user, password, side);
        }

        @Override
        public SchemaModel readDatabase(List<String> schemas, String schema, Supplier<Shadow> shadow) {
            return SchemaModel.readDatabase(url, user, password, schemas);
        }

        @Override
        public String describe() {
            return Secrets.mask(url);
        }
    }

    /**
     * What a project's migrations produce: a directory holding {@code gearshift.yaml}, or a migrations directory
     * (one folder per module).
     */
    record Migrations(Path directory, Map<String, String> placeholders) implements SchemaSource {
        public Migrations {
            placeholders = Map.copyOf(placeholders);
        }

        @Override
        public SchemaModel read(String schema, Supplier<Shadow> shadow) {
            return shadow.get().migrate(this::configure, schema);
        }

        @Override
        public SchemaModel readDatabase(List<String> schemas, String schema, Supplier<Shadow> shadow) {
            return shadow.get().migrateDatabase(this::configure, schema, schemas);
        }

        private Gearshift.Builder configure(Gearshift.Builder builder) {
            if (Files.isRegularFile(directory.resolve("gearshift.yaml"))) {
                builder.project(directory);
            } else {
                builder.migrations(directory);
            }
            placeholders.forEach(builder::placeholder);
            return builder;
        }

        @Override
        public String describe() {
            return "the migrations in " + directory;
        }
    }

    /** Desired-state SQL: files, or directories of {@code .sql} files loaded in path order. */
    record SqlFiles(List<Path> paths) implements SchemaSource {
        public SqlFiles {
            paths = List.copyOf(paths);
        }

        @Override
        public SchemaModel read(String schema, Supplier<Shadow> shadow) {
            return shadow.get().loadSql(paths, schema);
        }

        @Override
        public SchemaModel readDatabase(List<String> schemas, String schema, Supplier<Shadow> shadow) {
            return shadow.get().loadDatabase(paths, schemas);
        }

        @Override
        public String describe() {
            return paths.size() == 1 ? paths.get(0).toString() : paths.toString();
        }
    }

    /** An empty schema. */
    record Empty() implements SchemaSource {
        @Override
        public SchemaModel read(String schema, Supplier<Shadow> shadow) {
            return SchemaModel.empty(schema);
        }

        @Override
        public SchemaModel readDatabase(List<String> schemas, String schema, Supplier<Shadow> shadow) {
            return SchemaModel.emptyDatabase();
        }

        @Override
        public String describe() {
            return "an empty schema";
        }
    }

    /**
     * Reads a command-line side: a URL ({@code postgres://...}, {@code jdbc:postgresql:...}), {@code empty}, or a
     * path. A directory with a {@code gearshift.yaml}, or with module folders of migration files, is migrations;
     * other directories and {@code .sql} files are desired-state SQL. Prefixes force a reading:
     * {@code migrations:DIR}, {@code sql:PATH}, {@code db:URL}.
     */
    static SchemaSource parse(String text, String user, String password, Map<String, String> placeholders) {
        if (text.startsWith("db:")) {
            return new Database(text.substring(3), user, password);
        }
        if (text.startsWith("postgres://") || text.startsWith("postgresql://") || text.startsWith("jdbc:")) {
            return new Database(text, user, password);
        }
        if (text.equals("empty")) {
            return new Empty();
        }
        if (text.startsWith("migrations:")) {
            return new Migrations(existing(text.substring("migrations:".length())), placeholders);
        }
        if (text.startsWith("sql:")) {
            return new SqlFiles(List.of(existing(text.substring(4))));
        }
        Path path = existing(text);
        if (Files.isDirectory(path) && (Files.isRegularFile(path.resolve("gearshift.yaml")) || holdsMigrations(path))) {
            return new Migrations(path, placeholders);
        }
        return new SqlFiles(List.of(path));
    }

    private static Path existing(String text) {
        Path path = Path.of(text);
        if (!Files.exists(path)) {
            throw new GearshiftException(ErrorCode.USAGE, "'" + text + "' is neither a database URL nor an existing"
                    + " file or directory (a side is a URL, a migrations directory, desired-state SQL, or 'empty')");
        }
        return path;
    }

    /** True when some subdirectory (a module) holds migration files. */
    private static boolean holdsMigrations(Path directory) {
        try (Stream<Path> modules = Files.list(directory)) {
            for (Path module : (Iterable<Path>) modules.filter(Files::isDirectory)::iterator) {
                try (Stream<Path> files = Files.list(module)) {
                    if (files.anyMatch(f -> MIGRATION_FILE.matcher(f.getFileName().toString()).matches())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read " + directory + ": " + e.getMessage(), e);
        }
    }
}
