package dev.gearshift.internal.engine;

import dev.gearshift.Counts;
import dev.gearshift.Direction;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.Plan;
import dev.gearshift.Problem;
import dev.gearshift.Repair;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.Module;
import dev.gearshift.internal.model.Script;
import dev.gearshift.internal.source.FlywayPlaceholders;
import dev.gearshift.spi.ApplyFailure;
import dev.gearshift.spi.Capability;
import dev.gearshift.spi.Change;
import dev.gearshift.spi.LockedStore;
import dev.gearshift.spi.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs commands against one target, whatever kind of store it is. Every write happens through the store's
 * exclusive migration lock, after the history has been re-read under that lock, and after validation found
 * nothing wrong. The store runs what it is handed; what runs, in which order, how often, and what a person is
 * told about it are decided here.
 */
public final class Engine {

    private final EngineConfig config;
    private final Store store;
    private final Planner planner;
    /** The target's user, database and schema, read when a script first needs them (Flyway's placeholders). */
    private volatile Optional<Store.Session> session;

    public Engine(EngineConfig config) {
        this.config = config;
        this.store = config.store();
        this.planner = new Planner(config.migrations(), config.kind().parser(), config.outOfOrder());
    }

    public EngineConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- read-only commands

    public Status status() {
        Store.History history = store.read();
        return statusFrom(history.schema(), history.entries());
    }

    /** Status computed from history rows read elsewhere (a fleet reads many schemas' rows in one query). */
    public Status statusFrom(String schema, List<HistoryEntry> history) {
        AppliedState state = new AppliedState(history);
        return new Status(schema, planner.status(state), planner.problems(state), planner.notes());
    }

    /** The status of many schemas of this engine's database, from one query per 100 schemas. */
    public Map<String, Status> statusOfSchemas(List<String> schemas) {
        Map<String, Status> statuses = new LinkedHashMap<>();
        store.readMany(schemas).forEach((schema, history) -> statuses.put(schema, statusFrom(schema, history)));
        return statuses;
    }

    /** Like {@link #status}, failing with every problem, those of down and verify scripts too. */
    public Status validate() {
        Status status = status();
        List<Problem> problems = new ArrayList<>(status.problems());
        problems.addAll(planner.scriptProblems());
        requireValid(problems);
        return status;
    }

    public List<HistoryEntry> history() {
        return store.read().entries();
    }

    public Plan plan(Direction direction, Target target) {
        AppliedState state = new AppliedState(store.read().entries());
        requireValid(planner.problems(state));
        return toPlan(direction, prepare(planner.plan(direction, target, state), direction));
    }

    public Verification verify() {
        AppliedState state = new AppliedState(store.read().entries());
        List<Migration> verified = new ArrayList<>();
        for (Module module : config.migrations().modules()) {
            module.migrations().stream().filter(state::isApplied)
                    .forEach(verified::add);
        }
        requireValid(verified.stream().flatMap(m -> planner.verifyProblems(m).stream()).toList());
        verified.removeIf(m -> m.verify().isEmpty());
        List<Change> checks = verified.stream()
                .map(m -> change(m, Direction.UP, List.of(m.verify().get()), Map.of())).toList();
        List<Optional<String>> outcomes = store.runAndRollBack(checks);
        List<Verification.Check> results = new ArrayList<>();
        for (int i = 0; i < verified.size(); i++) {
            Migration migration = verified.get(i);
            results.add(new Verification.Check(migration.module(), migration.version(), migration.name(),
                    migration.verify().get().location(), outcomes.get(i).isEmpty(), outcomes.get(i).orElse("ok")));
        }
        return new Verification(results);
    }

    // ---------------------------------------------------------------- writing commands

