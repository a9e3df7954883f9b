package dev.gearshift.internal.engine;

import dev.gearshift.Counts;
import dev.gearshift.Direction;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
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
import dev.gearshift.spi.Dialect;
import dev.gearshift.spi.FailedStatementException;
import dev.gearshift.spi.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs commands against one target. Every write happens under the exclusive migration lock, after the
 * history has been re-read under that lock, and after validation found nothing wrong.
 */
public final class Engine {

    private final EngineConfig config;
    private final Dialect dialect;
    private final Planner planner;

    public Engine(EngineConfig config) {
        this.config = config;
        this.dialect = config.dialect();
        this.planner = new Planner(config.migrations(), config.dialect(), config.outOfOrder());
    }

    // ---------------------------------------------------------------- read-only commands

    public Status status() {
        return withConnection(connection -> {
            String schema = schema(connection);
            return statusFrom(schema, readHistory(connection, schema));
        });
    }

    /** Status computed from history rows read elsewhere (a fleet reads many schemas' rows in one query). */
    public Status statusFrom(String schema, List<HistoryEntry> history) {
        AppliedState state = new AppliedState(history);
        return new Status(schema, planner.status(state), planner.problems(state), planner.notes());
    }

    /** The status of many schemas of this engine's database, from one query per 100 schemas. */
    public Map<String, Status> statusOfSchemas(List<String> schemas) {
        return withConnection(connection -> {
            Map<String, Status> statuses = new java.util.LinkedHashMap<>();
            HistoryTable.readMany(connection, dialect, config.historyTable(), schemas)
                    .forEach((schema, history) -> statuses.put(schema, statusFrom(schema, history)));
            return statuses;
        });
    }

    public EngineConfig config() {
        return config;
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
        return withConnection(connection -> readHistory(connection, schema(connection)));
    }

    public Plan plan(Direction direction, Target target) {
        return withConnection(connection -> {
            AppliedState state = new AppliedState(readHistory(connection, schema(connection)));
            requireValid(planner.problems(state));
            return toPlan(direction, prepare(planner.plan(direction, target, state), direction));
        });
    }

    public Verification verify() {
        return withConnection(connection -> {
            String schema = schema(connection);
            AppliedState state = new AppliedState(readHistory(connection, schema));
            List<Problem> problems = new ArrayList<>();
            for (Module module : config.migrations().modules()) {
                module.migrations().stream().filter(state::isApplied)
                        .forEach(m -> problems.addAll(planner.verifyProblems(m)));
            }
            requireValid(problems);
            dialect.useSchema(connection, schema);
            connection.setAutoCommit(false);
            List<Verification.Check> checks = new ArrayList<>();
            for (Module module : config.migrations().modules()) {
                for (Migration migration : module.migrations()) {
                    if (migration.verify().isEmpty() || !state.isApplied(migration)) {
                        continue;
                    }
                    Script script = migration.verify().get();
                    String message = "ok";
                    boolean passed = true;
                    try {
                        runScripts(connection, migration, Optional.empty(), script);
                    } catch (StatementFailure failure) {
                        passed = false;
                        message = failure.describe(dialect);
                    }
                    connection.rollback();
                    checks.add(new Verification.Check(module.name(), migration.version(), migration.name(),
                            script.location(), passed, message));
                }
            }
            return new Verification(checks);
        });
    }

    // ---------------------------------------------------------------- writing commands

