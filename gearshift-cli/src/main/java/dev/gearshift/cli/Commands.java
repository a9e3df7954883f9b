package dev.gearshift.cli;

import dev.gearshift.Counts;
import dev.gearshift.Direction;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Plan;
import dev.gearshift.Result;
import dev.gearshift.Scaffold;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
import dev.gearshift.Version;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

/** The subcommands: each parses its options, calls the Java API once, and renders the answer. */
final class Commands {

    private Commands() {
    }

    /** Shared plumbing: open the target, run, render. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        Main main;

        Gearshift gearshift(Main.Session session, UnaryOperator<Gearshift.Builder> options) {
            return options.apply(session.builder()).build();
        }

        void print(String text) {
            main.out.print(Main.forPeople(text));
            main.out.flush();
        }

        void printJson(Object value) {
            main.out.println(Main.forMachines(Render.json(value)));
        }

        /**
         * Runs an up or down. When it fails after committing some migrations, people see those listed as a success
         * lists them, before the error (--json carries them in the error document).
         */
        Result run(Direction direction, java.util.function.Supplier<Result> run) {
            try {
                return run.get();
            } catch (GearshiftException e) {
                if (!main.json && !e.applied().isEmpty()) {
                    print(Render.result(new Result(direction, false, e.applied(), List.of())) + "\n");
                }
                throw e;
            }
        }
    }

    /**
     * Where to migrate to: --to, --steps and --module. A mixin, not an argument group: picocli's group errors
     * ("expected only one match but got [[--module=<module>] ...") say nothing a person can act on.
     */
    static final class TargetOptions {
        @Option(names = "--module", description = "Only this module (up also applies what it requires)")
        String module;

        @Option(names = "--to", converter = VersionConverter.class,
                description = "Target version, such as 7 or 1.2.3 (up: apply up to and including; down: revert above)")
        Version to;

        @Option(names = "--steps", description = "Number of migrations to apply or revert")
        Integer steps;

        Target target() {
            return target(null, false);
        }

        /** With {@code count}, the N of golang-migrate's {@code up N}, and down's {@code --all}. */
        Target target(Integer count, boolean all) {
            List<String> given = new java.util.ArrayList<>();
            if (to != null) {
                given.add("--to");
            }
            if (steps != null) {
                given.add("--steps");
            }
            if (count != null) {
                given.add("N");
            }
            if (all) {
                given.add("--all");
            }
            if (given.size() > 1) {
                throw new GearshiftException(ErrorCode.USAGE, String.join(" and ", given)
                        + " exclude each other: give one of them");
            }
            Integer n = count != null ? count : steps;
            Target target = all ? Target.zero() : to != null ? Target.version(to)
                    : n != null ? Target.steps(n) : Target.latest();
            return target.module(module);
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = {"Create a new project: gearshift.yaml and migrations/<module>/",
            "--from-lily reads a Lily schemas folder (Go source) into the major-patch layout; what it cannot read"
                    + " is listed and the exit code is 2."})
    static final class Init extends Base {
        @Parameters(arity = "0..1", paramLabel = "DIR", description = "Project directory (default: --project or .)")
        Path directory;

        @Option(names = "--module", description = "First module (default: core; with --from-lily, visor)")
        String module;

        @Mixin
        DiffCommands.InitOptions fromDb = new DiffCommands.InitOptions();

        @Option(names = "--from-lily", paramLabel = "GO_DIR", description = "Lily's schemas folder (v0, v1, ...) or"
                + " one v<major> folder: each major's base and patches copied out of the Go strings (best effort)")
        Path fromLily;

        @Override
        public Integer call() {
            Path root = directory != null ? directory : main.projectRoot();
            if (fromLily != null) {
                if (fromDb.fromDb != null) {
                    throw new GearshiftException(ErrorCode.USAGE, "--from-lily and --from-db exclude each other: give one");
                }
                return fromLily(root, module != null ? module : "visor");
            }
            String first = module != null ? module : "core";
            DiffCommands.FirstMigration fromDatabase = fromDb.read(main); // read before anything is written
            List<Path> created = new java.util.ArrayList<>(Scaffold.init(root, first,
                    fromDatabase == null ? null : fromDatabase.projectSchema()));
            if (fromDatabase != null) {
                created.addAll(fromDatabase.write(root, first));
            }
            if (main.json) {
                printJson(Render.paths(created));
            } else {
                print(Render.created(created) + "Next: gearshift new " + first + " <name>\n");
            }
            return 0;
        }

        private int fromLily(Path root, String name) {
            Scaffold.Extracted extracted = Scaffold.initFromLily(root, name, fromLily);
            if (main.json) {
                java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
                json.put("created", extracted.created().stream().map(Path::toString).toList());
                json.put("not_read", extracted.notRead());
                json.put("skipped", extracted.skipped());
                printJson(json);
            } else {
                print(Render.created(extracted.created()) + "Next: gearshift import --from lily, then gearshift status\n");
                StringBuilder text = new StringBuilder();
                if (!extracted.skipped().isEmpty()) {
                    text.append("Left out:\n");
                    extracted.skipped().forEach(line -> text.append("  ").append(line).append('\n'));
                }
                if (!extracted.notRead().isEmpty()) {
                    text.append("Not read (write these by hand, from the Go source):\n");
                    extracted.notRead().forEach(line -> text.append("  ").append(line).append('\n'));
                }
                main.err.print(Main.forPeople(text.toString()));
                main.err.flush();
            }
            return extracted.notRead().isEmpty() ? 0 : 2;
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true, description = "Write the next migration of a module (up and down files)")
    static final class New extends Base {
        @Parameters(index = "0", paramLabel = "MODULE")
        String module;

        @Parameters(index = "1", paramLabel = "NAME", description = "e.g. add_orders")
        String name;

        @Option(names = "--timestamp", description = "Version the migration with the current unix time")
        boolean timestamp;

        @Mixin
        DiffCommands.NewOptions diff = new DiffCommands.NewOptions();

        @Override
        public Integer call() {
            DiffCommands.Scripts scripts = diff.scripts(main, migrations()); // null without --diff
            List<Path> created = scripts != null ? scripts.write(migrations(), module, name, timestamp)
                    : Scaffold.newMigration(migrations(), module, name, timestamp, Instant.now());
            if (main.json) {
                printJson(Render.paths(created));
            } else {
                print(Render.created(created));
            }
            return 0;
        }

        /** --dir, else the directory gearshift.yaml names, else {@code <project>/migrations}: where up looks too. */
        private Path migrations() {
            if (main.dir != null) {
                return main.dir;
            }
            return Scaffold.migrationsDirectory(main.projectRoot());
        }
    }

    /** Also {@code info}, Flyway's name for it. */
    @Command(name = "status", aliases = "info", mixinStandardHelpOptions = true,
            description = "Per module: current version, applied, pending, changed and missing")
    static final class StatusCommand extends Base {
        @Override
        public Integer call() {
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b);
                Status status = gs.status();
                if (main.json) {
                    printJson(Render.status(gs.target(), status));
                } else {
                    print(Render.statusTable(gs.target(), status));
                }
                // A script should not need to read the output to learn that the sources or history are wrong.
                return status.problems().isEmpty() ? 0 : ExitCodes.of(ErrorCode.VALIDATION);
            }
        }
    }

    /** Also {@code migrate}, Flyway's name for it; {@code up N} as golang-migrate takes it. */
    @Command(name = "up", aliases = "migrate", mixinStandardHelpOptions = true,
            description = "Apply pending migrations (default: all of them)")
    static final class Up extends Base {
        @Parameters(arity = "0..1", paramLabel = "N", description = "Apply the next N pending migrations (as --steps N)")
        Integer count;

        @Mixin
        TargetOptions target = new TargetOptions();

        @Option(names = "--dry-run", description = "Run everything in one transaction, then roll it back")
        boolean dryRun;

        @Option(names = "--single-transaction", description = "All migrations in one transaction: all or nothing")
        boolean singleTransaction;

        @Option(names = "--out-of-order", description = "Also apply pending versions below the current one")
        boolean outOfOrder;

        @Option(names = "--verify", description = "Run each migration's verify script right after it")
        boolean verify;

        @Option(names = "--backup", paramLabel = "FILE",
                description = "Before changing anything, dump the target schema to FILE with pg_dump")
        Path backup;

        @Option(names = "--lint", description = "Lint the pending migrations first; run nothing if it finds errors")
        boolean lint;
        @Mixin
        PatchChecks patchChecks = new PatchChecks();

        @Override
        public Integer call() {
            if (lint) {
                LintCommand.lintFirst(main);
            }
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b.dryRun(dryRun).singleTransaction(singleTransaction)
                        .outOfOrder(outOfOrder).verifyAfterUp(verify).backup(backup));
                patchChecks.checkPending(main, gs);
                Result result = run(Direction.UP, () -> gs.up(target.target(count, false)));
                Status status = gs.status();
                if (main.json) {
                    printJson(Render.result(gs.target(), result, status));
                } else {
                    print(Render.result(result) + "\n" + Render.statusTable(gs.target(), status));
                }
                return 0;
            }
        }
    }

    /**
     * {@code down N} as golang-migrate takes it; but a bare {@code down} reverts one migration, not all of them as
     * golang-migrate's does: a slip of the finger should not empty a database. {@code --all} (golang-migrate's
     * {@code -all}) reverts everything.
     */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Revert applied migrations, most recent first (default: the last one)")
    static final class Down extends Base {
        @Parameters(arity = "0..1", paramLabel = "N", description = "Revert the last N applied migrations (as --steps N)")
        Integer count;

        @Option(names = "--all", description = "Revert every applied migration (as --to 0)")
        boolean all;

        @Mixin
        TargetOptions target = new TargetOptions();

        @Option(names = "--dry-run", description = "Run everything in one transaction, then roll it back")
        boolean dryRun;

        @Option(names = "--single-transaction", description = "All migrations in one transaction: all or nothing")
        boolean singleTransaction;

        @Option(names = "--backup", paramLabel = "FILE",
                description = "Before changing anything, dump the target schema to FILE with pg_dump")
        Path backup;

        @Override
        public Integer call() {
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b.dryRun(dryRun).singleTransaction(singleTransaction)
                        .backup(backup));
                Result result = run(Direction.DOWN, () -> gs.down(target.target(count, all)));
                Status status = gs.status();
                if (main.json) {
                    printJson(Render.result(gs.target(), result, status));
                } else {
                    print(Render.result(result) + "\n" + Render.statusTable(gs.target(), status));
                }
                return 0;
            }
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Print the SQL that up (or down) would run; changes nothing")
    static final class PlanCommand extends Base {
        @Parameters(arity = "0..1", paramLabel = "up|down", defaultValue = "up")
        String direction;

        @Mixin
        TargetOptions target = new TargetOptions();

        @Override
        public Integer call() {
            if (!direction.equals("up") && !direction.equals("down")) {
                throw new GearshiftException(ErrorCode.USAGE, "plan takes 'up' or 'down', not '" + direction + "'");
            }
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b);
                Plan plan = direction.equals("up") ? gs.planUp(target.target()) : gs.planDown(target.target());
                if (main.json) {
                    printJson(Render.plan(plan));
                } else {
                    print(Render.planSql(plan));
                }
                return 0;
            }
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check sources against history: checksums, gaps, missing, failed")
    static final class Validate extends Base {
        @Option(names = "--out-of-order", description = "Accept pending versions below the current one")
        boolean outOfOrder;

        @Option(names = "--lint", description = "Also lint the pending migrations; fail on lint errors")
        boolean lint;
        @Mixin
        PatchChecks patchChecks = new PatchChecks();

        @Override
        public Integer call() {
            if (lint) {
                LintCommand.lintFirst(main);
            }
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b.outOfOrder(outOfOrder));
                Status status = gs.validate();
                patchChecks.checkAll(main, gs);
                if (main.json) {
                    printJson(Render.status(gs.target(), status));
                } else {
                    long migrations = status.modules().stream()
                            .mapToLong(m -> m.applied().size() + m.pending().size()).sum();
                    print("Valid: " + Counts.of(status.modules().size(), "module") + ", "
                            + Counts.of(migrations, "migration") + ", schema " + status.schema() + "\n"
                            + Render.notes(status.notes()));
                }
                return 0;
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Run the verify scripts of applied migrations (rolled back)")
    static final class Verify extends Base {
        @Override
        public Integer call() {
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b);
                Verification verification = gs.verify();
                if (main.json) {
                    printJson(Render.verification(verification));
                } else {
                    print(Render.verificationText(verification));
                }
                return verification.passed() ? 0 : ExitCodes.of(ErrorCode.VERIFY_FAILED);
            }
        }
    }

    @Command(name = "baseline", mixinStandardHelpOptions = true, description = "Adopt an existing database: record VERSION as applied")
    static final class Baseline extends Base {
        @Option(names = "--version", required = true, description = "Versions up to this count as applied")
        long version;

        @Option(names = "--module", description = "Only this module (default: every module)")
        String module;

        @Override
        public Integer call() {
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b);
                List<String> modules = gs.baseline(Optional.ofNullable(module), version);
                if (main.json) {
                    printJson(java.util.Map.of("baselined", modules, "version", version));
                } else {
                    print("Baselined " + modules + " at version " + version + "\n");
                }
                return 0;
            }
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true, description = "Clear failed no-transaction migrations after"
            + " fixing their partial work; accept edits of applied migrations by realigning their checksums")
    static final class Repair extends Base {
        @Option(names = "--drop-invalid-indexes", description = "Also drop the invalid indexes a failed CREATE INDEX"
                + " CONCURRENTLY left in the schema (without it, repair only lists them)")
        boolean dropInvalidIndexes;

        @Override
        public Integer call() {
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b);
                dev.gearshift.Repair repair = dropInvalidIndexes ? gs.repairDroppingInvalidIndexes() : gs.repair();
                if (main.json) {
                    printJson(dev.gearshift.JsonShapes.repair(repair));
                } else {
                    print(Render.repairText(repair));
                }
                return 0;
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every up, down, baseline and repair recorded in the target")
    static final class History extends Base {
        @Override
        public Integer call() {
            try (Main.Session session = main.open()) {
                Gearshift gs = gearshift(session, b -> b);
                List<dev.gearshift.HistoryEntry> history = gs.history();
                if (main.json) {
                    printJson(Render.history(history));
                } else {
                    print(Render.historyTable(history));
                }
                return 0;
            }
        }
    }

    /**
     * Gearshift's own version, as Flyway's {@code version} and {@code --version} print it. golang-migrate's
     * {@code version} prints the database's instead: with several modules there is no single one, so a note on
     * stderr points to {@code status}, and stdout stays what {@code --version} prints.
     */
    @Command(name = "version", mixinStandardHelpOptions = true,
            description = "Print Gearshift's version (as --version); the database's versions: status")
    static final class VersionCommand extends Base {
        @Override
        public Integer call() {
            if (main.json) {
                printJson(java.util.Map.of("version", Gearshift.version()));
            } else {
                print("gearshift " + Gearshift.version() + "\n");
                main.err.println("The database's version, per module: gearshift status");
            }
            return 0;
        }
    }

    /** Reads a version at parse time, so that a bad one is a usage error before anything connects. */
    static final class VersionConverter implements CommandLine.ITypeConverter<Version> {
        @Override
        public Version convert(String text) {
            try {
                return Version.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