    public Result migrate(Direction direction, Target target) {
        if (config.dryRun()) {
            requireCapability(Capability.DRY_RUN, "a dry run");
        }
        if (config.singleTransaction() && !config.dryRun()) {
            requireCapability(Capability.TRANSACTIONAL_DDL, "a run in a single transaction");
        }
        java.util.OptionalLong patchesOf = direction == Direction.UP ? patchesOnly(target) : java.util.OptionalLong.empty();
        return underLock(patchesOf, (locked, state) -> {
            requireValid(planner.problems(state));
            if (direction == Direction.UP) {
                requireValid(recordedMajors(state));
            }
            List<Migration> steps = prepare(planner.plan(direction, target, state), direction);
            if (steps.isEmpty()) {
                return new Result(direction, config.dryRun(), List.of(), List.of());
            }
            if (patchesOf.isPresent() && patchesOf(steps, state).orElse(-1) != patchesOf.getAsLong()) {
                throw new GearshiftException(ErrorCode.LOCKED_BY_APPLICATION, "while this run waited for the lock,"
                        + " what it has to apply became more than patches of major " + patchesOf.getAsLong()
                        + ", which the running instances of that major did not allow; run it again");
            }
            if (direction == Direction.UP && config.verifyAfterUp()) {
                requireValid(steps.stream().flatMap(m -> planner.verifyProblems(m).stream()).toList());
            }
            if (config.backup().isPresent() && !config.dryRun()) {
                requireCapability(Capability.BACKUP, "a backup");
                locked.backup(config.backup().get());
            }
            boolean oneTransaction = config.dryRun() || config.singleTransaction();
            if (config.singleTransaction() && !config.dryRun()) {
                List<String> outside = steps.stream().filter(m -> !transactional(m, direction)).map(Migration::id).toList();
                if (!outside.isEmpty()) {
                    throw new GearshiftException(ErrorCode.USAGE, "a single transaction cannot include migrations that"
                            + " must run outside a transaction: " + outside + "; run them separately, e.g. up to the"
                            + " version before them first", dev.gearshift.Remedy.SINGLE_TRANSACTION);
                }
            }
            Result result = oneTransaction
                    ? runInOneTransaction(locked, steps, direction, state)
                    : runEach(locked, steps, direction, state);
            return withNoOpNotes(result, steps, direction);
        });
    }

    /** Names the steps whose script holds only comments, so that a no-op is never a surprise. */
    private static Result withNoOpNotes(Result result, List<Migration> steps, Direction direction) {
        List<String> notes = new ArrayList<>(result.notes());
        for (Migration migration : steps) {
            (direction == Direction.UP ? migration.up() : migration.down()).filter(s -> s.statements().isEmpty())
                    .ifPresent(s -> notes.add(migration.id() + " ran no statement: " + s.location()
                            + " holds only comments"));
        }
        return new Result(result.direction(), result.dryRun(), result.applied(), notes);
    }


