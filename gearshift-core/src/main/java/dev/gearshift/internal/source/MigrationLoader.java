package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.JavaMigration;
import dev.gearshift.Problem;
import dev.gearshift.Remedy;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Migration.JavaCode;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.MigrationSet;
import dev.gearshift.internal.model.Module;
import dev.gearshift.internal.model.Script;
import dev.gearshift.spi.ScriptParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a migrations directory (one folder per module, {@code <version>_<name>.up.sql} and friends) and
 * the Java migrations registered through the API into a {@link MigrationSet}. Never stops at the first
 * fault: every problem is collected, so a user fixes them all in one go.
 */
public final class MigrationLoader {

    private static final Pattern JAVA_FILE = Pattern.compile("(\\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\\.java");
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private final ScriptReader reader;
    /** How the store's script files end ({@code .sql}, {@code .kv}): the scripts' names follow the store. */
    private final String ext;
    private final Pattern scriptFile;
    private final List<Problem> problems = new ArrayList<>();
    private final java.util.Set<String> unreadable = new java.util.HashSet<>();
    private final Map<Problem, String> owners = new java.util.HashMap<>();
    private final List<MigrationRoots.Root> roots;
    /** The layout named in the project, else found by looking at each root. */
    private final Optional<Layout> named;
    /** The module of a flat (golang-migrate) folder, as named in the project; else the folder's name. */
    private final Optional<String> flatModule;
    private Layout layout = Layout.GEARSHIFT;
    /** Whether the other tool's history table (golang-migrate's, Skygear's, Flyway's, Liquibase's) is kept current. */
    private boolean keepToolHistory;
    /** Liquibase's changelog as the project names it ({@code changelog:}), else found by looking. */
    private Optional<String> changelog = Optional.empty();
    private FlywayConf.Naming flyway = FlywayConf.Naming.DEFAULT;
    /** Sqitch's registry schema, as the project's sqitch.conf names it. */
    private String sqitchRegistry = SqitchRegistry.SCHEMA;
    /** The modules declared {@code versioning: major-patch}, read by their own layout. */
    private final java.util.Set<String> majorPatch;
    private final Map<String, Long> majors = new TreeMap<>();

    private MigrationLoader(ScriptParser parser, List<MigrationRoots.Root> roots, Optional<Layout> named,
                            Optional<String> flatModule, java.util.Set<String> majorPatch) {
        this.majorPatch = majorPatch;
        this.reader = new ScriptReader(parser);
        this.ext = "." + parser.extension();
        this.scriptFile = Pattern.compile("(\\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\\.(up|down|verify)"
                + Pattern.quote(ext));
        this.roots = roots;
        this.named = named;
        this.flatModule = flatModule;
    }

    /** golang-migrate's rule ({@code ^([0-9]+)_(.*)\\.(down|up)\\.(.*)$}) for this store's extension. */
    private Pattern looseFile() {
        return Pattern.compile("(\\d+)_(.+)\\.(up|down)" + Pattern.quote(ext));
    }

    /**
     * How a file is named in messages and history: under its root's shown name when the root has one (a git
     * checkout, a classpath location), else as the directory was given, without the {@code ./} segments a project
     * path such as {@code -C .} brings in.
     */
    private String shown(Path path) {
        for (MigrationRoots.Root root : roots) {
            // Two jars' paths look alike: only a path of the root's own file system is under it.
            if (root.shown().isPresent() && path.getFileSystem() == root.directory().getFileSystem()
                    && path.startsWith(root.directory())) {
                String relative = root.directory().relativize(path).toString().replace('\\', '/');
                return relative.isEmpty() ? root.shown().get() : root.shown().get() + "/" + relative;
            }
        }
        return path.normalize().toString();
    }

    /**
     * @param directory    the migrations directory, if any
     * @param declared     modules declared in gearshift.yaml, in their declared order, with dependencies
     * @param javaLists    module name to its registered, ordered Java migrations
     */
    public static MigrationSet load(Optional<Path> directory, Map<String, List<String>> declared,
                                    Map<String, List<JavaMigration>> javaLists, ScriptParser parser) {
        return load(directory.map(MigrationRoots::directory).orElse(MigrationRoots.none()), declared, javaLists,
                parser);
    }

