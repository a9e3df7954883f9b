package dev.gearshift.cli;

import dev.gearshift.Counts;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.ProjectDefaults;
import dev.gearshift.Scaffold;
import dev.gearshift.Secrets;
import dev.gearshift.Status;
import dev.gearshift.diff.Rename;
import dev.gearshift.diff.SchemaChanges;
import dev.gearshift.diff.SchemaDiff;
import dev.gearshift.diff.SchemaDrift;
import dev.gearshift.diff.SchemaModel;
import dev.gearshift.diff.SchemaSource;
import dev.gearshift.diff.Shadow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Schema diffs on the command line: {@code diff} and {@code drift}, and what {@code new --diff} and
 * {@code init --from-db} need. The work is gearshift-diff's; this parses, picks the sources and renders.
 */
final class DiffCommands {

    private DiffCommands() {
    }

    /** Where throwaway schemas are built, and the renames the user says. */
    static final class DiffOptions {
        @Option(names = "--dev-url", paramLabel = "URL", description = "PostgreSQL server for the throwaway (shadow)"
                + " databases that desired-state SQL and migrations are built in (default: an embedded PostgreSQL)")
        String devUrl;

        @Option(names = "--rename", paramLabel = "TABLE.OLD=NEW", description = "A renamed column (or OLD=NEW, a"
                + " renamed table); never guessed: without it a rename is a drop and an add")
        List<String> renames = new ArrayList<>();

        @Option(names = "--no-online", description = "One transaction, every statement in its plain form. By"
                + " default, indexes and keys on existing tables are built CONCURRENTLY and their foreign keys and"
                + " checks validated after NOT VALID, in a second part that runs outside a transaction (new --diff:"
                + " a no-transaction migration of its own, the next version)")
        boolean noOnline;

        List<Rename> parsedRenames() {
            return renames.stream().map(Rename::parse).toList();
        }

        SchemaDiff.Options diffOptions() {
            return noOnline ? SchemaDiff.Options.DEFAULTS : SchemaDiff.Options.ONLINE;
        }
    }

    // ------------------------------------------------------------------------------------------ diff