    /** Adopts an existing database: versions up to {@code version} count as applied without running. */
    public List<String> baseline(Optional<String> module, Version version) {
        if (version.compareTo(Version.of(0)) <= 0) {
            throw new GearshiftException(ErrorCode.USAGE, "the baseline version must be positive");
        }
        module.ifPresent(planner::requireModule);
        return underLock((locked, state) -> {
            List<String> modules = module.map(List::of).orElseGet(() ->
                    config.migrations().modules().stream().map(Module::name).toList());
            List<String> alreadyMigrated = modules.stream().filter(m -> !state.of(m).isEmpty()).toList();
            if (!alreadyMigrated.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "cannot baseline " + alreadyMigrated + ": they already"
                        + " have history in " + locked.history().schema() + "; baseline only adopts a database"
                        + " Gearshift has not migrated");
            }
            if (!state.recorded()) {
                locked.prepare();
            }
            for (String name : modules) {
                record(locked, List.of(entry(name, Optional.of(version), "baseline", "baseline", "baseline", null,
                        HistoryEntry.SUCCESS, null)));
            }
            return modules;
        });
    }

    /**
     * Takes over another tool's history: records as applied, without running them, the migrations its table says
     * it applied, with Gearshift's own checksums. Only onto modules Gearshift has not migrated; the other table is
     * left as it is. With {@code dryRun}, says what it would record and records nothing.
     */
    public dev.gearshift.HistoryImport importHistory(String from, boolean dryRun) {
        HistoryImporter.Tool tool = HistoryImporter.Tool.parse(from);
        requireValid(config.migrations().problems());
        HistoryImporter.Read read = new HistoryImporter(store, config.migrations()).read(tool);
        return underLock((locked, state) -> {
            List<String> modules = read.applied().stream().map(dev.gearshift.HistoryImport.Imported::module)
                    .distinct().toList();
            List<String> alreadyMigrated = modules.stream().filter(m -> !state.of(m).isEmpty()).toList();
            if (!alreadyMigrated.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "cannot import into " + alreadyMigrated + ": they"
                        + " already have Gearshift history in " + locked.history().schema() + "; import only adopts"
                        + " a database Gearshift has not migrated; nothing was recorded");
            }
            if (!dryRun && !read.applied().isEmpty()) {
                if (!state.recorded()) {
                    locked.prepare();
                }
                // Recorded as applied ("up": the other tool ran them), the import named where the tool's version
                // goes, so that the history says where these rows came from.
                String by = config.toolVersion() + " (import from " + tool.text + ")";
                record(locked, read.applied().stream().map(i -> i.action().equals("baseline")
                        ? new HistoryEntry(0, i.module(), i.version(), "baseline", "baseline", "baseline", null,
                        HistoryEntry.SUCCESS, null, null, null, Duration.ZERO, by)
                        : new HistoryEntry(0, i.module(), i.version(), i.name(), kindOf(i.location()), "up",
                        i.checksum(), HistoryEntry.SUCCESS, null, null, null, Duration.ZERO, by)).toList());
            }
            return new dev.gearshift.HistoryImport(tool.text, read.tables(), read.applied(), dryRun);
        });
    }

    private static String kindOf(String location) {
        int dot = location.lastIndexOf('.');
        return dot < 0 || dot == location.length() - 1 ? "sql" : location.substring(dot + 1);
    }

    /**
     * Clears failed migrations so the next {@code up} runs them again, and realigns the recorded checksums of
     * applied migrations whose file was edited with the files, as Flyway's repair does. Nothing else: renamed,
     * missing and baselined migrations stay as they are. All of it is one transaction.
     */
    public Repair repair(boolean dropInvalidIndexes) {
        return underLock((locked, state) -> {
            List<String> cleared = new ArrayList<>();
            List<Repair.Realigned> realigned = new ArrayList<>();
            List<HistoryEntry> rows = new ArrayList<>();
            for (AppliedState.Applied failed : state.failed()) {
                // Its file may have been fixed since it failed: the row names the file the next up will run.
                Optional<Migration> source = sourceOf(failed);
                rows.add(entry(failed.module(), failed.version(), failed.name(),
                        source.map(Migration::kind).orElse("sql"), "repair",
                        source.map(Migration::checksum).orElse(failed.checksum()), HistoryEntry.SUCCESS, null));
                cleared.add(Version.migrationId(failed.module(), failed.version(), failed.name()));
            }
            for (String module : state.modules()) {
                for (AppliedState.Applied applied : state.of(module)) {
                    Optional<Migration> source = sourceOf(applied);
                    if (applied.failed() || applied.baselined() || applied.checksum() == null || source.isEmpty()
                            || applied.checksum().equals(source.get().checksum())) {
                        continue;
                    }
                    Migration edited = source.get();
                    rows.add(entry(module, applied.version(), applied.name(), edited.kind(), "repair",
                            edited.checksum(), HistoryEntry.SUCCESS, null));
                    realigned.add(new Repair.Realigned(module, applied.version().get(), applied.name(), edited.location(),
                            applied.checksum(), edited.checksum()));
                }
            }
            if (!rows.isEmpty()) {
                record(locked, rows);
            }
            List<String> invalid = locked.leftovers();
            List<String> dropped = new ArrayList<>();
            if (dropInvalidIndexes) {
                for (String index : invalid) {
                    locked.dropLeftover(index);
                    dropped.add(index);
                }
            }
            return new Repair(cleared, realigned, dropInvalidIndexes ? List.of() : invalid, dropped);
        });
    }

    /** The source of a recorded migration, unless it was renamed since (that is never repaired). */
    private Optional<Migration> sourceOf(AppliedState.Applied recorded) {
        return recorded.version().map(v -> config.migrations().migration(recorded.module(), v))
                .orElseGet(() -> config.migrations().repeatable(recorded.module(), recorded.name()))
                .filter(m -> m.name().equals(recorded.name()));
    }

    // ---------------------------------------------------------------- execution

    private Result runEach(LockedStore locked, List<Migration> steps, Direction direction, AppliedState state) {
        if (!state.recorded()) {
            locked.prepare();
        }
        List<Result.Applied> applied = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            for (int step = 0; step < steps.size(); step++) {
                Migration migration = steps.get(step);
                long started = System.nanoTime();
                if (transactional(migration, direction)) {
                    // Only the run's last write waits for the disk: the store writes its log in order.
                    boolean flushLater = step < steps.size() - 1;
                    for (int attempt = 0; !applyInTransaction(locked, migration, direction, flushLater, attempt,
                            notes); attempt++) {
                        pause(attempt);
                    }
                } else {
                    applyOutsideTransaction(locked, migration, direction, started);
                }
                applied.add(new Result.Applied(migration.module(), migration.version(), migration.name(),
                        Duration.ofNanos(System.nanoTime() - started), true));
            }
        } catch (GearshiftException e) {
            // Each migration committed on its own: those before the failure stay, and are the caller's to count.
            throw applied.isEmpty() ? e : e.afterApplying(applied);
        }
        return new Result(direction, false, applied, notes);
    }

    /**
     * Runs a transactional migration once with its history row. Returns false when it gave up waiting for a table
     * lock and may be run again: it rolled back and left no history row, so a retry is recorded once, as if it had
     * run once; a note says it waited. When the retries are spent, the failure names the sessions it waited for
     * and is recorded as rolled back, as any other failure.
     */
    private boolean applyInTransaction(LockedStore locked, Migration migration, Direction direction,
                                       boolean flushLater, int attempt, List<String> notes) {
        boolean last = attempt >= config.ddlLockRetries();
        long started = System.nanoTime();
        Change change = change(migration, direction);
        try {
            locked.apply(change, flushLater, last);
        } catch (ApplyFailure failure) {
            switch (failure.kind()) {
                case CONCURRENT_WRITER, CONNECTION_LOST -> throw interrupted(failure, migration, locked,
                        "it was rolled back: nothing of it remains");
                case COMMIT_UNANSWERED -> throw interrupted(failure, migration, locked, "its COMMIT was sent but"
                        + " not answered, so it may have committed: `gearshift status` tells");
                default -> {
                }
            }
            boolean lockWait = failure.kind() == ApplyFailure.Kind.LOCK_WAIT;
            if (lockWait && !last) {
                return false;
            }
            String advice = "The migration was rolled back: nothing of it remains. Fix it and run the command again.";
            String blockers = "";
            if (lockWait) {
                blockers = blockedBy(failure);
                advice = "It gave up waiting for a lock " + Counts.of(attempt + 1, "time") + " and was rolled"
                        + " back each time: nothing of it remains." + blockers + "\nRun the command again once"
                        + " that session is done, or raise the DDL lock timeout or its retries.";
            }
            if (attempt > 0) {
                notes.add(retriedNote(migration, attempt));
            }
            recordQuietly(locked, change.entry(HistoryEntry.ROLLED_BACK, failure.reason() + blockers,
                    Duration.ofNanos(System.nanoTime() - started)));
            throw failed(failure, migration, advice);
        }
        if (attempt > 0) {
            notes.add(retriedNote(migration, attempt));
        }
        return true;
    }

    /**
     * Runs a migration that cannot run in a transaction. It is recorded before it starts: should the run die
     * half-way (kill -9, lost connection), the migration stays marked as unfinished, and later runs refuse until
     * it has been checked and repaired.
     */
    private void applyOutsideTransaction(LockedStore locked, Migration migration, Direction direction,
                                         long started) {
        Change change = change(migration, direction);
        record(locked, migration, List.of(change.entry(HistoryEntry.STARTED, null, Duration.ZERO)),
                "it did not start");
        List<String> leftoversBefore = locked.leftovers();
        try {
            locked.applyOutsideTransaction(change);
        } catch (ApplyFailure failure) {
            recordQuietly(locked, change.entry(HistoryEntry.FAILED, failure.reason(),
                    Duration.ofNanos(System.nanoTime() - started)));
            throw failed(failure, migration, "It ran outside a transaction: the statements before the failing one"
                    + " stay applied, and it is recorded as failed." + leftBehind(locked, leftoversBefore)
                    + " Undo or finish its work by hand, then run `gearshift repair` and run the command again.");
        }
        record(locked, migration, List.of(change.entry(HistoryEntry.SUCCESS, null,
                Duration.ofNanos(System.nanoTime() - started))), "it ran outside a transaction and ran to its end,"
                + " but stays recorded as started: check its work, then run `gearshift repair`");
    }

    /**
     * Names what a failed migration left behind (PostgreSQL: indexes a failed concurrent build left invalid):
     * their names would make the next attempt fail with "already exists", and nothing else says they are there.
     */
    private static String leftBehind(LockedStore locked, List<String> before) {
        List<String> left;
        try {
            left = new ArrayList<>(locked.leftovers());
        } catch (GearshiftException e) {
            return ""; // the failure being reported matters more
        }
        left.removeAll(before);
        return left.isEmpty() ? "" : " It left " + Counts.of(left.size(), "invalid index", "invalid indexes")
                + " behind: " + String.join(", ", left) + "; `gearshift repair` can drop "
                + Counts.word(left.size(), "it", "them") + ", so that the next attempt builds "
                + Counts.word(left.size(), "it", "them") + " again.";
    }

    private static String blockedBy(ApplyFailure failure) {
        return failure.blockers().isEmpty() ? "" : "\nIt waited for " + String.join("; ", failure.blockers());
    }

    /**
     * The whole run in one transaction. Should a statement give up waiting for a table lock, the whole run rolled
     * back, and it runs again from its start, or not at all: never from the middle.
     */
    private Result runInOneTransaction(LockedStore locked, List<Migration> steps, Direction direction,
                                       AppliedState state) {
        for (int attempt = 0; ; attempt++) {
            Optional<Result> result = runInOneTransaction(locked, steps, direction, state, attempt);
            if (result.isPresent()) {
                return result.get();
            }
            pause(attempt);
        }
    }

    private Optional<Result> runInOneTransaction(LockedStore locked, List<Migration> steps, Direction direction,
                                                 AppliedState state, int attempt) {
        boolean last = attempt >= config.ddlLockRetries();
        List<String> notes = new ArrayList<>();
        if (attempt > 0) {
            notes.add("the run gave up waiting for a table lock and was run again from its start "
                    + Counts.of(attempt, "time"));
        }
        List<Change> changes = new ArrayList<>();
        Map<Change, Migration> migrations = new LinkedHashMap<>();
        for (Migration migration : steps) {
            if (transactional(migration, direction)) {
                Change change = change(migration, direction);
                changes.add(change);
                migrations.put(change, migration);
            } else {
                notes.add(migration.id() + " was not executed: it runs outside a transaction ("
                        + "-- gearshift:no-transaction), which a dry run cannot roll back");
            }
        }
        Map<Migration, Duration> took = new LinkedHashMap<>();
        long[] started = {System.nanoTime()};
        try {
            locked.applyAll(changes, !state.recorded(), !config.dryRun(), last, change -> {
                took.put(migrations.get(change), Duration.ofNanos(System.nanoTime() - started[0]));
                started[0] = System.nanoTime();
            });
        } catch (ApplyFailure failure) {
            Migration migration = steps.stream().filter(m -> !took.containsKey(m) && transactional(m, direction))
                    .findFirst().orElse(steps.get(0));
            String fate = "the whole run was one transaction and was rolled back: nothing of it remains";
            switch (failure.kind()) {
                case CONCURRENT_WRITER, CONNECTION_LOST, COMMIT_UNANSWERED ->
                        throw interrupted(failure, migration, locked, fate);
                default -> {
                }
            }
            boolean lockWait = failure.kind() == ApplyFailure.Kind.LOCK_WAIT;
            if (lockWait && !last) {
                return Optional.empty();
            }
            throw failed(failure, migration, (config.dryRun()
                    ? "This was a dry run: everything was rolled back."
                    : "The whole run was one transaction and was rolled back: nothing of it remains.")
                    + (lockWait ? " It gave up waiting for a lock " + Counts.of(attempt + 1, "time") + "."
                            + blockedBy(failure) : ""));
        }
        List<Result.Applied> applied = new ArrayList<>();
        for (Migration migration : steps) {
            boolean ran = took.containsKey(migration);
            applied.add(new Result.Applied(migration.module(), migration.version(), migration.name(),
                    ran ? took.get(migration) : Duration.ZERO, ran));
        }
        return Optional.of(new Result(direction, config.dryRun(), applied, notes));
    }

    /** A migration's failure as a person reads it: where, the statement, the database's reason, what next. */
    private static GearshiftException failed(ApplyFailure failure, Migration migration, String advice) {
        StringBuilder message = new StringBuilder(migration.id()).append(" failed at ").append(failure.where());
        if (failure.statement() != null) {
            message.append("\n  statement: ").append(failure.statement());
        }
        message.append("\n  ").append(failure.reason().replace("\n", "\n  "));
        boolean connectionLost = failure.kind() == ApplyFailure.Kind.CONNECTION_LOST;
        if (connectionLost) {
            message.append("\nThe connection to the database was lost while it ran (the server stopped or restarted,"
                    + " or the network failed); run the command again once the database is reachable.");
        }
        message.append("\n").append(advice);
        return new GearshiftException(connectionLost ? ErrorCode.CONNECTION : ErrorCode.MIGRATION_FAILED,
                message.toString(), failure.getCause());
    }

    /**
     * A run stopped by losing its session or its place in the history: says that the migration lock went with
     * it, which migration was in flight and what became of it. Any other failure is reported as it is.
     */
    private static GearshiftException interrupted(ApplyFailure failure, Migration migration, LockedStore locked,
                                                  String fate) {
        String schema = locked.history().schema();
        return switch (failure.kind()) {
            case CONCURRENT_WRITER -> new GearshiftException(ErrorCode.LOCK_LOST, "another migrator wrote to the"
                    + " history of schema " + schema + " while this run held its migration lock, so this run no"
                    + " longer holds it and stopped at " + migration.id() + ": " + fate + ". Nothing was applied"
                    + " twice: the history lets only one writer append. Look at `gearshift status` and the other"
                    + " migrator before running again.", failure.getCause());
            case CONNECTION_LOST, COMMIT_UNANSWERED -> new GearshiftException(ErrorCode.CONNECTION, "the connection"
                    + " to the database was lost while " + migration.id() + " ran (" + failure.reason().replace("\n",
                    " ") + "), and with it the migration lock of schema " + schema + ", so the run stopped there: "
                    + fate + ". The migrations before it are applied. Run the command again once the database is"
                    + " reachable.", failure.getCause());
            default -> new GearshiftException(ErrorCode.MIGRATION_FAILED, "database error: " + failure.reason(),
                    failure.getCause());
        };
    }

    /** Appends history rows outside a migration (baseline, repair). */
    private static void record(LockedStore locked, List<HistoryEntry> rows) {
        try {
            locked.record(rows);
        } catch (ApplyFailure failure) {
            throw failure.kind() == ApplyFailure.Kind.CONCURRENT_WRITER
                    || failure.kind() == ApplyFailure.Kind.CONNECTION_LOST
                    ? new GearshiftException(failure.kind() == ApplyFailure.Kind.CONNECTION_LOST
                            ? ErrorCode.CONNECTION : ErrorCode.LOCK_LOST, "the history of schema "
                            + locked.history().schema() + " could not be written: " + failure.reason()
                            + "; the migration lock is lost: run the command again", failure.getCause())
                    : new GearshiftException(ErrorCode.MIGRATION_FAILED, "database error: " + failure.reason(),
                            failure.getCause());
        }
    }

    /** Appends a migration's history row, telling what became of the migration should that fail. */
    private static void record(LockedStore locked, Migration migration, List<HistoryEntry> rows, String fate) {
        try {
            locked.record(rows);
        } catch (ApplyFailure failure) {
            throw interrupted(failure, migration, locked, fate);
        }
    }

    private static void recordQuietly(LockedStore locked, HistoryEntry entry) {
        try {
            locked.record(List.of(entry));
        } catch (ApplyFailure | GearshiftException ignored) {
            // The failure being reported matters more than its history row; the session may be gone.
        }
    }

    private static String retriedNote(Migration migration, int retries) {
        return migration.id() + " gave up waiting for a table lock and was run again " + Counts.of(retries, "time");
    }


    /**
     * Waits before running again a migration that gave up waiting for a lock: exponential backoff from the lock
     * wait itself (at most 1 s), with jitter, so that two migrators that collided do not collide again.
     */
    private void pause(int attempt) {
        long base = Math.max(10, Math.min(1000, config.ddlLockWait().toMillis()));
        long backoff = base << Math.min(attempt, 6);
        try {
            Thread.sleep(backoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GearshiftException(ErrorCode.INTERNAL, "interrupted while waiting to retry", e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** The change the store runs for a migration: its script (and verify script when verifying on the way up). */
    private Change change(Migration migration, Direction direction) {
        if (migration.isJava()) {
            return change(migration, direction, List.of(), Map.of());
        }
        Script script = direction == Direction.UP ? migration.up().orElseThrow() : migration.down().orElseThrow();
        List<Script> scripts = direction == Direction.UP && config.verifyAfterUp() && migration.verify().isPresent()
                ? List.of(script, migration.verify().get()) : List.of(script);
        return change(migration, direction, scripts, script.directives().settings());
    }

    private Change change(Migration migration, Direction direction, List<Script> scripts, Map<String, String> settings) {
        List<Change.Script> parts = scripts.stream().map(s -> {
            Map<String, String> values = placeholders(s);
            return new Change.Script(s.location(), s.statements().stream()
                    .map(statement -> Placeholders.apply(statement, values)).toList());
        }).toList();
        return new Change(migration.module(), migration.version(), migration.name(), migration.kind(), direction,
                migration.checksum(), migration.location(), transactional(migration, direction), settings, parts,
                migration.isJava() ? Optional.of(javaOf(migration)) : Optional.empty(), config.placeholders(),
                config.toolVersion());
    }

    /**
     * The values of a script's placeholders: the configured ones, and Flyway's built-in ones where the script uses
     * them (only then is the target asked who and where it is, once).
     */
    private Map<String, String> placeholders(Script script) {
        if (!FlywayPlaceholders.usedIn(script.text())) {
            return config.placeholders();
        }
        if (session == null) {
            session = store.session();
        }
        Map<String, String> values = new LinkedHashMap<>(config.placeholders());
        values.putAll(FlywayPlaceholders.values(script.location(), config.migrations().flywayTable(), session));
        return values;
    }

    /** Compiles Java files and checks down scripts before anything runs. */
    private List<Migration> prepare(List<Migration> steps, Direction direction) {
        List<Problem> problems = new ArrayList<>();
        for (Migration migration : steps) {
            if (migration.java().flatMap(Migration.JavaCode::source).isEmpty()) {
                continue;
            }
            try {
                JavaMigration code = javaOf(migration);
                if (direction == Direction.DOWN && !Migration.JavaCode.overridesDown(code)) {
                    problems.add(new Problem(Problem.MISSING_DOWN, migration.location(),
                            "has no down(): implement it, or choose a target above version " + migration.version()));
                }
            } catch (GearshiftException e) {
                problems.add(new Problem(Problem.JAVA_COMPILE, migration.location(), e.getMessage()));
            }
        }
        requireValid(problems);
        return steps;
    }

    private JavaMigration javaOf(Migration migration) {
        Migration.JavaCode code = migration.java().orElseThrow();
        if (code.instance().isPresent()) {
            return code.instance().get();
        }
        return config.compiler().compile(code.location(), code.source().orElseThrow());
    }

    private boolean transactional(Migration migration, Direction direction) {
        if (migration.isJava()) {
            return javaOf(migration).transactional();
        }
        Optional<Script> script = direction == Direction.UP ? migration.up() : migration.down();
        return script.map(s -> s.directives().transactional()).orElse(true);
    }

    private Plan toPlan(Direction direction, List<Migration> steps) {
        List<Plan.Step> planned = new ArrayList<>();
        for (Migration migration : steps) {
            Optional<Script> script = direction == Direction.UP ? migration.up() : migration.down();
            String sql = script.map(s -> Placeholders.apply(s.text(), placeholders(s))).orElse(null);
            planned.add(new Plan.Step(migration.module(), migration.version(), migration.name(),
                    script.map(Script::location).orElse(migration.location()), sql, transactional(migration, direction)));
        }
        return new Plan(direction, planned);
    }

    private static void requireValid(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw GearshiftException.invalid(problems);
        }
    }

    private void requireCapability(Capability capability, String what) {
        if (!store.capabilities().contains(capability)) {
            throw new GearshiftException(ErrorCode.USAGE, config.kind().name() + " cannot do " + what + ": it lacks "
                    + capability.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }

    private HistoryEntry entry(String module, Optional<Version> version, String name, String kind, String action, String checksum,
                               String outcome, String error) {
        return new HistoryEntry(0, module, version, name, kind, action, checksum, outcome, error, null, null,
                Duration.ZERO, config.toolVersion());
    }

    /**
     * A major-patch module with no history here, in a database whose major table (Lily's {@code visor_version})
     * records a major: Lily, or a hand, made it. Applying a base on top would be wrong either way: an older major
     * needs a manual data migration, the same major an adoption ({@code baseline}) at its patch.
     */
    private List<Problem> recordedMajors(AppliedState state) {
        List<Problem> problems = new ArrayList<>();
        config.migrations().majorTables().forEach((module, table) -> {
            if (state.current(module).isPresent() || state.baseline(module).isPresent()) {
                return; // the history says where it is
            }
            java.util.OptionalLong recorded = store.readMajor(table);
            Long latest = config.migrations().majors().get(module);
            if (recorded.isEmpty() || latest == null) {
                return; // an empty database: the latest base is what it needs
            }
            long major = recorded.getAsLong();
            problems.add(new Problem(Problem.MAJOR_MISMATCH, module, major < latest
                    ? "the database is at major " + major + " (per " + table + ": its row, or 0 when absent); major "
                            + latest
                            + " needs a manual data migration; Gearshift never crosses a major by itself"
                    : "the database is at major " + major + " (per " + table + ": its row, or 0 when absent) but has"
                            + " no history"
                            + " of module '" + module + "'; adopt it with `gearshift baseline --module " + module
                            + " --version " + major + ".<patch>` at the patch it has"));
        });
        return problems;
    }

    /**
     * The major whose additive patches are all that {@code up} would apply, read without the lock: then instances
     * of that major may keep running ({@link Store#lockForPatches}). Empty for anything else, and for projects
     * without major-patch modules (which are spared the extra read).
     */
    private java.util.OptionalLong patchesOnly(Target target) {
        if (config.migrations().majors().isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        AppliedState state = new AppliedState(store.read().entries());
        if (!planner.problems(state).isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        return patchesOf(planner.plan(Direction.UP, target, state), state);
    }

    /** The one major of which every step is a patch, on a database at that major; else empty. */
    private java.util.OptionalLong patchesOf(List<Migration> steps, AppliedState state) {
        java.util.Set<Long> majors = new java.util.HashSet<>();
        for (Migration step : steps) {
            Optional<Version> version = step.version();
            Optional<Version> current = state.current(step.module());
            if (!config.migrations().majors().containsKey(step.module()) || version.isEmpty()
                    || version.get().segments().size() != 2 || current.isEmpty()
                    || !current.get().segments().get(0).equals(version.get().segments().get(0))) {
                return java.util.OptionalLong.empty();
            }
            majors.add(version.get().segments().get(0));
        }
        return majors.size() == 1 ? java.util.OptionalLong.of(majors.iterator().next()) : java.util.OptionalLong.empty();
    }

    @FunctionalInterface
    private interface LockedWork<T> {
        T run(LockedStore locked, AppliedState state);
    }

    /**
     * Takes the lock, and reads the history once the lock is held. The store ties its writes to the lock: nothing
     * of this run can commit after the lock is gone.
     */
    private <T> T underLock(LockedWork<T> work) {
        return underLock(java.util.OptionalLong.empty(), work);
    }

    private <T> T underLock(java.util.OptionalLong patchesOf, LockedWork<T> work) {
        try (LockedStore locked = patchesOf.isPresent()
                ? store.lockForPatches(config.migratorWait(), config.waitForGuards(), patchesOf.getAsLong())
                : store.lock(config.migratorWait(), config.waitForGuards())) {
            if (!config.createSchema() && !locked.schemaExists()) {
                throw new GearshiftException(ErrorCode.USAGE, "schema " + locked.history().schema() + " does not"
                        + " exist in " + store.display() + "; create it, or allow creating schemas", dev.gearshift.Remedy.CREATE_SCHEMA);
            }
            return work.run(locked, new AppliedState(locked.history().entries()));
        }
    }
}