    public Result migrate(Direction direction, Target target) {
        return underLock((connection, history, state) -> {
            String schema = history.schema();
            requireValid(planner.problems(state));
            List<Migration> steps = prepare(planner.plan(direction, target, state), direction);
            if (steps.isEmpty()) {
                return new Result(direction, config.dryRun(), List.of(), List.of());
            }
            if (direction == Direction.UP && config.verifyAfterUp()) {
                requireValid(steps.stream().flatMap(m -> planner.verifyProblems(m).stream()).toList());
            }
            if (config.backup().isPresent() && !config.dryRun() && dialect.schemaExists(connection, schema)) {
                dialect.backup(config.connections().target().orElseThrow(() -> new GearshiftException(ErrorCode.USAGE,
                        "a backup needs a URL, not a DataSource")), schema, config.backup().get());
            }
            boolean oneTransaction = config.dryRun() || config.singleTransaction();
            if (config.singleTransaction() && !config.dryRun()) {
                List<String> outside = steps.stream().filter(m -> !transactional(m, direction)).map(Migration::id).toList();
                if (!outside.isEmpty()) {
                    throw new GearshiftException(ErrorCode.USAGE, "--single-transaction cannot include migrations that"
                            + " must run outside a transaction: " + outside + "; run them separately, e.g. `up --to`");
                }
            }
            Result result = oneTransaction
                    ? runInOneTransaction(connection, history, steps, direction, state)
                    : runEach(connection, history, steps, direction, state);
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
        return underLock((connection, history, state) -> {
            List<String> modules = module.map(List::of).orElseGet(() ->
                    config.migrations().modules().stream().map(Module::name).toList());
            List<String> alreadyMigrated = modules.stream().filter(m -> !state.of(m).isEmpty()).toList();
            if (!alreadyMigrated.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "cannot baseline " + alreadyMigrated + ": they already"
                        + " have history in " + history.schema() + "; baseline only adopts a database Gearshift has"
                        + " not migrated");
            }
            ensureSchemaAndHistory(connection, history, state);
            for (String name : modules) {
                history.append(connection, entry(name, Optional.of(version), "baseline", "baseline", "baseline", null,
                        HistoryEntry.SUCCESS, null, Duration.ZERO));
            }
            return modules;
        });
    }

    /**
     * Clears failed migrations so the next {@code up} runs them again, and realigns the recorded checksums of
     * applied migrations whose file was edited with the files, as Flyway's repair does. Nothing else: renamed,
     * missing and baselined migrations stay as they are. All of it is one transaction.
     */
    public Repair repair(boolean dropInvalidIndexes) {
        return underLock((connection, history, state) -> {
            List<String> cleared = new ArrayList<>();
            List<Repair.Realigned> realigned = new ArrayList<>();
            List<HistoryEntry> rows = new ArrayList<>();
            for (AppliedState.Applied failed : state.failed()) {
                // Its file may have been fixed since it failed: the row names the file the next up will run.
                Optional<Migration> source = sourceOf(failed);
                rows.add(entry(failed.module(), failed.version(), failed.name(),
                        source.map(Migration::kind).orElse("sql"), "repair",
                        source.map(Migration::checksum).orElse(failed.checksum()), HistoryEntry.SUCCESS, null,
                        Duration.ZERO));
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
                            edited.checksum(), HistoryEntry.SUCCESS, null, Duration.ZERO));
                    realigned.add(new Repair.Realigned(module, applied.version().get(), applied.name(), edited.location(),
                            applied.checksum(), edited.checksum()));
                }
            }
            if (!rows.isEmpty()) {
                connection.setAutoCommit(false);
                try {
                    for (HistoryEntry row : rows) {
                        history.append(connection, row);
                    }
                    connection.commit();
                    history.committed();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, history);
                    throw e;
                } finally {
                    restoreAutoCommit(connection);
                }
            }
            List<String> invalid = dialect.schemaExists(connection, history.schema())
                    ? dialect.invalidIndexes(connection, history.schema()) : List.of();
            List<String> dropped = new ArrayList<>();
            if (dropInvalidIndexes) {
                for (String index : invalid) {
                    dialect.dropIndex(connection, history.schema(), index);
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

    private Result runEach(Connection connection, HistoryTable history, List<Migration> steps, Direction direction,
                           AppliedState state) throws SQLException {
        ensureSchemaAndHistory(connection, history, state);
        List<Result.Applied> applied = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            applyEach(connection, history, steps, direction, applied, notes);
        } catch (GearshiftException e) {
            // Each migration committed on its own: those before the failure stay, and are the caller's to count.
            throw applied.isEmpty() ? e : e.afterApplying(applied);
        } catch (SQLException e) {
            if (applied.isEmpty()) {
                throw e;
            }
            throw databaseFailure(e).afterApplying(applied);
        }
        return new Result(direction, false, applied, notes);
    }

    /** Runs each step in its own transaction (when it has one), adding each to {@code applied} once committed. */
    private void applyEach(Connection connection, HistoryTable history, List<Migration> steps, Direction direction,
                           List<Result.Applied> applied, List<String> notes) throws SQLException {
        String schema = history.schema();
        for (int step = 0; step < steps.size(); step++) {
            Migration migration = steps.get(step);
            long started = System.nanoTime();
            if (transactional(migration, direction)) {
                Optional<String> preamble = step < steps.size() - 1 ? dialect.deferredFlush() : Optional.empty();
                for (int attempt = 0; !applyInTransaction(connection, history, migration, direction, preamble,
                        attempt, notes); attempt++) {
                    pause(attempt);
                }
            } else {
                // Recorded before it starts: should the run die half-way (kill -9, lost connection), the migration
                // stays marked as unfinished, and later runs refuse until it has been checked and repaired.
                history.append(connection, entry(migration, direction, HistoryEntry.STARTED, null, started));
                List<String> invalidBefore = dialect.invalidIndexes(connection, schema);
                // Its own connection, so session settings from its directives end with it.
                try (Connection own = config.connections().connect()) {
                    prepareSession(own, schema, false);
                    runMigration(own, migration, direction, schema, Optional.empty());
                } catch (StatementFailure failure) {
                    recordQuietly(connection, history, entry(migration, direction, HistoryEntry.FAILED,
                            failure.describe(dialect), started));
                    throw failure.toException(dialect, migration, "It ran outside a transaction: the statements"
                            + " before the failing one stay applied, and it is recorded as failed."
                            + leftInvalid(connection, schema, invalidBefore) + " Undo or finish its work by hand,"
                            + " then run `gearshift repair` and run the command again.");
                }
                try {
                    history.append(connection, entry(migration, direction, HistoryEntry.SUCCESS, null, started));
                } catch (SQLException e) {
                    throw interrupted(e, migration, schema, "it ran outside a transaction and ran to its end, but"
                            + " stays recorded as started: check its work, then run `gearshift repair`");
                }
            }
            applied.add(new Result.Applied(migration.module(), migration.version(), migration.name(),
                    Duration.ofNanos(System.nanoTime() - started), true));
        }
    }

    /**
     * Runs a transactional migration once with its history row, and commits both. Returns false when it gave up
     * waiting for a table lock and may be run again: it rolled back and left no history row, so a retry is
     * recorded once, as if it had run once; a note says it waited. When the retries are spent, the failure names
     * the sessions it waited for and is recorded as rolled back, as any other failure.
     */
    private boolean applyInTransaction(Connection connection, HistoryTable history, Migration migration,
                                       Direction direction, Optional<String> preamble, int attempt,
                                       List<String> notes) throws SQLException {
        String schema = history.schema();
        boolean last = attempt >= config.ddlLockRetries();
        long started = System.nanoTime();
        connection.setAutoCommit(false);
        boolean ended = false;
        boolean commitSent = false;
        try (LockWaitWatch watch = last ? LockWaitWatch.start(dialect, config.connections(), connection) : null) {
            try {
                // Only the run's last write waits for the disk; see Dialect.deferredFlush.
                runMigration(connection, migration, direction, schema, preamble);
                history.append(connection, entry(migration, direction, HistoryEntry.SUCCESS, null, started));
                commitSent = true;
                connection.commit();
                history.committed();
                ended = true;
            } catch (StatementFailure failure) {
                rollbackQuietly(connection, history);
                ended = true;
                if (failure.connectionLost(dialect)) {
                    throw lockLost((SQLException) failure.getCause(), migration, schema,
                            "it was rolled back: nothing of it remains");
                }
                boolean lockWait = failure.lockTimedOut(dialect);
                if (lockWait && !last) {
                    return false;
                }
                String advice = "The migration was rolled back: nothing of it remains. Fix it and run the command"
                        + " again.";
                String blockers = "";
                if (lockWait) {
                    blockers = blockedBy(watch);
                    advice = "It gave up waiting for a lock " + Counts.of(attempt + 1, "time") + " and was rolled"
                            + " back each time: nothing of it remains." + blockers + "\nRun the command again once"
                            + " that session is done, or raise the DDL lock timeout or its retries.";
                }
                if (attempt > 0) {
                    notes.add(retriedNote(migration, attempt));
                }
                recordQuietly(connection, history, entry(migration, direction, HistoryEntry.ROLLED_BACK,
                        failure.describe(dialect) + blockers, started));
                throw failure.toException(dialect, migration, advice);
            } catch (SQLException e) {
                rollbackQuietly(connection, history);
                ended = true;
                throw interrupted(e, migration, schema, commitSent
                        ? "its COMMIT was sent but not answered, so it may have committed: `gearshift status`"
                                + " tells"
                        : "it was rolled back: nothing of it remains");
            } finally {
                // Any other failure must not let setAutoCommit commit half a migration: roll back first.
                if (!ended) {
                    rollbackQuietly(connection, history);
                }
                restoreAutoCommit(connection);
            }
        }
        if (attempt > 0) {
            notes.add(retriedNote(migration, attempt));
        }
        return true;
    }

    /**
     * Names the indexes a failed concurrent build left invalid: their names would make the next attempt fail with
     * "already exists", and nothing else says they are there.
     */
    private String leftInvalid(Connection connection, String schema, List<String> before) {
        try {
            List<String> left = new ArrayList<>(dialect.invalidIndexes(connection, schema));
            left.removeAll(before);
            return left.isEmpty() ? "" : " It left " + Counts.of(left.size(), "invalid index", "invalid indexes")
                    + " behind: " + String.join(", ", left) + "; `gearshift repair` can drop "
                    + Counts.word(left.size(), "it", "them") + ", so that the next attempt builds "
                    + Counts.word(left.size(), "it", "them") + " again.";
        } catch (SQLException e) {
            return ""; // the failure being reported matters more
        }
    }

    private static String retriedNote(Migration migration, int retries) {
        return migration.id() + " gave up waiting for a table lock and was run again " + Counts.of(retries, "time");
    }

    private static String blockedBy(LockWaitWatch watch) {
        List<String> blockers = watch == null ? List.of() : watch.blockers();
        return blockers.isEmpty() ? "" : "\nIt waited for " + String.join("; ", blockers);
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

    /**
     * A run stopped by losing its session or its place in the history: says that the migration lock went with
     * it, which migration was in flight and what became of it. Any other database error is reported as it is.
     */
    private GearshiftException interrupted(SQLException e, Migration migration, String schema, String fate) {
        if (e instanceof HistoryTable.ConcurrentWriter) {
            return new GearshiftException(ErrorCode.LOCK_LOST, "another migrator wrote to the history of schema "
                    + schema + " while this run held its migration lock, so this run no longer holds it and stopped"
                    + " at " + migration.id() + ": " + fate + ". Nothing was applied twice: the history lets only one"
                    + " writer append. Look at `gearshift status` and the other migrator before running again.", e);
        }
        if (dialect.isConnectionLost(e)) {
            return lockLost(e, migration, schema, fate);
        }
        return databaseFailure(e);
    }

    private GearshiftException lockLost(SQLException e, Migration migration, String schema, String fate) {
        return new GearshiftException(ErrorCode.CONNECTION, "the connection to the database was lost while "
                + migration.id() + " ran (" + dialect.describe(e).replace("\n", " ") + "), and with it the"
                + " migration lock of schema " + schema + ", so the run stopped there: " + fate + ". The"
                + " migrations before it are applied. Run the command again once the database is reachable.", e);
    }

    /**
     * The whole run in one transaction. Should a statement give up waiting for a table lock, the whole run rolled
     * back, and it runs again from its start, or not at all: never from the middle.
     */
    private Result runInOneTransaction(Connection connection, HistoryTable history, List<Migration> steps,
                                       Direction direction, AppliedState state) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            Optional<Result> result = runInOneTransaction(connection, history, steps, direction, state, attempt);
            if (result.isPresent()) {
                return result.get();
            }
            pause(attempt);
        }
    }