    /**
     * Reads every root of {@code sources} (each a directory of module folders), and the Java lists; a module found
     * in two roots, as two jars on a class path may bring, is a problem.
     */
    public static MigrationSet load(MigrationRoots sources, Map<String, List<String>> declared,
                                    Map<String, List<JavaMigration>> javaLists, ScriptParser parser) {
        return load(sources, declared, javaLists, parser, Optional.empty(), Optional.empty());
    }

    /**
     * As above, in another tool's layout when {@code layout} names one (else found by looking: a flat folder of
     * {@code <version>_<name>.up.sql} is golang-migrate's), {@code flatModule} naming the one module of a flat folder.
     */
    public static MigrationSet load(MigrationRoots sources, Map<String, List<String>> declared,
                                    Map<String, List<JavaMigration>> javaLists, ScriptParser parser,
                                    Optional<Layout> layout, Optional<String> flatModule) {
        return load(sources, declared, javaLists, parser, layout, flatModule, false);
    }

    /**
     * As above; {@code keepToolHistory}: in golang-migrate's and Skygear's layouts, each migration also sets that
     * tool's version table ({@code schema_migrations}, {@code _<module>_version}) to the version it reaches, in its
     * own transaction, so that the team can switch back and migrations that touch that table keep working; in
     * Flyway's it writes {@code flyway_schema_history} as Flyway would ({@link FlywayHistory}), in Liquibase's its
     * changeset's DATABASECHANGELOG row ({@link LiquibaseHistory}), in Sqitch's it records each change in (and
     * removes it from) Sqitch's registry as Sqitch does ({@link SqitchRegistry}).
     */
    public static MigrationSet load(MigrationRoots sources, Map<String, List<String>> declared,
                                    Map<String, List<JavaMigration>> javaLists, ScriptParser parser,
                                    Optional<Layout> layout, Optional<String> flatModule, boolean keepToolHistory) {
        return load(sources, declared, javaLists, parser, layout, flatModule, keepToolHistory, java.util.Set.of(),
                Map.of());
    }

    /**
     * As above; {@code majorPatch}: the modules declared {@code versioning: major-patch}, read by their own layout
     * ({@code v<major>/base.sql}, {@code v<major>/patches/<patch>_<tag>.up.sql}), {@code majorTables} the tables
     * some of them record their major in ({@code major_table}).
     */
    public static MigrationSet load(MigrationRoots sources, Map<String, List<String>> declared,
                                    Map<String, List<JavaMigration>> javaLists, ScriptParser parser,
                                    Optional<Layout> layout, Optional<String> flatModule, boolean keepToolHistory,
                                    java.util.Set<String> majorPatch, Map<String, String> majorTables) {
        return load(sources, declared, javaLists, parser, layout, flatModule, keepToolHistory, majorPatch,
                majorTables, Optional.empty());
    }

    /**
     * As above; {@code changelog}: Liquibase's master changelog (or formatted SQL file), relative to the directory,
     * for a project whose changelog has a name of its own ({@code changelog:} in gearshift.yaml).
     */
    public static MigrationSet load(MigrationRoots sources, Map<String, List<String>> declared,
                                    Map<String, List<JavaMigration>> javaLists, ScriptParser parser,
                                    Optional<Layout> layout, Optional<String> flatModule, boolean keepToolHistory,
                                    java.util.Set<String> majorPatch, Map<String, String> majorTables,
                                    Optional<String> changelog) {
        return load(sources, declared, javaLists, parser, layout, flatModule, keepToolHistory, majorPatch,
                majorTables, changelog, FlywayConf.Naming.DEFAULT);
    }

    /** As above; {@code flyway}: Flyway's table and script names as a flyway.conf sets them. */
    public static MigrationSet load(MigrationRoots sources, Map<String, List<String>> declared,
                                    Map<String, List<JavaMigration>> javaLists, ScriptParser parser,
                                    Optional<Layout> layout, Optional<String> flatModule, boolean keepToolHistory,
                                    java.util.Set<String> majorPatch, Map<String, String> majorTables,
                                    Optional<String> changelog, FlywayConf.Naming flyway) {
        MigrationLoader loader = new MigrationLoader(parser, sources.roots(), layout, flatModule, majorPatch);
        loader.keepToolHistory = keepToolHistory;
        loader.changelog = changelog;
        loader.flyway = flyway;
        MigrationSet set = loader.loadAll(declared, javaLists);
        return new MigrationSet(set.modules(), set.problems(), set.unreadable(), set.owners(), set.majors(),
                majorTables, flyway.table(), set.sqitchRegistry());
    }

