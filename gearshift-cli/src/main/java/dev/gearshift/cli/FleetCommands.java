package dev.gearshift.cli;

import dev.gearshift.Counts;
import dev.gearshift.Durations;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.fleet.ControlStore;
import dev.gearshift.fleet.Fleet;
import dev.gearshift.fleet.FleetListener;
import dev.gearshift.fleet.FleetResult;
import dev.gearshift.fleet.FleetStatus;
import dev.gearshift.fleet.RunSummary;
import dev.gearshift.fleet.RunTenants;
import dev.gearshift.fleet.Tenant;
import dev.gearshift.fleet.TenantOutcome;
import dev.gearshift.fleet.TenantSelection;
import dev.gearshift.fleet.TenantSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gearshift fleet <status|up|down|verify|validate>}: one project over many tenants. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Migrate many tenant schemas and databases in one run",
        subcommands = {FleetCommands.StatusCommand.class, FleetCommands.Up.class, FleetCommands.Down.class,
                FleetCommands.Verify.class, FleetCommands.Validate.class, FleetCommands.Resume.class,
                FleetCommands.Worker.class, FleetCommands.Runs.class})
final class FleetCommands {

    @ParentCommand
    Main main;

    /**
     * Where the tenants come from and which of them to take, and how to reach them. Each command's options
     * class says whether the source is required.
     */
    abstract static class SelectionOptions {

        /** The source given on the command line; null when none was. */
        abstract Source source();

        static final class Source {
            @Option(names = "--schemas", paramLabel = "PATTERN",
                    description = "Every schema of --url whose name is LIKE PATTERN, e.g. 'tenant_%%'")
            String schemas;

            @Option(names = "--tenants-file", paramLabel = "FILE", description = "YAML or CSV: tenant, schema, url or database, attributes")
            Path file;

            @Option(names = "--tenants-query", paramLabel = "SQL",
                    description = "Query on --config-db returning tenant (or name), schema, url or database, attributes")
            String query;
        }

        @Option(names = "--config-db", paramLabel = "URL", description = "The configuration database --tenants-query runs on")
        String configDb;

        @Option(names = "--control-db", paramLabel = "URL",
                description = "Where runs are recorded (default: --config-db, else --url)")
        String controlDb;

        @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Only tenants whose attribute KEY is VALUE (repeatable; all must hold)")
        Map<String, String> filters = new LinkedHashMap<>();

        @Option(names = "--tenant", paramLabel = "NAME", description = "Only this tenant (repeatable)")
        List<String> names = List.of();

        @Option(names = "--host-override", paramLabel = "HOST[:PORT]", description = "Replace the host of every tenant URL")
        String hostOverride;

        // Field values as well as defaultValue: a group none of whose options is given is made by hand.
        @Option(names = "--parallel", defaultValue = "4", description = "Tenants migrated at once (default 4)")
        int parallel = 4;

        @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
                description = "How long to wait for a tenant database; one that does not answer by then is"
                        + " unreachable: its tenants fail, or show as unreachable in status (default 5s)")
        String connectTimeout = "5s";

        Duration connectTimeout() {
            return Durations.parse(connectTimeout, "--connect-timeout");
        }

        @Option(names = "--allow-empty", description = "Exit 0 when no tenant matches (default: exit 2)")
        boolean allowEmpty;

        /** The tenants these options choose; empty when they name no source. */
        Optional<RunTenants> given(Main main) {
            Source source = source();
            if (source == null) {
                if (!filters.isEmpty() || !names.isEmpty() || hostOverride != null) {
                    throw new GearshiftException(ErrorCode.USAGE, "--filter, --tenant and --host-override narrow a"
                            + " tenant source: give them with --schemas, --tenants-file or --tenants-query");
                }
                return Optional.empty();
            }
            TenantSource from;
            if (source.schemas != null) {
                from = TenantSource.schemasLike(requireUrl(main), source.schemas);
            } else if (source.file != null) {
                from = TenantSource.file(source.file, main.url);
            } else {
                if (configDb == null) {
                    throw new GearshiftException(ErrorCode.USAGE, "--tenants-query needs --config-db URL");
                }
                from = TenantSource.query(configDb, source.query, main.url);
            }
            return Optional.of(new RunTenants(from, new TenantSelection(filters, names,
                    Optional.ofNullable(hostOverride))));
        }

        /** The tenants {@code choice} takes now; none is an error unless --allow-empty. */
        List<Tenant> load(Main main, RunTenants choice) {
            List<Tenant> all = choice.source().list(main.user, main.password);
            List<Tenant> selected = choice.selection().apply(all);
            if (selected.isEmpty() && !allowEmpty) {
                throw new GearshiftException(ErrorCode.USAGE, "no tenants matched (" + all.size()
                        + " in the registry); pass --allow-empty if that is expected");
            }
            return selected;
        }

