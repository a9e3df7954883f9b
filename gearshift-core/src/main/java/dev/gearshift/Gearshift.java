package dev.gearshift;

import dev.gearshift.internal.engine.Engine;
import dev.gearshift.internal.engine.SchemaNames;
import dev.gearshift.internal.model.MigrationSet;
import dev.gearshift.internal.source.FlywayConf;
import dev.gearshift.internal.source.JavaFileCompiler;
import dev.gearshift.internal.source.MigrationLoader;
import dev.gearshift.internal.source.MigrationRoots;
import dev.gearshift.internal.source.ProjectFile;
import dev.gearshift.spi.StoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The entry point: one configured migrator for one target schema.
 *
 * <pre>{@code
 * Gearshift gs = Gearshift.configure()
 *     .url("postgres://app@db:5432/saas")
 *     .schema("tenant_0042")
 *     .migrations(Path.of("migrations"))
 *     .build();
 * Result result = gs.up(Target.latest());
 * }</pre>
 *
 * Instances are immutable and safe to share; every command opens its own connections and closes them.
 */
public final class Gearshift {

    /** How long a migration's statement waits for a table lock by default, before the migration is retried. */
    public static final Duration DDL_LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** How many times by default a migration that gave up waiting for a table lock runs again. */
    public static final int DDL_LOCK_RETRIES = 3;

    /** The default name of the history table. */
    public static final String HISTORY_TABLE = "gearshift_history";

    private final Project project;
    private final Engine engine;
    private final String target;

    Gearshift(Project project, Engine engine, String target) {
        this.project = project;
        this.engine = engine;
        this.target = target;
    }

    public static Builder configure() {
        return new Builder();
    }