    private MigrationSet loadAll(Map<String, List<String>> declared, Map<String, List<JavaMigration>> javaLists) {
        Map<String, List<Migration>> byModule = new TreeMap<>();
        boolean flywaySet = named.equals(Optional.of(Layout.FLYWAY)) && roots.size() > 1 && changelog.isEmpty();
        if (flywaySet) {
            // Flyway scans all its locations (several in flyway.conf, or one in several jars) as one migration set
            List<Path> dirs = roots.stream().map(MigrationRoots.Root::directory).toList();
            dirs.forEach(MigrationLoader::requireDirectory);
            layout = Layout.FLYWAY;
            byModule.putAll(new FlywayLayout(this, dirs).read());
        }
        for (MigrationRoots.Root root : flywaySet ? List.<MigrationRoots.Root>of() : roots) {
            readDirectory(root.directory()).forEach((module, migrations) -> {
                if (byModule.putIfAbsent(module, migrations) != null) {
                    problems.add(new Problem(Problem.DUPLICATE_VERSION, shown(root.directory().resolve(module)),
                            "module '" + module + "' is found in more than one place (jars, directories or locations);"
                                    + " keep each module in one jar or directory"));
                }
            });
        }
        javaLists.forEach((module, list) -> {
            if (byModule.containsKey(module) && !byModule.get(module).isEmpty()) {
                problems.add(new Problem(Problem.DUPLICATE_VERSION, module,
                        "module '" + module + "' has both a migrations folder and a registered Java list;"
                                + " give the Java list a module of its own"));
                return;
            }
            byModule.put(module, fromJavaList(module, list));
        });
        Map<String, List<String>> requires = new LinkedHashMap<>(declared);
        byModule.keySet().forEach(module -> requires.putIfAbsent(module, List.of()));
        List<Module> modules = new ArrayList<>();
        for (String name : ModuleOrder.sort(requires, problems)) {
            modules.add(new Module(name, requires.get(name), byModule.getOrDefault(name, List.of())));
        }
        return new MigrationSet(modules, problems, unreadable, owners, majors, Map.of(), flyway.table(),
                sqitchRegistry);
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new GearshiftException(ErrorCode.USAGE, "migrations directory " + dir
                    + " does not exist; create it with `gearshift init`, or give the directory the migrations are in",
                    Remedy.MIGRATIONS);
        }
    }

    private Map<String, List<Migration>> readDirectory(Path dir) {
        requireDirectory(dir);
        if (changelog.isPresent()) {
            if (named.isPresent() && named.get() != Layout.LIQUIBASE) {
                throw new GearshiftException(ErrorCode.USAGE, "changelog: names Liquibase's master changelog, and the"
                        + " layout is " + named.get().text() + "; remove one of them");
            }
            if (!Files.isRegularFile(dir.resolve(changelog.get()))) {
                throw new GearshiftException(ErrorCode.USAGE, "changelog: " + changelog.get() + " is not a file in "
                        + shown(dir) + ": name Liquibase's master changelog relative to the migrations directory");
            }
        }
        layout = changelog.isPresent() ? Layout.LIQUIBASE
                : named.orElseGet(() -> Files.isRegularFile(dir.resolve(SqitchLayout.PLAN)) ? Layout.SQITCH
                : looksLiquibase(dir) ? Layout.LIQUIBASE : looksFlyway(dir) ? Layout.FLYWAY
                : looksFlat(dir) ? Layout.GOLANG_MIGRATE : Layout.GEARSHIFT);
        if (layout == Layout.SQITCH) {
            return new SqitchLayout(this, dir).read();
        }
        if (layout == Layout.LIQUIBASE) {
            Optional<LiquibaseChangelogLayout> master = LiquibaseChangelogLayout.of(this, dir, changelog);
            if (master.isPresent()) {
                return master.get().read();
            }
            return new LiquibaseSqlLayout(this, dir, reader, changelog).read();
        }
        if (layout == Layout.GOLANG_MIGRATE) {
            return readFlat(dir);
        }
        if (layout == Layout.FLYWAY) {
            return new FlywayLayout(this, List.of(dir)).read();
        }
        Map<String, List<Migration>> modules = new TreeMap<>();
        for (Path entry : list(dir)) {
            String fileName = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                if (!MODULE_NAME.matcher(fileName).matches()) {
                    problems.add(new Problem(Problem.BAD_FILE_NAME, shown(entry),
                            "module folder names use letters, digits, '_' and '-'"));
                    continue;
                }
                int before = problems.size();
                modules.put(fileName, majorPatch.contains(fileName) ? readMajorPatchModule(fileName, entry)
                        : readModule(fileName, entry));
                problems.subList(before, problems.size()).forEach(problem -> owners.put(problem, fileName));
            } else if (fileName.endsWith(ext) || fileName.endsWith(".java")) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(entry), layout == Layout.GEARSHIFT
                        && named.isEmpty() ? "this directory mixes layouts: module folders (Gearshift's layout) and"
                        + " scripts beside them (golang-migrate's flat folder); move it to "
                        + shown(dir.resolve("<module>").resolve(fileName)) + ", or the module folders out"
                        : "the " + layout.text() + " layout keeps migrations in one folder per module; move it to "
                        + shown(dir.resolve("<module>").resolve(fileName))));
            }
        }
        return modules;
    }

    /**
     * Liquibase: a .sql file directly in the folder starting --liquibase formatted sql, or a master changelog
     * (db.changelog-master.xml, .yaml) read by gearshift-liquibase.
     */
    private static boolean looksLiquibase(Path dir) {
        return LiquibaseChangelogLayout.master(dir).isPresent()
                || list(dir).stream().anyMatch(LiquibaseSqlLayout::isFormattedSql);
    }

    /** Flyway's folder: scripts named V1__x.sql or R__x.sql directly in it, and nothing named as Gearshift's. */
    private boolean looksFlyway(Path dir) {
        List<Path> entries = list(dir);
        return entries.stream().anyMatch(p -> !Files.isDirectory(p)
                && FlywayLayout.looksLikeFlyway(p.getFileName().toString()))
                && entries.stream().noneMatch(p -> !Files.isDirectory(p)
                && looseFile().matcher(p.getFileName().toString()).matches());
    }

    /** The module of a flat folder: named in the project, else after the folder. */
    String flatModuleOf(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return flatModule.orElse(name != null && MODULE_NAME.matcher(name.toString()).matches()
                ? name.toString() : "main");
    }

    /** Whether the other tool's history table is kept up to date by each migration ({@code keep_tool_history}). */
    FlywayConf.Naming flyway() {
        return flyway;
    }

    void sqitchRegistry(String registry) {
        this.sqitchRegistry = registry;
    }

    boolean keepsToolHistory() {
        return keepToolHistory;
    }

    Optional<String> flatModule() {
        return flatModule;
    }

    List<Problem> problems() {
        return problems;
    }

    Map<Problem, String> owners() {
        return owners;
    }

    java.util.Set<String> unreadable() {
        return unreadable;
    }

    String shownPath(Path path) {
        return shown(path);
    }

    Optional<Script> readScript(Path file, List<Problem> into) {
        return script(file, into);
    }

    static List<Path> entries(Path dir) {
        return list(dir);
    }

    static byte[] bytesOf(Path file) {
        return readBytes(file);
    }

    /** A flat folder is golang-migrate's when it holds scripts and no module folder does. */
    private boolean looksFlat(Path dir) {
        List<Path> entries = list(dir);
        boolean scripts = entries.stream().anyMatch(p -> !Files.isDirectory(p)
                && looseFile().matcher(p.getFileName().toString()).matches());
        boolean folders = entries.stream().anyMatch(p -> Files.isDirectory(p) && !p.getFileName().toString()
                .startsWith(".") && holdsScripts(p));
        return scripts && !folders;
    }

    /** golang-migrate's one folder: one module, named by the project, else after the folder. */
    private Map<String, List<Migration>> readFlat(Path dir) {
        for (Path entry : list(dir)) {
            if (Files.isDirectory(entry) && !entry.getFileName().toString().startsWith(".") && holdsScripts(entry)) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(entry), "the golang-migrate layout is one flat"
                        + " folder; this folder of scripts inside it would be a module of Gearshift's layout: mixing"
                        + " them is refused; move its scripts up, or name the layout in gearshift.yaml"));
            }
        }
        String module = flatModuleOf(dir);
        int before = problems.size();
        List<Migration> migrations = readModule(module, dir);
        problems.subList(before, problems.size()).forEach(problem -> owners.put(problem, module));
        Map<String, List<Migration>> modules = new TreeMap<>();
        modules.put(module, migrations);
        return modules;
    }

    /** Files of one version, gathered before they become a migration. */
    private static final class VersionFiles {
        final Map<String, Path> sql = new TreeMap<>();
        final List<Path> all = new ArrayList<>();
        Path java;
        String name;
    }

    private List<Migration> readModule(String module, Path folder) {
        Map<Long, VersionFiles> versions = new TreeMap<>();
        for (Path file : list(folder)) {
            String fileName = file.getFileName().toString();
            String lower = fileName.toLowerCase(java.util.Locale.ROOT);
            boolean looksLikeMigration = lower.endsWith(ext) || lower.endsWith(".java");
            if (fileName.startsWith(".") || !looksLikeMigration && !(Files.isDirectory(file) && holdsScripts(file))) {
                continue;
            }
            if (Files.isDirectory(file) && layout == Layout.GOLANG_MIGRATE) {
                continue; // reported by readFlat
            }
            if (Files.isDirectory(file) || !(fileName.endsWith(ext) || fileName.endsWith(".java"))) {
                // Never skip silently what was surely meant to run: nested folders, upper-case extensions.
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(file), Files.isDirectory(file)
                        ? "folders inside a module are not read; put its migrations directly in " + shown(folder)
                        : "write the extension in lower case (" + ext + ", .java)"));
                continue;
            }
            Matcher sql = (layout.looseNames() ? looseFile() : scriptFile).matcher(fileName);
            Matcher java = JAVA_FILE.matcher(fileName);
            Matcher match = sql.matches() ? sql : java.matches() ? java : null;
            if (match == null && layout.looseNames()) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(file), FlywayLayout.looksLikeFlyway(fileName)
                        ? "a Flyway script in a " + layout.text() + " folder: mixing layouts is refused; rename it"
                        + " <version>_<name>.up" + ext + ", or keep the Flyway scripts in a folder of their own"
                        : "expected <version>_<name>.up" + ext
                        + " or .down" + ext + " as golang-migrate names them, e.g. 0110_2.8.0_schema.up" + ext));
                continue;
            }
            if (match == null) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(file),
                        "expected <version>_<name>.up" + ext + ", .down" + ext + ", .verify" + ext + " or .java,"
                                + " e.g. 3_add_orders.up" + ext + " (version: a positive integer; name: letters, digits, _ and -)"));
                continue;
            }
            long version;
            try {
                version = Long.parseLong(match.group(1));
            } catch (NumberFormatException e) {
                version = 0;
            }
            if (version <= 0) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(file),
                        "the version must be a positive integer below 2^63, got '" + match.group(1) + "'"));
                continue;
            }
            VersionFiles files = versions.computeIfAbsent(version, v -> new VersionFiles());
            files.all.add(file);
            String name = match.group(2);
            if (files.name != null && !files.name.equals(name)) {
                continue; // reported below as a duplicate version
            }
            files.name = name;
            if (match == sql) {
                if (files.sql.putIfAbsent(sql.group(3), file) != null) {
                    continue;
                }
            } else {
                files.java = file;
            }
        }
        List<Migration> migrations = new ArrayList<>();
        versions.forEach((version, files) -> toMigration(module, version, files).ifPresentOrElse(migrations::add,
                () -> unreadable.add(module + "/" + version)));
        if (keepToolHistory && layout.looseNames()) {
            return ToolHistory.golangMigrate(migrations, layout == Layout.SKYGEAR ? "_" + module + "_version"
                    : "schema_migrations");
        }
        return migrations;
    }

    /** A major's folder of a major-patch module, {@code v<major>}; also how Lily names its schema packages. */
    static final Pattern MAJOR_FOLDER = Pattern.compile("v(\\d{1,9})");
    private static final Pattern BASE_FILE = Pattern.compile("base(\\.down)?\\.sql");

    /**
     * Lily's layout: {@code v<major>/base.sql} (optional {@code base.down.sql}) and
     * {@code v<major>/patches/<patch>_<tag>.up.sql} (optional {@code .down.sql}), patches numbered 1, 2, 3 without
     * a gap. The base becomes version {@code M} ({@code M.0}), a patch {@code M.P}, so that history, status and
     * targets ({@code up --to 0.30}) work as for dotted versions. Only the latest major's migrations are the
     * module's: an older major is history, and crossing majors is a manual data migration.
     */
    private List<Migration> readMajorPatchModule(String module, Path folder) {
        TreeMap<Long, Path> majorFolders = new TreeMap<>();
        for (Path entry : list(folder)) {
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith(".")) {
                continue;
            }
            Matcher major = MAJOR_FOLDER.matcher(fileName);
            if (Files.isDirectory(entry) && major.matches()) {
                majorFolders.put(Long.parseLong(major.group(1)), entry);
            } else {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(entry), "module '" + module
                        + "' is versioned major-patch: its files live in v<major>/base.sql and"
                        + " v<major>/patches/<patch>_<tag>.up.sql, not directly in the module folder"));
            }
        }
        if (majorFolders.isEmpty()) {
            return List.of();
        }
        List<Migration> latest = List.of();
        for (Map.Entry<Long, Path> major : majorFolders.entrySet()) {
            List<Migration> migrations = readMajor(module, major.getKey(), major.getValue());
            if (major.getKey().equals(majorFolders.lastKey())) {
                latest = migrations;
            }
        }
        majors.put(module, majorFolders.lastKey());
        return latest;
    }

    private List<Migration> readMajor(String module, long major, Path folder) {
        Path base = folder.resolve("base.sql");
        Path baseDown = folder.resolve("base.down.sql");
        for (Path entry : list(folder)) {
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith(".") || fileName.equals("patches") && Files.isDirectory(entry)
                    || BASE_FILE.matcher(fileName).matches()) {
                continue;
            }
            problems.add(new Problem(Problem.BAD_FILE_NAME, shown(entry), "a major's folder holds base.sql,"
                    + " base.down.sql and patches/<patch>_<tag>.up.sql; move it into " + shown(folder.resolve("patches"))
                    + " or remove it"));
        }
        if (!Files.isRegularFile(base)) {
            problems.add(new Problem(Problem.BAD_FILE_NAME, shown(folder), "major " + major + " of module '" + module
                    + "' has no base.sql: every major starts from a base script that creates its schema"));
            unreadable.add(module + "/" + Version.of(major));
        }
        VersionFiles baseFiles = new VersionFiles();
        baseFiles.name = "base";
        if (Files.isRegularFile(base)) {
            baseFiles.sql.put("up", base);
            baseFiles.all.add(base);
        }
        if (Files.isRegularFile(baseDown)) {
            baseFiles.sql.put("down", baseDown);
            baseFiles.all.add(baseDown);
        }
        List<Migration> migrations = new ArrayList<>();
        if (Files.isRegularFile(base)) {
            toMigration(module, new Version(List.of(major)), baseFiles).ifPresent(migrations::add);
        }
        Path patches = folder.resolve("patches");
        if (!Files.isDirectory(patches)) {
            return migrations;
        }
        Map<Long, VersionFiles> byPatch = new TreeMap<>();
        for (Path file : list(patches)) {
            String fileName = file.getFileName().toString();
            if (fileName.startsWith(".")) {
                continue;
            }
            Matcher match = scriptFile.matcher(fileName);
            if (Files.isDirectory(file) || !match.matches() || match.group(3).equals("verify")) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(file), "expected <patch>_<tag>.up.sql or"
                        + " <patch>_<tag>.down.sql, e.g. 1_add_reports.up.sql (patch: 1, 2, 3 without a gap)"));
                continue;
            }
            long patch = match.group(1).length() > 9 ? 0 : Long.parseLong(match.group(1));
            if (patch <= 0) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(file), "a patch number starts at 1 (the base"
                        + " is patch 0), got '" + match.group(1) + "'"));
                continue;
            }
            VersionFiles files = byPatch.computeIfAbsent(patch, p -> new VersionFiles());
            files.all.add(file);
            if (files.name == null) {
                files.name = match.group(2);
            }
            if (files.name.equals(match.group(2))) {
                files.sql.putIfAbsent(match.group(3), file);
            }
        }
        long expected = 1;
        for (Map.Entry<Long, VersionFiles> entry : byPatch.entrySet()) {
            if (entry.getKey() != expected) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown(entry.getValue().all.get(0)), "patch "
                        + entry.getKey() + " of major " + major + " skips patch " + expected + " (module '" + module
                        + "'): patches are numbered 1, 2, 3 without a gap"));
            }
            expected = entry.getKey() + 1;
            Version version = new Version(List.of(major, entry.getKey()));
            toMigration(module, version, entry.getValue()).ifPresentOrElse(migrations::add,
                    () -> unreadable.add(module + "/" + version));
        }
        return migrations;
    }

    private Optional<Migration> toMigration(String module, long version, VersionFiles files) {
        return toMigration(module, Version.of(version), files);
    }

    private Optional<Migration> toMigration(String module, Version version, VersionFiles files) {
        long distinctNames = files.all.stream().map(f -> f.getFileName().toString()
                .replaceFirst("(\\.(up|down|verify))?\\.[^.]+$", "")).distinct().count();
        if (distinctNames > 1 || (files.java != null && files.sql.containsKey("up"))) {
            problems.add(new Problem(Problem.DUPLICATE_VERSION, shown(files.all.get(0).getParent()),
                    "version " + version + " of module '" + module + "' is used by more than one migration: "
                            + files.all.stream().map(f -> f.getFileName().toString()).sorted().toList()
                            + "; give each migration its own version (`gearshift new " + module + " <name>` picks the next one)"));
            return Optional.empty();
        }
        if (files.java != null) {
            Optional<String> source = ScriptReader.decode(shown(files.java), readBytes(files.java), problems);
            return source.map(text -> new Migration(module, Optional.of(version), files.name, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(new JavaCode(shown(files.java), Optional.empty(), Optional.of(text))),
                    ScriptReader.checksum(text)));
        }
        Path upFile = files.sql.get("up");
        if (upFile == null) {
            problems.add(new Problem(Problem.BAD_FILE_NAME, shown(files.all.get(0)),
                    "there is no " + version + "_" + files.name + ".up" + ext + " for this script"));
            return Optional.empty();
        }
        Optional<Script> up = script(upFile, problems);
        if (up.isEmpty()) {
            return Optional.empty();
        }
        // What is wrong with a down or verify script stays with the migration: only down, verify and validate
        // need those scripts, so only they report it.
        List<Problem> downProblems = new ArrayList<>();
        List<Problem> verifyProblems = new ArrayList<>();
        Optional<Script> down = Optional.ofNullable(files.sql.get("down")).flatMap(f -> script(f, downProblems));
        Optional<Script> verify = Optional.ofNullable(files.sql.get("verify")).flatMap(f -> script(f, verifyProblems));
        return Optional.of(new Migration(module, Optional.of(version), files.name, up, down, verify, Optional.empty(),
                ScriptReader.checksum(up.get().text()), downProblems, verifyProblems));
    }

    private Optional<Script> script(Path file, List<Problem> into) {
        return reader.read(shown(file), readBytes(file), into, layout.unwrapsTransactions());
    }

    /**
     * Versioned entries take the versions they declare, or, when none declares one, their positions among the
     * versioned entries, from 1; repeatable entries have none.
     */
    private List<Migration> fromJavaList(String module, List<JavaMigration> list) {
        List<JavaMigration> versioned = list.stream().filter(m -> !m.repeatable()).toList();
        long declaring = versioned.stream().filter(m -> m.version().isPresent()).count();
        if (declaring > 0 && declaring < versioned.size()) {
            problems.add(new Problem(Problem.DUPLICATE_VERSION, module, "some Java migrations of module '" + module
                    + "' declare a version and some take their position; declare one for each, or for none"));
            return List.of();
        }
        List<Migration> migrations = new ArrayList<>();
        int position = 0;
        for (JavaMigration migration : list) {
            long next = migration.repeatable() ? position : ++position;
            Optional<Version> version = migration.repeatable() ? Optional.empty()
                    : migration.version().or(() -> Optional.of(Version.of(next)));
            String location = "java:" + migration.getClass().getName();
            migrations.add(new Migration(module, version, migration.name(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(new JavaCode(location, Optional.of(migration), Optional.empty())),
                    ScriptReader.checksum(migration.checksum())));
        }
        long distinct = migrations.stream().map(Migration::id).distinct().count();
        if (distinct < migrations.size()) {
            problems.add(new Problem(Problem.DUPLICATE_VERSION, module, "Java migrations of module '" + module
                    + "' share a version (or, repeatable ones, a name): " + migrations.stream().map(Migration::id).toList()));
            return List.of();
        }
        return migrations.stream().sorted(Migration.ORDER).toList();
    }

    private boolean holdsScripts(Path folder) {
        return list(folder).stream().map(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT))
                .anyMatch(name -> name.endsWith(ext) || name.endsWith(".java"));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
