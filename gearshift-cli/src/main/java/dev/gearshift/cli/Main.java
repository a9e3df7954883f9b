package dev.gearshift.cli;

import dev.gearshift.Durations;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.ProjectDefaults;
import dev.gearshift.Secrets;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * {@code gearshift [global options] <command> [options]}. Global options are accepted before or after
 * the command. Precedence: flags, then environment variables, then gearshift.yaml.
 */
@Command(name = "gearshift", versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Schema migrations in modules, for one database or a fleet.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a migration or verify script failed", "2:invalid input: usage, sources,"
                + " history (nothing was changed); status found problems", "3:locked: another migrator, or running application"
                + " instances; or the run lost its lock", "4:cannot connect to the database, or lost the connection",
                "70:internal error"})
public final class Main {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit")
    boolean help;

    /*
     * -v as Flyway's: the tool's version (golang-migrate spells it -version). Gearshift has no verbose mode for -v
     * to mean, and a -v that printed nothing useful would be a worse surprise than a version line.
     */
    @Option(names = {"-V", "-v", "--version"}, versionHelp = true,
            description = "Print Gearshift's version and exit (the database's versions: status)")
    boolean version;

    @Option(names = "--url", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_URL}",
            description = "Database: jdbc:postgresql://... or postgres://user:pass@host:port/db. Env: GEARSHIFT_URL."
                    + " None: an embedded PostgreSQL under <project>/.gearshift")
    String url;

    @Option(names = "--user", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_USER}",
            description = "Database user. Env: GEARSHIFT_USER")
    String user;

    @Option(names = "--password", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_PASSWORD}",
            description = "Database password. Env: GEARSHIFT_PASSWORD")
    String password;

    @Option(names = "--schema", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_SCHEMA}",
            description = "Target schema (history table and search_path). Env: GEARSHIFT_SCHEMA")
    String schema;

    @Option(names = "--create-schema", scope = ScopeType.INHERIT, description = "Create the schema if missing")
    Boolean createSchema;

    @Option(names = {"-C", "--project"}, scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_PROJECT}",
            description = "Project directory holding gearshift.yaml (default: the current directory)")
    Path project;

    @Option(names = "--dir", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_DIR}",
            description = "Migrations directory (default: <project>/migrations, or what gearshift.yaml says)")
    Path dir;

    @Option(names = "--git-rev", scope = ScopeType.INHERIT, paramLabel = "REVISION",
            description = "Read the migrations as they are at this git commit, tag or branch, not from the work tree")
    String gitRevision;

    @Option(names = "--git", scope = ScopeType.INHERIT, paramLabel = "URL#REF:PATH",
            description = "Read the migrations from a git repository at a branch, tag or commit (cloned into"
                    + " ~/.cache/gearshift/git, fetched again only when the revision moved; credentials from"
                    + " GEARSHIFT_GIT_USER and GEARSHIFT_GIT_PASSWORD)")
    String git;

    @Option(names = "--history-table", scope = ScopeType.INHERIT, description = "History table name"
            + " (default gearshift_history)")
    String historyTable;

    @Option(names = "--migrator-wait", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_MIGRATOR_WAIT}",
            description = "How long to wait for another migrator of the schema (default 60s). Env: GEARSHIFT_MIGRATOR_WAIT")
    String migratorWait;

    @Option(names = "--lock-timeout", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_LOCK_TIMEOUT}",
            description = "Deprecated name of --migrator-wait")
    String lockTimeout;

    @Option(names = "--ddl-lock-timeout", scope = ScopeType.INHERIT, defaultValue = "${env:GEARSHIFT_DDL_LOCK_TIMEOUT}",
            description = "How long a statement waits for a table lock before its migration is rolled back and"
                    + " retried (default 5s; 0: no limit; --set lock_timeout=... wins)")
    String ddlLockTimeout;

    @Option(names = "--ddl-lock-retries", scope = ScopeType.INHERIT,
            defaultValue = "${env:GEARSHIFT_DDL_LOCK_RETRIES}",
            description = "How many times such a migration runs again, with backoff (default 3; never for"
                    + " no-transaction migrations)")
    Integer ddlLockRetries;

    @Option(names = "--wait-for-guards", scope = ScopeType.INHERIT,
            description = "Wait for running application instances to release their guards instead of refusing")
    boolean waitForGuards;

    @Option(names = "--set", scope = ScopeType.INHERIT, paramLabel = "SETTING=VALUE",
            description = "Session setting for every migration, e.g. --set lock_timeout=5s --set statement_timeout=10min")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--placeholder", scope = ScopeType.INHERIT, paramLabel = "NAME=VALUE",
            description = "Replaces $${NAME} in scripts")
    Map<String, String> placeholders = new LinkedHashMap<>();

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine-readable output on stdout")
    boolean json;

    final PrintStream out;
    final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Main main = new Main(out, err);
        CommandLine commandLine = commandLine(main, args);
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> main.report(e));
        commandLine.setParameterExceptionHandler((parsed, args1) -> {
            CommandLine.ParameterException e = Secrets.holdsPassword(args) ? withoutPasswords(args, parsed) : parsed;
            String message = UsageErrors.message(e);
            if (main.json || java.util.Arrays.asList(args1).contains("--json")) {
                // --json promises JSON for every error, usage errors included, even when parsing stopped before it
                main.json = true;
                return main.report(new GearshiftException(ErrorCode.USAGE, message));
            }
            err.println(forPeople("error: " + message));
            if (!UsageErrors.isOtherToolsCommand(e)) {
                CommandLine.UnmatchedArgumentException.printSuggestions(e, new java.io.PrintWriter(err, true));
            }
            err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.of(ErrorCode.USAGE);
        });
        return commandLine.execute(args);
    }

    private static CommandLine commandLine(Main main, String[] args) {
        CommandLine commandLine = new CommandLine(main);
        for (Class<?> subcommand : subcommandsFor(commandLine.getCommandSpec(), args)) {
            commandLine.addSubcommand(subcommand);
        }
        return commandLine;
    }

    /**
     * The same usage error, found again in the command line with its password values masked: picocli quotes the
     * arguments it could not match, and a misspelt --passwrd leaves its value unmatched.
     */
    private static CommandLine.ParameterException withoutPasswords(String[] args, CommandLine.ParameterException e) {
        String[] masked = Secrets.maskArguments(args);
        try {
            commandLine(new Main(new PrintStream(PrintStream.nullOutputStream()),
                    new PrintStream(PrintStream.nullOutputStream())), masked).parseArgs(masked);
        } catch (CommandLine.ParameterException again) {
            return again;
        }
        // masking changed what was wrong: say what picocli said, without a single argument
        return new CommandLine.ParameterException(e.getCommandLine(), "invalid command line");
    }

    /**
     * Text for people, and the one way it reaches them: passwords of URLs masked, control characters escaped
     * (names come from tenants files and databases, and must not drive the terminal).
     */
    static String forPeople(String text) {
        return Terminal.escape(Secrets.mask(text));
    }

    /** A JSON document, and the one way it reaches stdout: passwords of URLs masked (JSON escapes the rest). */
    static String forMachines(String json) {
        return Secrets.mask(json);
    }

    /**
     * The subcommands to register for these arguments. Building picocli's model of a command costs reflection over
     * all its options, and a process runs one command: so only the command the arguments name is built. Everything
     * is registered whenever picocli may need the whole tree: usage help, and any argument it will not recognise
     * (its error suggests similar command names), and {@code help}, which names another command. Nothing is
     * registered for a bare --version.
     */
    static Collection<Class<?>> subcommandsFor(CommandSpec main, String[] args) {
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            Class<?> named = SUBCOMMANDS.getOrDefault(args[i], ALIASES.get(args[i]));
            if (named == CommandLine.HelpCommand.class) {
                return SUBCOMMANDS.values();
            }
            if (named != null) {
                return List.of(named);
            }
            int equals = args[i].indexOf('=');
            OptionSpec option = args[i].startsWith("-") ? main.findOption(equals < 0 ? args[i]
                    : args[i].substring(0, equals)) : null;
            if (option == null || option.usageHelp()) {
                return SUBCOMMANDS.values();
            }
            version |= option.versionHelp();
            if (equals < 0 && option.arity().min() > 0) {
                i++; // the option's value, which may be spelled like a command
            }
        }
        return version ? List.of() : SUBCOMMANDS.values();
    }

    private int report(Exception e) {
        GearshiftException error = e instanceof GearshiftException g ? g
                : new GearshiftException(ErrorCode.INTERNAL, "unexpected failure: " + e, e);
        if (json) {
            out.println(forMachines(Render.json(Render.error(error))));
        } else {
            err.println(forPeople("error: " + Flags.message(error)));
        }
        return ExitCodes.of(error.code());
    }

    Path projectRoot() {
        return project != null ? project : Path.of(".");
    }

    /** A configured Gearshift on the target; the embedded database when no URL is given anywhere. */
    Session open() {
        Path root = projectRoot();
        Path projectFile = root.resolve("gearshift.yaml");
        Gearshift.Builder builder = Gearshift.configure();
        boolean hasProjectFile = Files.isRegularFile(projectFile);
        // without a gearshift.yaml the directory is the project still: its migrations/, or a flyway.conf
        builder.project(hasProjectFile ? projectFile : root);
        builder.migrations(dir);
        EmbeddedDatabase embedded = null;
        if (url != null) {
            builder.url(url);
        } else if (ProjectDefaults.read(root).url().isEmpty()) {
            embedded = EmbeddedDatabase.start(root, err);
            builder.url(embedded.jdbcUrl());
        }
        if (user != null) {
            builder.user(user);
        }
        if (password != null) {
            builder.password(password);
        }
        if (schema != null) {
            builder.schema(schema);
        }
        if (createSchema != null) {
            builder.createSchema(createSchema);
        }
        if (historyTable != null) {
            builder.historyTable(historyTable);
        }
        if (gitRevision != null) {
            builder.gitRevision(gitRevision);
        }
        if (git != null) {
            builder.git(git, null);
        }
        if (lockTimeout != null && migratorWait != null) {
            throw new GearshiftException(ErrorCode.USAGE, "--lock-timeout is the deprecated name of --migrator-wait:"
                    + " give --migrator-wait only");
        }
        if (lockTimeout != null) {
            builder.migratorWait(Durations.parse(lockTimeout, "--lock-timeout"));
            // --json keeps stderr for nothing but failures that stop before JSON can be written
            if (!json) {
                err.println("warning: --lock-timeout (GEARSHIFT_LOCK_TIMEOUT) is deprecated: it is the wait for"
                        + " another migrator, now --migrator-wait (--ddl-lock-timeout is the wait for table locks)");
            }
        }
        if (migratorWait != null) {
            builder.migratorWait(Durations.parse(migratorWait, "--migrator-wait"));
        }
        if (ddlLockTimeout != null) {
            builder.ddlLockTimeout(Durations.parse(ddlLockTimeout, "--ddl-lock-timeout"));
        }
        if (ddlLockRetries != null) {
            if (ddlLockRetries < 0) {
                throw new GearshiftException(ErrorCode.USAGE, "--ddl-lock-retries: must be 0 or more, not "
                        + ddlLockRetries);
            }
            builder.ddlLockRetries(ddlLockRetries);
        }
        if (!json) {
            builder.deprecations().forEach(note -> err.println("warning: " + note));
        }
        builder.waitForGuards(waitForGuards);
        settings.forEach(builder::setting);
        placeholders.forEach(builder::placeholder);
        return new Session(builder, embedded);
    }

    /**
     * The project for a fleet: sources and options once, for every tenant. {@code anyTenantUrl} only picks the
     * kind of store its scripts are parsed for; each tenant brings its own database.
     */
    Session openProject(String anyTenantUrl) {
        String saved = url;
        url = anyTenantUrl;
        try {
            return open();
        } finally {
            url = saved;
        }
    }

    /** A builder to finish, and the embedded database to stop afterwards. */
    record Session(Gearshift.Builder builder, EmbeddedDatabase embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * Every subcommand by its @Command name (spelled out here: reading the annotations would load every command
     * class), in the order usage help lists them.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = inOrder(List.of(
            Map.entry("init", Commands.Init.class),
            Map.entry("new", Commands.New.class),
            Map.entry("status", Commands.StatusCommand.class),
            Map.entry("up", Commands.Up.class),
            Map.entry("down", Commands.Down.class),
            Map.entry("plan", Commands.PlanCommand.class),
            Map.entry("validate", Commands.Validate.class),
            Map.entry("verify", Commands.Verify.class),
            Map.entry("baseline", Commands.Baseline.class),
            Map.entry("repair", Commands.Repair.class),
            Map.entry("history", Commands.History.class),
            Map.entry("import", ImportCommand.class),
            Map.entry("diff", DiffCommands.Diff.class),
            Map.entry("drift", DiffCommands.Drift.class),
            Map.entry("lint", LintCommand.class),
            Map.entry("fleet", FleetCommands.class),
            Map.entry("kv", KvCommands.class),
            Map.entry("serve", ServeCommand.class),
            Map.entry("version", Commands.VersionCommand.class),
            Map.entry("help", CommandLine.HelpCommand.class)));

    /** Every alias of a subcommand, by the same rule: the other tools' names for Gearshift's commands. */
    static final Map<String, Class<?>> ALIASES = Map.of(
            "migrate", Commands.Up.class,
            "info", Commands.StatusCommand.class);

    private static Map<String, Class<?>> inOrder(List<Map.Entry<String, Class<?>>> entries) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> entry : entries) {
            byName.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gearshift " + Gearshift.version()};
        }
    }
}
