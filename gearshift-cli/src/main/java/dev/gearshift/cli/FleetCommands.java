package dev.gearshift.cli;

import dev.gearshift.Durations;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.fleet.ControlTables;
import dev.gearshift.fleet.Fleet;
import dev.gearshift.fleet.FleetListener;
import dev.gearshift.fleet.FleetResult;
import dev.gearshift.fleet.FleetStatus;
import dev.gearshift.fleet.RunSummary;
import dev.gearshift.fleet.Tenant;
import dev.gearshift.fleet.TenantOutcome;
import dev.gearshift.fleet.TenantSelection;
import dev.gearshift.fleet.Tenants;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /** Where the tenants come from and which of them to take. */
    static final class TenantOptions {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

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

        @Option(names = "--parallel", defaultValue = "4", description = "Tenants migrated at once (default 4)")
        int parallel;

        @Option(names = "--allow-empty", description = "Exit 0 when no tenant matches (default: exit 2)")
        boolean allowEmpty;

        List<Tenant> load(Main main) {
            List<Tenant> all;
            if (source.schemas != null) {
                all = Tenants.schemasLike(requireUrl(main), main.user, main.password, source.schemas);
            } else if (source.file != null) {
                all = Tenants.fromFile(source.file, main.url);
            } else {
                if (configDb == null) {
                    throw new GearshiftException(ErrorCode.USAGE, "--tenants-query needs --config-db URL");
                }
                main.secrets.addUrl(configDb);
                all = Tenants.fromQuery(configDb, main.user, main.password, source.query, main.url);
            }
            all.forEach(t -> main.secrets.addUrl(t.url()));
            List<Tenant> selected = new TenantSelection(filters, names, Optional.ofNullable(hostOverride)).apply(all);
            if (selected.isEmpty() && !allowEmpty) {
                throw new GearshiftException(ErrorCode.USAGE, "no tenants matched (" + all.size()
                        + " in the registry); pass --allow-empty if that is expected");
            }
            return selected;
        }

        /** The control database: explicit, else the config database, else the --url database; null: none. */
        String controlUrl(Main main) {
            String control = controlDb != null ? controlDb : configDb != null ? configDb : main.url;
            main.secrets.addUrl(control);
            return control;
        }

        private static String requireUrl(Main main) {
            if (main.url == null) {
                throw new GearshiftException(ErrorCode.USAGE, "--schemas lists the schemas of --url; give --url");
            }
            main.secrets.addUrl(main.url);
            return main.url;
        }
    }

    abstract static class RunBase implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        FleetCommands fleet;

        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Tenants:%n")
        TenantOptions tenants;

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
            List<Tenant> selected = tenants.load(main);
            if (selected.isEmpty()) {
                main.err.println("No tenants matched: nothing to do");
                return 0;
            }
            Progress progress = new Progress(main, selected.size());
            String controlUrl = tenants.controlUrl(main);
            try (Main.Session session = main.openTemplate(selected.get(0).url());
                 ControlTables control = controlUrl == null ? null : ControlTables.open(controlUrl, main.user, main.password);
                 Fleet fleetRun = Fleet.configure(perTenant(session.builder()).build()).tenants(selected)
                         .parallel(tenants.parallel).canary(canary).maxFailures(continueOnError ? 0 : maxFailures)
                         .dryRun(dryRun()).control(control).lease(Durations.parse(lease, "--lease"))
                         .tenantTimeout(tenantTimeout == null ? null : Durations.parse(tenantTimeout, "--tenant-timeout"))
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
                    result = run(fleetRun);
                    progress.end();
                    if (main.json) {
                        main.out.println(main.secrets.scrub(Render.json(Render.fleetResult(result))));
                    } else {
                        main.out.print(main.secrets.scrub(Render.fleetSummary(result)));
                    }
                } finally {
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
                return result.succeeded() ? 0 : ErrorCode.MIGRATION_FAILED.exitCode();
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
            List<Tenant> selected = tenants.load(main);
            if (selected.isEmpty()) {
                main.err.println("No tenants matched");
                return 0;
            }
            try (Main.Session session = main.openTemplate(selected.get(0).url());
                 Fleet fleetRun = Fleet.configure(session.builder().build()).tenants(selected).parallel(tenants.parallel)
                         .credentials(main.user, main.password).build()) {
                FleetStatus status = fleetRun.status();
                if (main.json) {
                    main.out.println(main.secrets.scrub(Render.json(Render.fleetStatus(status))));
                } else {
                    main.out.print(main.secrets.scrub(Render.fleetStatusTable(status)));
                }
                return 0;
            }
        }
    }

    /**
     * Commands that apply migrations. A run's workers and resumes take this from their own command line, as they
     * take --set: it shapes each tenant's transactions, not which tenants the run has.
     */
    abstract static class ApplyingBase extends RunBase {
        @Option(names = "--single-transaction", description = "Each tenant's migrations in one transaction:"
                + " a tenant moves all the way or not at all")
        boolean singleTransaction;

        @Override
        Gearshift.Builder perTenant(Gearshift.Builder builder) {
            return builder.singleTransaction(singleTransaction);
        }
    }

    /** Up and down: a target and a dry run. */
    abstract static class MoveBase extends ApplyingBase {
        @picocli.CommandLine.Mixin
        Commands.TargetOptions target = new Commands.TargetOptions();

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
    static final class Verify extends RunBase {
        @Override
        FleetResult run(Fleet fleet) {
            return fleet.verify();
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Validate every tenant's history")
    static final class Validate extends RunBase {
        @Override
        FleetResult run(Fleet fleet) {
            return fleet.validate();
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Retry what did not finish in an earlier run: failed, skipped and abandoned tenants")
    static final class Resume extends ApplyingBase {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "RUN")
        String runId;

        @Override
        FleetResult run(Fleet fleet) {
            return fleet.resume(runId);
        }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Join a run started elsewhere: claim tenants from the control tables until none is left")
    static final class Worker extends ApplyingBase {
        @Option(names = "--run", required = true, paramLabel = "RUN")
        String runId;

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
            main.secrets.addUrl(url);
            try (ControlTables control = ControlTables.open(url, main.user, main.password)) {
                List<RunSummary> runs = control.runs(limit);
                if (main.json) {
                    main.out.println(main.secrets.scrub(Render.json(Render.fleetRuns(runs))));
                } else {
                    main.out.print(main.secrets.scrub(Render.fleetRunsTable(runs)));
                }
                return 0;
            }
        }
    }

    /** A live line on a terminal: done / failed / remaining and an ETA. Silent when stderr is not a terminal. */
    static final class Progress implements FleetListener {
        private final Main main;
        private final int total;
        private final long started = System.nanoTime();
        private final boolean terminal = System.console() != null;

        Progress(Main main, int total) {
            this.main = main;
            this.total = total;
        }

        @Override
        public void runStarted(String runId, int tenants) {
            if (!main.json) {
                main.err.println("Fleet run " + runId + ": " + tenants + " tenants");
            }
        }

        @Override
        public synchronized void finished(TenantOutcome outcome, int done, int failed, int all) {
            if (!terminal || main.json) {
                return;
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            double eta = done == 0 ? 0 : elapsed / done * (total - done);
            int width = 30;
            int filled = (int) Math.round(width * (double) done / total);
            main.err.printf("\r[%s%s] %d/%d done, %d failed, %d remaining, ETA %.0fs   ", "#".repeat(filled),
                    ".".repeat(width - filled), done, total, failed, total - done, eta);
            main.err.flush();
        }

        void end() {
            if (terminal && !main.json) {
                main.err.println();
            }
        }
    }
}