    private Optional<Result> runInOneTransaction(Connection connection, HistoryTable history, List<Migration> steps,
                                                 Direction direction, AppliedState state, int attempt)
            throws SQLException {
        String schema = history.schema();
        boolean last = attempt >= config.ddlLockRetries();
        connection.setAutoCommit(false);
        List<Result.Applied> applied = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (attempt > 0) {
            notes.add("the run gave up waiting for a table lock and was run again from its start "
                    + Counts.of(attempt, "time"));
        }
        try (LockWaitWatch watch = last ? LockWaitWatch.start(dialect, config.connections(), connection) : null) {
            ensureSchemaAndHistory(connection, history, state);
            for (Migration migration : steps) {
                long started = System.nanoTime();
                if (!transactional(migration, direction)) {
                    notes.add(migration.id() + " was not executed: it runs outside a transaction ("
                            + "-- gearshift:no-transaction), which a dry run cannot roll back");
                    applied.add(new Result.Applied(migration.module(), migration.version(), migration.name(),
                            Duration.ZERO, false));
                    continue;
                }
                try {
                    runMigration(connection, migration, direction, schema, Optional.empty());
                } catch (StatementFailure failure) {
                    rollbackQuietly(connection, history);
                    boolean lockWait = failure.lockTimedOut(dialect);
                    if (lockWait && !last) {
                        return Optional.empty();
                    }
                    throw failure.toException(dialect, migration, (config.dryRun()
                            ? "This was a dry run: everything was rolled back."
                            : "The whole run was one transaction and was rolled back: nothing of it remains.")
                            + (lockWait ? " It gave up waiting for a lock " + Counts.of(attempt + 1, "time") + "."
                                    + blockedBy(watch) : ""));
                }
                history.append(connection, entry(migration, direction, HistoryEntry.SUCCESS, null, started));
                applied.add(new Result.Applied(migration.module(), migration.version(), migration.name(),
                        Duration.ofNanos(System.nanoTime() - started), true));
            }
            if (config.dryRun()) {
                connection.rollback();
                history.rolledBack();
            } else {
                connection.commit();
                history.committed();
            }
        } catch (HistoryTable.ConcurrentWriter e) {
            rollbackQuietly(connection, history);
            throw interrupted(e, steps.get(applied.size()), schema, "the whole run was one transaction and was"
                    + " rolled back: nothing of it remains");
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, history);
            throw e;
        } finally {
            restoreAutoCommit(connection);
        }
        return Optional.of(new Result(direction, config.dryRun(), applied, notes));
    }

    private void runMigration(Connection connection, Migration migration, Direction direction, String schema,
                              Optional<String> preamble) throws StatementFailure, SQLException {
        if (migration.isJava()) {
            JavaMigration code = javaOf(migration);
            MigrationContext context = new MigrationContext(connection, schema, migration.module(), migration.version(),
                    config.placeholders());
            try {
                if (direction == Direction.UP) {
                    code.up(context);
                } else {
                    code.down(context);
                }
            } catch (Exception e) {
                throw new StatementFailure(migration.location(), null, e);
            }
            return;
        }
        Script script = direction == Direction.UP ? migration.up().orElseThrow() : migration.down().orElseThrow();
        Map<String, String> previous = new HashMap<>();
        boolean local = !connection.getAutoCommit();
        for (Map.Entry<String, String> setting : script.directives().settings().entrySet()) {
            previous.put(setting.getKey(), dialect.currentSetting(connection, setting.getKey()));
            dialect.setSessionSetting(connection, setting.getKey(), setting.getValue(), local);
        }
        if (direction == Direction.UP && config.verifyAfterUp() && migration.verify().isPresent()) {
            runScripts(connection, migration, preamble, script, migration.verify().get());
        } else {
            runScripts(connection, migration, preamble, script);
        }
        for (Map.Entry<String, String> setting : previous.entrySet()) {
            dialect.setSessionSetting(connection, setting.getKey(), setting.getValue(), local);
        }
    }

    /**
     * Runs scripts' statements through the dialect in one go (inside a transaction, one round trip where the
     * dialect can), after {@code preamble}; a failure is reported at its statement's line in its own script.
     */
    private void runScripts(Connection connection, Migration migration, Optional<String> preamble, Script... scripts)
            throws StatementFailure {
        List<SqlStatement> statements = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        preamble.ifPresent(sql -> {
            statements.add(new SqlStatement(sql, 1, 1));
            locations.add(migration.location());
        });
        for (Script script : scripts) {
            for (SqlStatement statement : script.statements()) {
                statements.add(Placeholders.apply(statement, config.placeholders()));
                locations.add(script.location());
            }
        }
        try {
            dialect.executeAll(connection, statements);
        } catch (FailedStatementException e) {
            int index = e.index();
            boolean known = index >= (preamble.isPresent() ? 1 : 0);
            throw new StatementFailure(known ? locations.get(index) : migration.location(),
                    known ? statements.get(index) : null, e.error());
        }
    }

    // ---------------------------------------------------------------- plumbing

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
            String sql = script.map(s -> Placeholders.apply(s.text(), config.placeholders())).orElse(null);
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

    /** Before the first write: nothing to do once the history has rows (its table exists). */
    private void ensureSchemaAndHistory(Connection connection, HistoryTable history, AppliedState state)
            throws SQLException {
        if (state.recorded()) {
            return;
        }
        if (!dialect.schemaExists(connection, history.schema())) {
            dialect.createSchema(connection, history.schema());
        }
        history.create(connection);
    }

    private HistoryTable history(String schema) {
        return new HistoryTable(dialect, schema, config.historyTable());
    }

    private List<HistoryEntry> readHistory(Connection connection, String schema) throws SQLException {
        return history(schema).read(connection);
    }

    private String schema(Connection connection) throws SQLException {
        return config.schema().isPresent() ? config.schema().get() : dialect.defaultSchema(connection);
    }

    /**
     * Readies a session to migrate through. {@code boundLockWait}: statements give up waiting for a table lock
     * after the configured DDL lock wait, unless the run's own settings say otherwise (a script's directive, set
     * later, wins too). Only the transactional migrations' session gets it: they can be rolled back and run again,
     * while a no-transaction script cut off half-way (an index build) leaves its work half done.
     */
    private void prepareSession(Connection connection, String schema, boolean boundLockWait) throws SQLException {
        dialect.useSchema(connection, schema);
        dialect.prepareMigrationSession(connection);
        if (boundLockWait && !config.ddlLockWait().isZero()) {
            Optional<Map.Entry<String, String>> bound = dialect.lockWaitSetting(config.ddlLockWait());
            if (bound.isPresent() && !config.settings().containsKey(bound.get().getKey())) {
                dialect.setSessionSetting(connection, bound.get().getKey(), bound.get().getValue(), false);
            }
        }
        for (Map.Entry<String, String> setting : config.settings().entrySet()) {
            dialect.setSessionSetting(connection, setting.getKey(), setting.getValue(), false);
        }
    }

    private HistoryEntry entry(Migration migration, Direction direction, String outcome, String error, long started) {
        return entry(migration.module(), migration.version(), migration.name(), migration.kind(), direction.id(),
                migration.checksum(), outcome, error, Duration.ofNanos(System.nanoTime() - started));
    }

    private HistoryEntry entry(String module, Optional<Version> version, String name, String kind, String action, String checksum,
                               String outcome, String error, Duration duration) {
        return new HistoryEntry(0, module, version, name, kind, action, checksum, outcome, error, null, null,
                duration, config.toolVersion());
    }

    private void recordQuietly(Connection connection, HistoryTable history, HistoryEntry entry) {
        try {
            if (connection.isValid(5)) {
                connection.setAutoCommit(true);
                history.append(connection, entry);
            }
        } catch (SQLException ignored) {
            // The failure being reported matters more than its history row; the connection may be gone.
        }
    }

    /**
     * Back to autocommit after a migration's transaction, unless the connection is gone (server restarted,
     * network lost): then the failure already on its way says what happened, and must not be replaced by
     * "this connection has been closed".
     */
    private static void restoreAutoCommit(Connection connection) throws SQLException {
        if (!connection.isClosed()) {
            connection.setAutoCommit(true);
        }
    }

    private static void rollbackQuietly(Connection connection, HistoryTable history) {
        history.rolledBack();
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // Nothing more can be done; closing the connection discards the transaction.
        }
    }

    @FunctionalInterface
    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface LockedWork<T> {
        T run(Connection connection, HistoryTable history, AppliedState state) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        try (Connection connection = config.connections().connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    /**
     * Takes the lock on the session that then does the work, and reads the history once the lock is held. Lock
     * and work share one session so that a session that dies takes both with it: nothing of this run can commit
     * after its lock is gone. The history's fence ({@link HistoryTable}) covers the rest: a no-transaction
     * migration's own session, and a lock released behind the engine's back.
     */
    private <T> T underLock(LockedWork<T> work) {
        try (Connection connection = config.connections().connect()) {
            String schema = schema(connection);
            try (AutoCloseable lock = dialect.lockExclusive(connection, schema, config.migratorWait(),
                    config.waitForGuards())) {
                if (!config.createSchema() && !dialect.schemaExists(connection, schema)) {
                    throw new GearshiftException(ErrorCode.USAGE, "schema " + schema + " does not exist in "
                            + config.connections().display() + "; create it, or pass --create-schema");
                }
                prepareSession(connection, schema, true);
                HistoryTable history = history(schema);
                AppliedState state = new AppliedState(history.read(connection));
                if (history.needsUpgrade()) {
                    history.create(connection);
                }
                return work.run(connection, history, state);
            }
        } catch (SQLException e) {
            throw databaseFailure(e);
        } catch (GearshiftException e) {
            throw e;
        } catch (Exception e) {
            throw new GearshiftException(ErrorCode.INTERNAL, "unexpected failure: " + e, e);
        }
    }

    private GearshiftException databaseFailure(SQLException e) {
        if (dialect.isConnectionLost(e) || e.getSQLState() != null && e.getSQLState().startsWith("28")) {
            return Connections.failure(config.connections(), e);
        }
        return new GearshiftException(ErrorCode.MIGRATION_FAILED, "database error: " + dialect.describe(e), e);
    }
}