        /** The control database: explicit, else the config database, else the --url database; null: none. */
        String controlUrl(Main main) {
            String control = controlDb != null ? controlDb : configDb != null ? configDb : main.url;
            return control;
        }

        /** URLs the command line holds, passwords and all: a run's recorded (masked) URLs are found among them. */
        List<String> urls(Main main) {
            return java.util.stream.Stream.of(main.url, configDb, controlDb).filter(java.util.Objects::nonNull)
                    .toList();
        }

        private static String requireUrl(Main main) {
            if (main.url == null) {
                throw new GearshiftException(ErrorCode.USAGE, "--schemas lists the schemas of --url; give --url");
            }
            return main.url;
        }
    }

    /** For commands that start from a tenant source: one is required. */
    static final class TenantOptions extends SelectionOptions {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Override
        Source source() {
            return source;
        }

        RunTenants choice(Main main) {
            return given(main).orElseThrow();
        }
    }

    /** For commands that take a recorded run's tenants: a source given must be the run's. */
    static final class RecordedTenantOptions extends SelectionOptions {
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Source source;

        @Override
        Source source() {
            return source;
        }
    }

    abstract static class RunBase implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        FleetCommands fleet;

        @Option(names = "--canary", defaultValue = "0", description = "Migrate K tenants first; stop if any fails")
        int canary;

        @Option(names = "--max-failures", defaultValue = "1",
                description = "Start no new tenants after N failures (default 1)")
        int maxFailures;

        @Option(names = "--continue-on-error", description = "Go on whatever fails (same as --max-failures 0)")
        boolean continueOnError;

        @Option(names = "--lease", defaultValue = "60s", description = "How long a claim on a tenant lasts without"
                + " a heartbeat; a crashed worker's tenants are taken over after it (default 60s)")
        String lease;

        @Option(names = "--tenant-timeout", paramLabel = "DURATION",
                description = "Stop a tenant still running after this (e.g. 10min) and count it as failed")
        String tenantTimeout;

        abstract FleetResult run(Fleet fleet);

        abstract SelectionOptions tenants();

        /** How this run's tenants are chosen. */
        abstract RunTenants choice(Main main);

        boolean dryRun() {
            return false;
        }

        /** Options of this command that shape how each tenant is migrated. */
        Gearshift.Builder perTenant(Gearshift.Builder builder) {
            return builder;
        }

        @Override
        public Integer call() {
            Main main = fleet.main;
            SelectionOptions tenants = tenants();
            RunTenants choice = choice(main);
            List<Tenant> selected = tenants.load(main, choice);
            if (selected.isEmpty()) {
                main.err.println("No tenants matched: nothing to do");
                return 0;
            }
            Progress progress = new Progress(main, selected.size(), dryRun());
            String controlUrl = tenants.controlUrl(main);
            try (Main.Session session = main.openProject(selected.get(0).url());
                 ControlStore control = controlUrl == null ? null : ControlStore.open(controlUrl, main.user, main.password);
                 Fleet fleetRun = Fleet.configure(perTenant(session.builder()).buildProject()).tenants(selected)
                         .parallel(tenants.parallel).canary(canary).maxFailures(continueOnError ? 0 : maxFailures)
                         .dryRun(dryRun()).control(control).chosenBy(choice).lease(Durations.parse(lease, "--lease"))
                         .tenantTimeout(tenantTimeout == null ? null : Durations.parse(tenantTimeout, "--tenant-timeout"))
                         .connectTimeout(tenants.connectTimeout())
                         .credentials(main.user, main.password).listener(progress).build()) {
                CountDownLatch finished = new CountDownLatch(1);
                Thread onInterrupt = new Thread(() -> {
                    fleetRun.cancel();
                    main.err.println("\nInterrupted: running tenants finish, no new ones start...");
                    try {
                        finished.await(10, TimeUnit.MINUTES);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                });
                Runtime.getRuntime().addShutdownHook(onInterrupt);
                FleetResult result;
                try {
                    progress.startTicking();
                    result = run(fleetRun);
                    progress.end();
                    if (main.json) {
                        main.out.println(Main.forMachines(Render.json(Render.fleetResult(result))));
                    } else {
                        main.out.print(Main.forPeople(Render.fleetSummary(result)));
                    }
                } finally {
                    progress.stopTicking();
                    finished.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(onInterrupt);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: it waits for the latch released above
                    }
                }
                if (control == null && !main.json) {
                    main.err.println("(no control database: this run cannot be resumed; give --control-db to keep runs)");
                }
                return result.succeeded() ? 0 : ExitCodes.of(ErrorCode.MIGRATION_FAILED);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Tenant x module version matrix, and how many tenants are at each version")
    static final class StatusCommand implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        FleetCommands fleet;

        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Tenants:%n")
        TenantOptions tenants;

        @Override
        public Integer call() {
            Main main = fleet.main;
            List<Tenant> selected = tenants.load(main, tenants.choice(main));
            if (selected.isEmpty()) {
                main.err.println("No tenants matched");
                return 0;
            }
            try (Main.Session session = main.openProject(selected.get(0).url());
                 Fleet fleetRun = Fleet.configure(session.builder().buildProject()).tenants(selected).parallel(tenants.parallel)
                         .connectTimeout(tenants.connectTimeout()).credentials(main.user, main.password).build()) {
                FleetStatus status = fleetRun.status();
                if (main.json) {
                    main.out.println(Main.forMachines(Render.json(Render.fleetStatus(status))));
                } else {
                    main.out.print(Main.forPeople(Render.fleetStatusTable(status)));
                }
                return 0;
            }
        }
    }

    /** Commands that start a run: their tenants come from the source they are given. */
    abstract static class StartingBase extends RunBase {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Tenants:%n")
        TenantOptions tenants;

        @Override
        SelectionOptions tenants() {
            return tenants;
        }

        @Override
        RunTenants choice(Main main) {
            return tenants.choice(main);
        }
    }

    /**
     * For commands that apply migrations. A run's workers and resumes take this from their own command line, as
     * they take --set: it shapes each tenant's transactions, not which tenants the run has.
     */
    static final class SingleTransaction {
        @Option(names = "--single-transaction", description = "Each tenant's migrations in one transaction:"
                + " a tenant moves all the way or not at all")
        boolean singleTransaction;
    }

    /**
     * Commands that resume or join a recorded run: its tenants are those it recorded, so the run's id is enough;
     * a tenant source given too must be the run's.
     */
    abstract static class JoiningBase extends RunBase {
        @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "Tenants:%n")
        RecordedTenantOptions tenants;

        @picocli.CommandLine.Mixin
        SingleTransaction applying = new SingleTransaction();

        abstract String runId();

        @Override
        SelectionOptions tenants() {
            if (tenants == null) {
                tenants = new RecordedTenantOptions();
            }
            return tenants;
        }

        @Override
        RunTenants choice(Main main) {
            SelectionOptions options = tenants();
            String controlUrl = options.controlUrl(main);
            if (controlUrl == null) {
                throw new GearshiftException(ErrorCode.USAGE, "to resume or join a run, give the control database"
                        + " (--control-db URL, or --config-db)");
            }
            try (ControlStore control = ControlStore.open(controlUrl, main.user, main.password)) {
                return RunTenants.forRun(runId(), control.tenantsOf(runId()), options.given(main), options.urls(main));
            }
        }

        @Override
        Gearshift.Builder perTenant(Gearshift.Builder builder) {
            return builder.singleTransaction(applying.singleTransaction);
        }
    }

    /** Up and down: a target and a dry run. */
    abstract static class MoveBase extends StartingBase {
        @picocli.CommandLine.Mixin
        Commands.TargetOptions target = new Commands.TargetOptions();

        @picocli.CommandLine.Mixin
        SingleTransaction applying = new SingleTransaction();

        @Override
        Gearshift.Builder perTenant(Gearshift.Builder builder) {
            return builder.singleTransaction(applying.singleTransaction);
        }

        @Option(names = "--dry-run", description = "Each tenant in one transaction, rolled back")
        boolean dryRun;

        @Override
        boolean dryRun() {
            return dryRun;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Apply pending migrations to every tenant")
    static final class Up extends MoveBase {
        @Override
        FleetResult run(Fleet fleet) {
            return fleet.up(target.target());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Revert migrations in every tenant")
    static final class Down extends MoveBase {
        @Override
        FleetResult run(Fleet fleet) {
            return fleet.down(target.target());
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Run verify scripts in every tenant")
    static final class Verify extends StartingBase {
        @Override
        FleetResult run(Fleet fleet) {
            return fleet.verify();
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Validate every tenant's history")
    static final class Validate extends StartingBase {
        @Override
        FleetResult run(Fleet fleet) {
            return fleet.validate();
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Retry what did not finish in an earlier run: failed, skipped and abandoned tenants")
    static final class Resume extends JoiningBase {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "RUN")
        String runId;

        @Override
        String runId() {
            return runId;
        }

        @Override
        FleetResult run(Fleet fleet) {
            return fleet.resume(runId);
        }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Join a run started elsewhere: claim tenants from the control tables until none is left")
    static final class Worker extends JoiningBase {
        @Option(names = "--run", required = true, paramLabel = "RUN")
        String runId;

        @Override
        String runId() {
            return runId;
        }

        @Override
        FleetResult run(Fleet fleet) {
            return fleet.work(runId);
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List recent fleet runs")
    static final class Runs implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        FleetCommands fleet;

        @Option(names = "--control-db", paramLabel = "URL", description = "Where runs are recorded (default: --url)")
        String controlDb;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() {
            Main main = fleet.main;
            String url = controlDb != null ? controlDb : main.url;
            if (url == null) {
                throw new GearshiftException(ErrorCode.USAGE, "give --control-db (or --url) to list runs");
            }
            try (ControlStore control = ControlStore.open(url, main.user, main.password)) {
                List<RunSummary> runs = control.runs(limit);
                if (main.json) {
                    main.out.println(Main.forMachines(Render.json(Render.fleetRuns(runs))));
                } else {
                    main.out.print(Main.forPeople(Render.fleetRunsTable(runs)));
                }
                return 0;
            }
        }
    }

    /**
     * Progress on stderr, so that stdout holds only the result (and stays pure JSON with --json). On a terminal, a
     * live bar (not with --json, whose output shares the screen). Elsewhere, as in CI logs where a bar would be one
     * endless line, a plain line every {@code interval} or every tenth of the tenants, whichever comes first: a long
     * run shows it is alive, a short one does not flood the log.
     */
    static final class Progress implements FleetListener {
        static final Duration INTERVAL = Duration.ofSeconds(10);

        private final PrintStream err;
        private final boolean json;
        private final int total;
        private final boolean dryRun;
        private final boolean terminal;
        private final long intervalNanos;
        private final LongSupplier nanoClock;
        private final long started;
        /** Tenants finished between two lines, at most: a tenth of them. */
        private final int step;
        private long lastLineAt;
        private int lastLineDone;
        private int done;
        private int failed;
        private ScheduledExecutorService ticker;

        Progress(Main main, int total, boolean dryRun) {
            this(main.err, main.json, total, dryRun, stderrIsTerminal(), INTERVAL, System::nanoTime);
        }

        Progress(PrintStream err, boolean json, int total, boolean dryRun, boolean terminal, Duration interval,
                 LongSupplier nanoClock) {
            this.err = err;
            this.json = json;
            this.total = total;
            this.dryRun = dryRun;
            this.terminal = terminal;
            this.intervalNanos = interval.toNanos();
            this.nanoClock = nanoClock;
            this.started = nanoClock.getAsLong();
            this.lastLineAt = started;
            this.step = Math.max(1, (total + 9) / 10);
        }

        /** Lines also between tenants: one tenant may run for minutes. */
        void startTicking() {
            if (terminal) {
                return;
            }
            ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "gearshift-fleet-progress");
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.min(intervalNanos, Duration.ofSeconds(1).toNanos());
            ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        }

        @Override
        public void runStarted(String runId, int tenants) {
            if (!json) {
                err.println("Fleet run " + runId + ": " + Counts.of(tenants, "tenant")
                        + (dryRun ? " (dry run: each tenant rolled back, nothing is committed)" : ""));
            }
        }

        @Override
        public synchronized void finished(TenantOutcome outcome, int done, int failed, int all) {
            this.done = done;
            this.failed = failed;
            if (terminal) {
                if (!json) {
                    err.print("\r" + bar() + " " + counts() + "   ");
                    err.flush();
                }
            } else if (done - lastLineDone >= step || nanoClock.getAsLong() - lastLineAt >= intervalNanos) {
                line();
            }
        }

        /** A line when none was printed for an interval. */
        synchronized void tick() {
            if (!terminal && done < total && nanoClock.getAsLong() - lastLineAt >= intervalNanos) {
                line();
            }
        }

        private void line() {
            lastLineAt = nanoClock.getAsLong();
            lastLineDone = done;
            err.println("Progress: " + counts() + String.format(", %.0fs elapsed", (lastLineAt - started) / 1e9));
            err.flush();
        }

        private String bar() {
            int width = 30;
            int filled = (int) Math.round(width * (double) done / total);
            return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
        }

        private String counts() {
            double elapsed = (nanoClock.getAsLong() - started) / 1e9;
            double eta = done == 0 ? 0 : elapsed / done * (total - done);
            // "finished", not "done": a failed tenant is finished too, and "done" is the state of those that succeeded.
            return String.format("%d/%d finished, %d failed, %d remaining, ETA %.0fs", done, total, failed,
                    total - done, eta);
        }

        void stopTicking() {
            if (ticker != null) {
                ticker.shutdownNow();
            }
        }

        void end() {
            stopTicking();
            if (terminal && !json) {
                err.println();
            }
        }

        /**
         * Whether stderr goes to a terminal, as near as Java tells: System.console() needs stdin and stdout on one;
         * from Java 22 it exists even when they are not, and says so through isTerminal().
         */
        private static boolean stderrIsTerminal() {
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException beforeJava22) {
                return true;
            }
        }
    }
}