    /** The version of this Gearshift, as recorded in history rows. */
    public static String version() {
        try (InputStream in = Gearshift.class.getResourceAsStream("gearshift.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    /** The project this migrator runs: its sources and options, to run against other targets too. */
    public Project project() {
        return project;
    }

    /** The same, but {@code up} and {@code down} roll everything back at the end (or, with false, do not). */
    public Gearshift withDryRun(boolean dryRun) {
        return new Gearshift(project.withDryRun(dryRun), new Engine(engine.config().withDryRun(dryRun)), target);
    }

    /** The target as it may be printed (password masked). */
    public String target() {
        return target;
    }

    /** Per module: current version, applied, pending, changed and missing migrations; and all problems. */
    public Status status() {
        return engine.status();
    }

    /** Like {@link #status()}, but throws a {@code VALIDATION} error listing every problem, if any. */
    public Status validate() {
        return engine.validate();
    }

    /** What {@link #up(Target)} would run; touches nothing. */
    public Plan planUp(Target target) {
        return engine.plan(Direction.UP, target);
    }

    /** What {@link #down(Target)} would run; touches nothing. */
    public Plan planDown(Target target) {
        return engine.plan(Direction.DOWN, target);
    }

    public Result up() {
        return up(Target.latest());
    }

    public Result up(Target target) {
        return engine.migrate(Direction.UP, target);
    }

    /** Reverts applied migrations, most recently applied first. {@code Target.latest()} reverts one. */
    public Result down(Target target) {
        return engine.migrate(Direction.DOWN, target);
    }

    /** Runs the verify scripts of applied migrations, each in a transaction that is rolled back. */
    public Verification verify() {
        return engine.verify();
    }

    /**
     * Adopts a database that was built before Gearshift: records {@code version} as applied for every
     * module (or one), so only later migrations run.
     */
    public List<String> baseline(Optional<String> module, Version version) {
        return engine.baseline(module, version);
    }

    /**
     * Takes over the history another migration tool wrote in the target ({@code from}: {@code golang-migrate},
     * {@code skygear}): records what it applied as applied, running nothing, so that {@code up} runs only what
     * that tool still had pending. The other tool's table is left as it is. {@code dryRun}: record nothing.
     */
    public HistoryImport importHistory(String from, boolean dryRun) {
        return engine.importHistory(from, dryRun);
    }

    /** As {@link #baseline(Optional, Version)}, for an integer version. */
    public List<String> baseline(Optional<String> module, long version) {
        return baseline(module, Version.of(Math.max(0, version)));
    }

    /**
     * Clears migrations that failed outside a transaction, after a person fixed their partial work, and accepts
     * deliberate edits of applied migrations: their recorded checksums become their files' checksums.
     */
    public Repair repair() {
        return engine.repair(false);
    }

    /**
     * {@link #repair()}, and drops the invalid indexes a failed concurrent index build left in the schema, so
     * that the build can run again. Only when asked: an index being built right now by another session looks
     * invalid too.
     */
    public Repair repairDroppingInvalidIndexes() {
        return engine.repair(true);
    }

    /** Every history row of the target, oldest first. */
    public List<HistoryEntry> history() {
        return engine.history();
    }

    /**
     * Takes the shared lock an application instance holds while it runs: migrations of {@code schema}
     * refuse to start until every guard is closed. Keep it open for the life of the instance.
     */
    public static Guard guard(DataSource dataSource, String schema) {
        StoreProvider kind = Project.kindOf(dataSource);
        SchemaNames.check(kind, schema);
        return kind.open(StoreProvider.Endpoint.of(dataSource, "the configured DataSource", Optional.of(schema)),
                new StoreProvider.Options(HISTORY_TABLE, Map.of(), Duration.ZERO)).guard();
    }

    /**
     * A guard for an instance that runs major {@code major} of a major-patch schema (the Lily model): additive
     * patches of that major proceed while it is open, as they keep it working; a base, a new major, or any other
     * migration waits for it to close, as with {@link #guard(DataSource, String)}.
     */
    public static Guard guard(DataSource dataSource, String schema, long major) {
        StoreProvider kind = Project.kindOf(dataSource);
        SchemaNames.check(kind, schema);
        return kind.open(StoreProvider.Endpoint.of(dataSource, "the configured DataSource", Optional.of(schema)),
                new StoreProvider.Options(HISTORY_TABLE, Map.of(), Duration.ZERO)).guard(major);
    }

    /** Collects settings; explicit calls win over the project file, which wins over defaults. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private DataSource dataSource;
        private String schema;
        private Boolean createSchema;
        private String historyTable;
        private Path migrations;
        private List<String> locations = List.of();
        private ClassLoader classLoader;
        private Path project;
        private String gitRevision;
        private String layout;
        private String layoutModule;
        private String gitSource;
        private Path gitCache;
        private Duration migratorWait;
        private Duration ddlLockTimeout;
        private Integer ddlLockRetries;
        private boolean waitForGuards;
        private boolean dryRun;
        private boolean singleTransaction;
        private boolean outOfOrder;
        private boolean verifyAfterUp;
        private Path backup;
        private final Map<String, List<JavaMigration>> java = new LinkedHashMap<>();
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code jdbc:postgresql://...} or {@code postgres://user:pass@host:port/db?sslmode=...}. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** The target schema; the history table lives there too. Default: the connection's current schema. */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** Create the schema when it does not exist (instead of failing). */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        public Builder historyTable(String historyTable) {
            this.historyTable = historyTable;
            return this;
        }

        /** The migrations directory: one folder per module. */
        public Builder migrations(Path directory) {
            this.migrations = directory;
            this.locations = List.of();
            return this;
        }

        /**
         * Where the migrations are: {@code classpath:db/migrations} (read in place from the directories and jars of
         * the class path, one folder per module), or a directory's path.
         */
        public Builder migrations(String location) {
            return migrations(List.of(location));
        }

        /**
         * Several locations, each {@code classpath:...} or a directory, read as one: modules may come from any of
         * them, each module from one.
         */
        public Builder migrations(List<String> locations) {
            if (locations.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "no migrations location given", Remedy.MIGRATIONS);
            }
            this.locations = List.copyOf(locations);
            this.migrations = null;
            return this;
        }

        /** Where {@code classpath:} locations are looked up (default: the thread's context class loader). */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /**
         * Read the migrations from a remote git repository: {@code URL#REF:path} ({@code REF} a branch, tag or
         * commit), cloned into {@code cache} (null: {@code ~/.cache/gearshift/git}) and fetched again only when the
         * revision moved. Credentials come from GEARSHIFT_GIT_USER and GEARSHIFT_GIT_PASSWORD in the environment, else
         * from git's credential store ({@code ~/.git-credentials}, {@code ~/.config/git/credentials}).
         */
        public Builder git(String spec, Path cache) {
            this.gitSource = spec;
            this.gitCache = cache;
            return this;
        }

        /**
         * Read the migrations in another tool's layout ({@code golang-migrate}, {@code skygear}), as the project
         * file's {@code layout:} does; {@code module}, if not null, names the one module of a flat folder.
         */
        public Builder layout(String layout, String module) {
            this.layout = layout;
            this.layoutModule = module;
            return this;
        }

        /**
         * Read the migrations directory as it was at this git revision (a commit, tag or branch) instead of from
         * the work tree: what a deploy ran is exactly what was reviewed.
         */
        public Builder gitRevision(String revision) {
            this.gitRevision = revision;
            return this;
        }

        /** A {@code gearshift.yaml}, or a directory holding one: modules, placeholders and defaults. */
        public Builder project(Path fileOrDirectory) {
            this.project = fileOrDirectory;
            return this;
        }

        /** A module made of Java migrations; a migration's version is its position in the list, from 1. */
        public Builder java(String module, List<? extends JavaMigration> migrations) {
            this.java.put(module, List.copyOf(migrations));
            return this;
        }

        /** Replaces {@code ${name}} in scripts. */
        public Builder placeholder(String name, String value) {
            this.placeholders.put(name, value);
            return this;
        }

        /** A session setting for every migration of a run, e.g. {@code lock_timeout} = {@code 5s}. */
        public Builder setting(String name, String value) {
            this.settings.put(name, value);
            return this;
        }

        /** How long to wait for another migrator of the same schema to finish (default 60 s). */
        public Builder migratorWait(Duration migratorWait) {
            this.migratorWait = requireNonNegative(migratorWait, "the migrator wait");
            return this;
        }

        /**
         * How long to wait for another migrator to finish.
         *
         * @deprecated the name read like PostgreSQL's {@code lock_timeout}, a different wait: use
         *             {@link #migratorWait}, or {@link #ddlLockTimeout} for that one
         */
        @Deprecated
        public Builder lockTimeout(Duration lockTimeout) {
            return migratorWait(lockTimeout);
        }

        /**
         * How long a statement of a transactional migration waits for a table lock (PostgreSQL's
         * {@code lock_timeout}) before the migration is rolled back and run again, up to {@link #ddlLockRetries}
         * times (default 5 s; zero: wait as long as it takes). A DDL statement queued behind a long reader would
         * otherwise hold up every later query of the table. A {@code lock_timeout} given by {@link #setting} or a
         * script's directive wins; no-transaction migrations keep the server's own.
         */
        public Builder ddlLockTimeout(Duration ddlLockTimeout) {
            this.ddlLockTimeout = requireNonNegative(ddlLockTimeout, "the DDL lock timeout");
            return this;
        }

        /** How many times a migration that gave up waiting for a table lock is run again (default 3). */
        public Builder ddlLockRetries(int ddlLockRetries) {
            if (ddlLockRetries < 0) {
                throw new GearshiftException(ErrorCode.USAGE, "the DDL lock retries must be 0 or more, not "
                        + ddlLockRetries);
            }
            this.ddlLockRetries = ddlLockRetries;
            return this;
        }

        private static Duration requireNonNegative(Duration duration, String what) {
            if (duration == null || duration.isNegative()) {
                throw new GearshiftException(ErrorCode.USAGE, what + " must be zero or more, not " + duration);
            }
            return duration;
        }

        /** Settings of the project file that still work under an old name, each with the name to use instead. */
        public List<String> deprecations() {
            ProjectFile file = projectFile();
            return file.lockTimeout() == null ? List.of() : List.of(file.file() + ": lock_timeout is deprecated:"
                    + " it is the wait for another migrator, now called migrator_wait (ddl_lock_timeout is the"
                    + " wait for table locks)");
        }

        /** Wait (up to the lock timeout) for application instances' guards instead of refusing at once. */
        public Builder waitForGuards(boolean waitForGuards) {
            this.waitForGuards = waitForGuards;
            return this;
        }

        /** Run everything in one transaction and roll it back: see what would happen, change nothing. */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** All migrations of a run in one transaction: all or nothing. */
        public Builder singleTransaction(boolean singleTransaction) {
            this.singleTransaction = singleTransaction;
            return this;
        }

        /** Apply pending migrations with versions below the current one instead of refusing. */
        public Builder outOfOrder(boolean outOfOrder) {
            this.outOfOrder = outOfOrder;
            return this;
        }

        /** Run each migration's verify script right after it, in its transaction. */
        public Builder verifyAfterUp(boolean verifyAfterUp) {
            this.verifyAfterUp = verifyAfterUp;
            return this;
        }

        /**
         * Before a run changes anything, dump the target schema to this file (PostgreSQL: with pg_dump). If the
         * backup fails, nothing runs.
         */
        public Builder backup(Path file) {
            this.backup = file;
            return this;
        }

        /**
         * Reads the sources and checks the settings, for the target given here or in the project file; the
         * database is not contacted (except for a DataSource).
         */
        public Gearshift build() {
            ProjectFile projectFile = projectFile();
            String resolvedUrl = url != null ? url : projectFile.url();
            if (dataSource == null && resolvedUrl == null) {
                throw new GearshiftException(ErrorCode.USAGE, "no database given: give its URL (or url: in"
                        + " gearshift.yaml)", Remedy.URL);
            }
            StoreProvider kind = dataSource != null ? Project.kindOf(dataSource) : Project.kindOf(resolvedUrl);
            Project built = project(projectFile, kind);
            Optional<String> targetSchema = Optional.ofNullable(schema != null ? schema : projectFile.schema());
            return built.target(kind, dataSource != null
                    ? StoreProvider.Endpoint.of(dataSource, "the configured DataSource", targetSchema)
                    : StoreProvider.Endpoint.of(resolvedUrl, user != null ? user : projectFile.user(), password,
                            targetSchema));
        }

        /**
         * Reads the sources and checks the settings, without a target: {@link Project#target} gives it as many as
         * needed. The scripts are parsed for the kind of store of the URL given here or in the project file, else
         * for the one kind installed.
         */
        public Project buildProject() {
            ProjectFile projectFile = projectFile();
            String resolvedUrl = url != null ? url : projectFile.url();
            StoreProvider kind = dataSource != null ? Project.kindOf(dataSource)
                    : resolvedUrl != null ? Project.kindOf(resolvedUrl) : Project.onlyKind();
            return project(projectFile, kind);
        }

        private Project project(ProjectFile projectFile, StoreProvider kind) {
            Path root = projectFile.root();
            String fileLocation = projectFile.migrations();
            // a flyway.conf's several locations: directories relative to the project, as a single one is
            List<String> fileLocations = projectFile.locations().stream().map(l -> l.startsWith(MigrationRoots.CLASSPATH)
                    ? l : root.resolve(l).toString()).toList();
            List<String> listed = !locations.isEmpty() ? locations : migrations != null ? List.of()
                    : !fileLocations.isEmpty() ? fileLocations : fileLocation != null
                    && fileLocation.startsWith(MigrationRoots.CLASSPATH) ? List.of(fileLocation) : List.of();
            Path directory = !listed.isEmpty() ? null : migrations != null ? migrations
                    : fileLocation != null ? root.resolve(fileLocation)
                    : project != null ? root.resolve("migrations") : null;
            if (directory == null && listed.isEmpty() && java.isEmpty() && gitSource == null) {
                throw new GearshiftException(ErrorCode.USAGE, "no migrations configured: give a migrations directory"
                        + " or a project with a gearshift.yaml", Remedy.MIGRATIONS);
            }
            if (gitRevision != null && directory == null) {
                throw new GearshiftException(ErrorCode.USAGE, "a git revision needs a migrations directory");
            }
            Map<String, List<String>> declared = new LinkedHashMap<>();
            projectFile.modules().forEach((name, spec) -> declared.put(name, spec.requires()));
            java.util.Set<String> majorPatch = new java.util.HashSet<>();
            Map<String, String> majorTables = new LinkedHashMap<>();
            projectFile.modules().forEach((name, spec) -> {
                if (spec.majorPatch()) {
                    majorPatch.add(name);
                }
                if (spec.majorTable() != null) {
                    majorTables.put(name, spec.majorTable());
                }
            });
            Map<String, List<JavaMigration>> javaModules = new LinkedHashMap<>(java);
            String revision = gitRevision;
            Optional<dev.gearshift.internal.source.Layout> foreignLayout = dev.gearshift.internal.source.Layout
                    .parse(layout != null ? layout : projectFile.layout());
            ClassLoader resources = classLoader != null ? classLoader
                    : Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : Gearshift.class.getClassLoader();
            String remote = gitSource;
            Path cache = gitCache != null ? gitCache
                    : Path.of(System.getProperty("user.home"), ".cache", "gearshift", "git");
            java.util.function.Supplier<MigrationRoots> sources = remote != null
                    ? () -> MigrationRoots.gitRemote(remote, cache)
                    : !listed.isEmpty()
                    ? () -> MigrationRoots.of(listed, resources)
                    : revision != null ? () -> MigrationRoots.gitRevision(directory, revision)
                    : directory != null ? () -> MigrationRoots.directory(directory) : MigrationRoots::none;
            java.util.function.Function<StoreProvider, MigrationSet> loader = target -> {
                try (MigrationRoots roots = sources.get()) {
                    return MigrationLoader.load(roots, declared, javaModules, target.parser(), foreignLayout,
                            Optional.ofNullable(layoutModule != null ? layoutModule : projectFile.module()),
                            Boolean.TRUE.equals(projectFile.keepToolHistory()), majorPatch, majorTables,
                            Optional.ofNullable(projectFile.changelog()), projectFile.flyway());
                }
            };
            Map<String, String> allPlaceholders = new LinkedHashMap<>(projectFile.placeholders());
            allPlaceholders.putAll(placeholders);
            Map<String, String> allSettings = new LinkedHashMap<>(projectFile.settings());
            allSettings.putAll(settings);
            if (projectFile.lockTimeout() != null && projectFile.migratorWait() != null) {
                throw new GearshiftException(ErrorCode.USAGE, projectFile.file() + ": lock_timeout and migrator_wait"
                        + " are the same setting (lock_timeout is its deprecated name): keep migrator_wait only");
            }
            Duration wait = migratorWait != null ? migratorWait
                    : projectFile.migratorWait() != null ? Durations.parse(projectFile.migratorWait(), "migrator_wait")
                    : projectFile.lockTimeout() != null ? Durations.parse(projectFile.lockTimeout(), "lock_timeout")
                    : Duration.ofSeconds(60);
            Duration ddlWait = ddlLockTimeout != null ? ddlLockTimeout : projectFile.ddlLockTimeout() != null
                    ? Durations.parse(projectFile.ddlLockTimeout(), "ddl_lock_timeout") : DDL_LOCK_TIMEOUT;
            int retries = ddlLockRetries != null ? ddlLockRetries : projectFile.ddlLockRetries() != null
                    ? retries(projectFile.ddlLockRetries(), projectFile.file()) : DDL_LOCK_RETRIES;
            StoreProvider.Options options = new StoreProvider.Options(historyTable != null ? historyTable
                    : projectFile.historyTable() != null ? projectFile.historyTable() : HISTORY_TABLE,
                    allSettings, ddlWait);
            Project.Settings projectSettings = new Project.Settings(
                    createSchema != null ? createSchema : Boolean.TRUE.equals(projectFile.createSchema()),
                    allPlaceholders, options, wait, retries, waitForGuards, dryRun, singleTransaction, outOfOrder,
                    verifyAfterUp, Optional.ofNullable(backup), new JavaFileCompiler());
            return new Project(loader, kind, Optional.ofNullable(schema != null ? schema : projectFile.schema()),
                    projectSettings);
        }

        private static int retries(String text, Path file) {
            try {
                int retries = Integer.parseInt(text.strip());
                if (retries >= 0) {
                    return retries;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new GearshiftException(ErrorCode.USAGE, file + ": ddl_lock_retries: '" + text + "' is not a"
                    + " number of retries (0 or more)");
        }

        private ProjectFile projectFile() {
            if (project == null) {
                return ProjectFile.empty(Path.of(ProjectFile.FILE_NAME));
            }
            Path file = Files.isDirectory(project) ? project.resolve(ProjectFile.FILE_NAME) : project;
            if (!Files.exists(file)) {
                return Files.isDirectory(project) ? withFlyway(ProjectFile.empty(file)) : failMissing(file);
            }
            return withFlyway(ProjectFile.read(file));
        }

        /** A Flyway project's own configuration, next to gearshift.yaml or alone, read under it. */
        private static ProjectFile withFlyway(ProjectFile file) {
            return FlywayConf.find(file.root(), System.getenv()).map(file::over).orElse(file);
        }

        private static ProjectFile failMissing(Path file) {
            throw new GearshiftException(ErrorCode.USAGE, "project file " + file + " does not exist");
        }
    }
}