    @Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print the DDL that turns FROM into TO, ready for psql -f; warnings go to stderr.",
                    "Each side is a database URL (schema: --schema), a migrations directory or project (what the"
                            + " migrations produce), a directory or file of desired-state SQL, or 'empty'.",
                    "Prefixes force a reading: db:URL, migrations:DIR, sql:PATH.",
                    "One schema by default, its names unqualified (the script runs in any schema set first on the"
                            + " search path); --schemas or --all-schemas compare several, every name qualified.",
                    "What would lock a table in use comes in a second part, to run outside a transaction after the"
                            + " first committed (CONCURRENTLY, VALIDATE); --no-online: one part, plain."})
    static final class Diff extends Commands.Base {
        @Parameters(index = "0", paramLabel = "FROM")
        String from;

        @Parameters(index = "1", paramLabel = "TO")
        String to;

        @Option(names = "--schemas", paramLabel = "SCHEMA", split = ",", description = "Compare these schemas"
                + " (comma-separated or repeated), created and dropped as need be, every name schema-qualified;"
                + " desired-state SQL names its schemas itself")
        List<String> schemas = new ArrayList<>();

        @Option(names = "--all-schemas", description = "Compare every schema of the databases but PostgreSQL's own"
                + " and extensions', as --schemas does")
        boolean allSchemas;

        @Mixin
        DiffOptions options = new DiffOptions();

        @Override
        public Integer call() {
            if (allSchemas && !schemas.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "--schemas and --all-schemas exclude each other");
            }
            boolean database = allSchemas || !schemas.isEmpty();
            String schema = schema(main);
            SchemaSource fromSource = SchemaSource.parse(from, main.user, main.password, main.placeholders);
            SchemaSource toSource = SchemaSource.parse(to, main.user, main.password, main.placeholders);
            try (Shadows shadows = new Shadows(main, options.devUrl)) {
                SchemaModel a = database ? fromSource.readDatabase(schemas, schema, shadows)
                        : fromSource.read(schema, shadows);
                SchemaModel b = database ? toSource.readDatabase(schemas, schema, shadows)
                        : toSource.read(schema, shadows);
                SchemaChanges changes = SchemaDiff.between(a, b, options.parsedRenames(), options.diffOptions());
                // the statements run where the from side is: its schema, which its URL may name
                String compared = database ? (allSchemas ? "every schema" : "schemas " + String.join(", ", schemas))
                        : "schema " + a.schema();
                if (main.json) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("from", fromSource.describe());
                    json.put("to", toSource.describe());
                    if (database) {
                        java.util.SortedSet<String> found = new java.util.TreeSet<>(a.schemas());
                        found.addAll(b.schemas());
                        json.put("schemas", List.copyOf(found)); // on either side
                    } else {
                        json.put("schema", a.schema());
                    }
                    json.putAll(changesJson(changes));
                    printJson(json);
                } else {
                    warn(main, changes.warnings());
                    print("-- gearshift diff: from " + fromSource.describe() + " to " + toSource.describe()
                            + ", " + compared + "\n" + (changes.isEmpty() ? "-- no differences\n"
                            : "-- " + counted(changes) + "\n" + (database ? "" : a.preamble()) + "\n"
                            + changes.sql()));
                }
                return 0;
            }
        }

    }

    // ------------------------------------------------------------------------------------------ drift

    @Command(name = "drift", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Compare the target schema with what its applied migrations produce; print the DDL that"
                    + " would make it match.", "Exit 1 when they differ."})
    static final class Drift extends Commands.Base {
        @Option(names = "--dev-url", paramLabel = "URL", description = "PostgreSQL server for the shadow database the"
                + " migrations run in (default: an embedded PostgreSQL)")
        String devUrl;

        @Override
        public Integer call() {
            try (Main.Session session = main.open(); Shadows shadows = new Shadows(main, devUrl)) {
                Gearshift gearshift = session.builder().build();
                Status status = gearshift.status();
                String url = session.embedded() != null ? session.embedded().jdbcUrl() : targetUrl(main);
                SchemaModel live = SchemaModel.read(url, main.user, main.password, status.schema());
                SchemaDrift drift = SchemaDrift.of(status, live, shadows.get(), b -> projectSources(main, b));
                if (main.json) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("drift", drift.found());
                    json.put("target", gearshift.target());
                    json.put("schema", drift.schema());
                    json.putAll(changesJson(drift.changes()));
                    json.put("warnings", drift.warnings());
                    printJson(json);
                } else {
                    warn(main, drift.warnings());
                    print(drift.found() ? driftText(drift.schema(), drift.changes()) : "No drift: schema "
                            + drift.schema() + " is what the migrations produce ("
                            + Counts.of(live.objects().size(), "object") + ")\n");
                }
                return drift.found() ? 1 : 0;
            }
        }

        private static String driftText(String schema, SchemaChanges changes) {
            StringBuilder text = new StringBuilder("Drift in schema " + schema + ": "
                    + Counts.of(changes.differences().size(), "object differs", "objects differ")
                    + " from what the migrations produce\n");
            for (SchemaChanges.Difference difference : changes.differences()) {
                text.append("  ").append(difference.kind()).append(' ').append(difference.name()).append(": ")
                        .append(switch (difference.change()) {
                            case ADDED -> "missing";
                            case REMOVED -> "not in the migrations";
                            case CHANGED -> "different";
                        }).append('\n');
                // as Lily's TestSchemaIsCurrent logs: the whole CREATE TABLE a differing table should have
                if (difference.kind().equals("table") && difference.toDdl() != null) {
                    difference.toDdl().lines().forEach(line -> text.append("      ").append(line).append('\n'));
                }
            }
            return text.append("\nTo reconcile (run with the schema first on the search path):\n")
                    .append(changes.sql()).toString();
        }
    }

    // ------------------------------------------------------------------------------------------ new --diff

    /** {@code new MODULE NAME --diff db/src}: the up and down scripts from a diff. */
    static final class NewOptions {
        @Option(names = "--diff", paramLabel = "SOURCES", split = ",", description = "Write up and down from the"
                + " difference between what the existing migrations produce and this desired-state SQL (files or"
                + " directories, e.g. db/src)")
        List<Path> sources;

        @Option(names = "--no-diff", description = "Empty scripts to fill in by hand, e.g. a data migration (the"
                + " default without --diff)")
        boolean noDiff;

        @Mixin
        DiffOptions options = new DiffOptions();

        /** The scripts, or null without {@code --diff}. Computed before any file is written. */
        Scripts scripts(Main main, Path migrations) {
            if (sources == null || sources.isEmpty()) {
                return null;
            }
            if (noDiff) {
                throw new GearshiftException(ErrorCode.USAGE, "--diff and --no-diff exclude each other");
            }
            String schema = schema(main);
            try (Shadows shadows = new Shadows(main, options.devUrl)) {
                SchemaModel current = Files.isDirectory(migrations)
                        ? shadows.get().migrate(b -> projectSources(main, b).migrations(migrations), schema)
                        : SchemaModel.empty(schema);
                SchemaModel desired = shadows.get().loadSql(sources, schema);
                List<Rename> renames = options.parsedRenames();
                SchemaChanges up = SchemaDiff.between(current, desired, renames, options.diffOptions());
                if (up.isEmpty()) {
                    throw new GearshiftException(ErrorCode.USAGE, "no differences between what the migrations produce"
                            + " and " + sources + ": nothing written (use --no-diff for a data migration)");
                }
                warn(main, up.warnings());
                String from = "`gearshift new --diff " + String.join(",", sources.stream().map(Path::toString)
                        .toList()) + "`";
                return new Scripts(perPart(current, up, renames), from);
            }
        }

        /**
         * One migration per part of the diff, so each runs as its part declares; each down undoes its own part
         * only, from the schema that part leaves to the one before it.
         */
        private static List<Scripts.Migration> perPart(SchemaModel current, SchemaChanges up, List<Rename> renames) {
            List<Scripts.Migration> migrations = new ArrayList<>();
            SchemaModel before = current;
            for (SchemaChanges.Part part : up.parts()) {
                boolean first = migrations.isEmpty();
                // renames are in the first part: the later ones go between schemas of the same names
                List<Rename> back = first ? renames.stream().map(Rename::reversed).toList() : List.of();
                SchemaChanges down = SchemaDiff.between(part.after(), before, back, part.transactional()
                        ? SchemaDiff.Options.DEFAULTS : SchemaDiff.Options.ONLINE);
                SchemaChanges partUp = new SchemaChanges(List.of(part), first ? up.differences() : List.of(),
                        first ? up.warnings() : List.of());
                migrations.add(new Scripts.Migration(first ? "" : "_online", part.transactional(), partUp, down));
                before = part.after();
            }
            return migrations;
        }
    }

    /** The migrations written from a diff: one per part of it, each with its up and down scripts. */
    record Scripts(List<Migration> migrations, String writtenBy) {

        /**
         * @param suffix        after the migration's name: the second one is {@code <name>_online}
         * @param transactional false: both scripts are {@code -- gearshift:no-transaction}
         */
        record Migration(String suffix, boolean transactional, SchemaChanges up, SchemaChanges down) {
        }

        /** Writes each migration as the next version of {@code module}; returns the files, ups before downs. */
        List<Path> write(Path directory, String module, String name, boolean timestamp) {
            List<Path> created = new ArrayList<>();
            for (Migration migration : migrations) {
                for (Path file : Scaffold.newMigration(directory, module, name + migration.suffix(), timestamp,
                        Instant.now())) {
                    boolean isUp = file.getFileName().toString().endsWith(".up.sql");
                    writeScript(file, isUp ? migration.up() : migration.down(), writtenBy, migration.transactional());
                    created.add(file);
                }
            }
            return created;
        }
    }

    // ------------------------------------------------------------------------------------------ init --from-db

    /** {@code init --from-db URL}: the first migration is the schema of an existing database. */
    static final class InitOptions {
        @Option(names = "--from-db", paramLabel = "URL", description = "Write the first migration (up and down)"
                + " from the schema (--schema, default public) of this existing database")
        String fromDb;

        /** Reads the database before anything is written; null without {@code --from-db}. */
        FirstMigration read(Main main) {
            if (fromDb == null) {
                return null;
            }
            String schema = main.schema != null ? main.schema : "public";
            SchemaModel live = SchemaModel.read(fromDb, main.user, main.password, schema);
            if (live.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "schema " + schema + " of " + Secrets.mask(fromDb)
                        + " is empty or does not exist: nothing to write (give --schema)");
            }
            warn(main, live.unsupported().stream().map(u -> "not in the first migration (unsupported): " + u).toList());
            SchemaModel empty = SchemaModel.empty(schema);
            return new FirstMigration(schema, SchemaDiff.between(empty, live), SchemaDiff.between(live, empty),
                    "`gearshift init --from-db " + Secrets.mask(fromDb) + "`");
        }
    }

    /** The first migration of a project made from an existing database. */
    record FirstMigration(String schema, SchemaChanges up, SchemaChanges down, String writtenBy) {
        /** The schema the new project's gearshift.yaml names: none for public, every target's default. */
        String projectSchema() {
            return schema.equals("public") ? null : schema;
        }

        /** Writes {@code <module>/1_initial.up.sql} and {@code .down.sql}. */
        List<Path> write(Path projectDirectory, String module) {
            return new Scripts(List.of(new Scripts.Migration("", true, up, down)), writtenBy)
                    .write(Scaffold.migrationsDirectory(projectDirectory), module, "initial", false);
        }
    }

    // ------------------------------------------------------------------------------------------ shared

    /** The shadow server, started on first use and stopped at the end of the command. */
    private static final class Shadows implements Supplier<Shadow>, AutoCloseable {
        private final Main main;
        private final String devUrl;
        private Shadow shadow;

        Shadows(Main main, String devUrl) {
            this.main = main;
            this.devUrl = devUrl;
            if (devUrl != null) {
            }
        }

        @Override
        public Shadow get() {
            if (shadow == null) {
                long started = System.nanoTime();
                shadow = devUrl != null ? Shadow.at(devUrl, null, null) : Shadow.embedded();
                if (devUrl == null && !main.json) {
                    main.err.printf("Building schemas in a throwaway embedded PostgreSQL (started in %.1f s;"
                            + " --dev-url to use a server of your own)%n", (System.nanoTime() - started) / 1e9);
                }
            }
            return shadow;
        }

        @Override
        public void close() {
            if (shadow != null) {
                shadow.close();
            }
        }
    }

    /** The project's migrations on a builder: gearshift.yaml (modules, placeholders) when there is one, --dir. */
    private static Gearshift.Builder projectSources(Main main, Gearshift.Builder builder) {
        builder.project(main.projectRoot()); // without a gearshift.yaml: its migrations directory
        if (main.dir != null) {
            builder.migrations(main.dir);
        }
        main.placeholders.forEach(builder::placeholder);
        return builder;
    }

    /** --schema, else the project's schema, else public. */
    private static String schema(Main main) {
        if (main.schema != null) {
            return main.schema;
        }
        return ProjectDefaults.read(main.projectRoot()).schema().orElse("public");
    }

    /** The target's URL as configured: --url (or GEARSHIFT_URL), else gearshift.yaml's. */
    private static String targetUrl(Main main) {
        if (main.url != null) {
            return main.url;
        }
        return ProjectDefaults.read(main.projectRoot()).url().orElse(null);
    }

    private static Map<String, Object> changesJson(SchemaChanges changes) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<Map<String, Object>> differences = new ArrayList<>();
        for (SchemaChanges.Difference difference : changes.differences()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", difference.kind());
            item.put("name", difference.name());
            item.put("change", difference.change().name().toLowerCase(Locale.ROOT));
            item.put("from", difference.fromDdl());
            item.put("to", difference.toDdl());
            differences.add(item);
        }
        json.put("differences", differences);
        List<Map<String, Object>> statements = new ArrayList<>();
        for (SchemaChanges.Statement statement : changes.statements()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", statement.object());
            item.put("sql", statement.sql());
            item.put("destructive", statement.destructive());
            item.put("reason", statement.reason());
            statements.add(item);
        }
        json.put("statements", statements);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (SchemaChanges.Part part : changes.parts()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("transactional", part.transactional());
            item.put("statements", part.statements().size());
            item.put("sql", part.sql());
            parts.add(item);
        }
        json.put("parts", parts);
        json.put("destructive", changes.destructive());
        json.put("sql", changes.sql());
        json.put("warnings", changes.warnings());
        return json;
    }

    private static void writeScript(Path file, SchemaChanges changes, String writtenBy, boolean transactional) {
        String name = file.getFileName().toString();
        StringBuilder text = new StringBuilder(transactional ? "" : "-- gearshift:no-transaction\n");
        text.append("-- ").append(name).append(": written by ").append(writtenBy).append(".\n"
                + "-- Review it before applying: renames are never guessed (--rename table.old=new).\n");
        if (!transactional) {
            text.append("-- Outside a transaction, each statement commits on its own: if one fails, fix the cause, undo"
                    + " what ran before it, `gearshift repair`, then `up`.\n");
        }
        long destructive = changes.statements().stream().filter(SchemaChanges.Statement::destructive).count();
        if (destructive > 0) {
            text.append("-- ").append(Counts.of(destructive, "statement loses", "statements lose"))
                    .append(" data: each follows a DESTRUCTIVE comment.\n");
        }
        changes.warnings().forEach(w -> text.append("-- warning: ").append(w).append('\n'));
        // outside a transaction the parts of a diff are one script: each statement runs on its own anyway
        text.append('\n').append(transactional ? changes.sql() : changes.parts().stream()
                .map(SchemaChanges.Part::sql).collect(java.util.stream.Collectors.joining()));
        try {
            Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void warn(Main main, List<String> warnings) {
        warnings.forEach(w -> main.err.println(Main.forPeople("warning: " + w)));
    }

    private static String counted(SchemaChanges changes) {
        long destructive = changes.statements().stream().filter(SchemaChanges.Statement::destructive).count();
        return Counts.of(changes.statements().size(), "statement")
                + (destructive > 0 ? ", " + destructive + " destructive" : "")
                + (changes.parts().size() > 1 ? ", in " + changes.parts().size() + " parts: run each after the one"
                + " before it committed, the one outside a transaction statement by statement (psql -f does)" : "");
    }
}
