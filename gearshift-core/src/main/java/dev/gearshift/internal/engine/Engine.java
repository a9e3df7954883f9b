package dev.gearshift.internal.engine;

import dev.gearshift.Direction;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import dev.gearshift.Plan;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
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
            AppliedState state = new AppliedState(readHistory(connection, schema));
            return new Status(schema, planner.status(state), planner.problems(state));
        });
    }

    /** Status computed from history rows read elsewhere (a fleet reads many schemas' rows in one query). */
    public Status statusFrom(String schema, List<HistoryEntry> history) {
        AppliedState state = new AppliedState(history);
        return new Status(schema, planner.status(state), planner.problems(state));
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

    public Status validate() {
        Status status = status();
        if (!status.problems().isEmpty()) {
            throw GearshiftException.invalid(status.problems());
        }
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
            dialect.useSchema(connection, schema);
            connection.setAutoCommit(false);
            List<Verification.Check> checks = new ArrayList<>();
            for (Module module : config.migrations().modules()) {
                for (Migration migration : module.migrations()) {
                    if (migration.verify().isEmpty() || !state.isApplied(module.name(), migration.version())) {
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
        return underLock((connection, schema, state) -> {
            requireValid(planner.problems(state));
            List<Migration> steps = prepare(planner.plan(direction, target, state), direction);
            if (steps.isEmpty()) {
                return new Result(direction, config.dryRun(), List.of(), List.of());
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
            return oneTransaction
                    ? runInOneTransaction(connection, schema, steps, direction, state)
                    : runEach(connection, schema, steps, direction, state);
        });
    }

    /** Adopts an existing database: versions up to {@code version} count as applied without running. */
    public List<String> baseline(Optional<String> module, long version) {
        if (version < 1) {
            throw new GearshiftException(ErrorCode.USAGE, "the baseline version must be positive");
        }
        module.ifPresent(planner::requireModule);
        return underLock((connection, schema, state) -> {
            List<String> modules = module.map(List::of).orElseGet(() ->
                    config.migrations().modules().stream().map(Module::name).toList());
            List<String> alreadyMigrated = modules.stream().filter(m -> !state.of(m).isEmpty()).toList();
            if (!alreadyMigrated.isEmpty()) {
                throw new GearshiftException(ErrorCode.USAGE, "cannot baseline " + alreadyMigrated + ": they already"
                        + " have history in " + schema + "; baseline only adopts a database Gearshift has not migrated");
            }
            ensureSchemaAndHistory(connection, schema, state);
            for (String name : modules) {
                history(schema).append(connection, entry(name, version, "baseline", "baseline", "baseline", null,
                        HistoryEntry.SUCCESS, null, Duration.ZERO));
            }
            return modules;
        });
    }

    /** Clears failed migrations so the next {@code up} runs them again; returns their ids. */
    public List<String> repair() {
        return underLock((connection, schema, state) -> {
            List<String> repaired = new ArrayList<>();
            for (AppliedState.Version failed : state.failed()) {
                history(schema).append(connection, entry(failed.module(), failed.version(), failed.name(), "sql",
                        "repair", failed.checksum(), HistoryEntry.SUCCESS, null, Duration.ZERO));
                repaired.add(failed.module() + "/" + failed.version() + "_" + failed.name());
            }
            return repaired;
        });
    }

    // ---------------------------------------------------------------- execution

    private Result runEach(Connection connection, String schema, List<Migration> steps, Direction direction,
                           AppliedState state) throws SQLException {
        ensureSchemaAndHistory(connection, schema, state);
        List<Result.Applied> applied = new ArrayList<>();
        try {
            runSteps(connection, schema, steps, direction, applied);
        } catch (GearshiftException e) {
            throw committedBefore(e, applied);
        } catch (SQLException e) {
            throw committedBefore(databaseFailure(e), applied);
        }
        return new Result(direction, false, applied, List.of());
    }

    /** Each migration commits on its own: what committed before a failure stays, and the failure carries it. */
    private static GearshiftException committedBefore(GearshiftException failure, List<Result.Applied> applied) {
        if (applied.isEmpty()) {
            return failure;
        }
        GearshiftException carrying = new GearshiftException(failure.code(), failure.getMessage(), failure.problems(),
                applied, failure.getCause());
        carrying.setStackTrace(failure.getStackTrace());
        return carrying;
    }

    private void runSteps(Connection connection, String schema, List<Migration> steps, Direction direction,
                          List<Result.Applied> applied) throws SQLException {
        for (int step = 0; step < steps.size(); step++) {
            Migration migration = steps.get(step);
            long started = System.nanoTime();
            if (transactional(migration, direction)) {
                connection.setAutoCommit(false);
                boolean committed = false;
                try {
                    // Only the run's last write waits for the disk; see Dialect.deferredFlush.
                    runMigration(connection, migration, direction, schema,
                            step < steps.size() - 1 ? dialect.deferredFlush() : Optional.empty());
                    history(schema).append(connection, entry(migration, direction, HistoryEntry.SUCCESS, null, started));
                    connection.commit();
                    committed = true;
                } catch (StatementFailure failure) {
                    rollbackQuietly(connection);
                    committed = true; // nothing left to end
                    recordQuietly(connection, schema, entry(migration, direction, HistoryEntry.ROLLED_BACK,
                            failure.describe(dialect), started));
                    throw failure.toException(dialect, migration, "The migration was rolled back: nothing of it"
                            + " remains. Fix it and run the command again.");
                } finally {
                    // Any other failure (history insert, lost connection) must not let setAutoCommit commit half
                    // a migration: roll back first.
                    if (!committed) {
                        rollbackQuietly(connection);
                    }
                    restoreAutoCommit(connection);
                }
            } else {
                // Recorded before it starts: should the run die half-way (kill -9, lost connection), the migration
                // stays marked as unfinished, and later runs refuse until it has been checked and repaired.
                history(schema).append(connection, entry(migration, direction, HistoryEntry.STARTED, null, started));
                // Its own connection, so session settings from its directives end with it.
                try (Connection own = config.connections().connect()) {
                    prepareSession(own, schema);
                    runMigration(own, migration, direction, schema, Optional.empty());
                } catch (StatementFailure failure) {
                    recordQuietly(connection, schema, entry(migration, direction, HistoryEntry.FAILED,
                            failure.describe(dialect), started));
                    throw failure.toException(dialect, migration, "It ran outside a transaction: the statements"
                            + " before the failing one stay applied, and it is recorded as failed. Undo or finish"
                            + " its work by hand, then run `gearshift repair` and run the command again.");
                }
                history(schema).append(connection, entry(migration, direction, HistoryEntry.SUCCESS, null, started));
            }
            applied.add(new Result.Applied(migration.module(), migration.version(), migration.name(),
                    Duration.ofNanos(System.nanoTime() - started), true));
        }
    }

    private Result runInOneTransaction(Connection connection, String schema, List<Migration> steps,
                                       Direction direction, AppliedState state) throws SQLException {
        connection.setAutoCommit(false);
        List<Result.Applied> applied = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            ensureSchemaAndHistory(connection, schema, state);
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
                    rollbackQuietly(connection);
                    throw failure.toException(dialect, migration, config.dryRun()
                            ? "This was a dry run: everything was rolled back."
                            : "The whole run was one transaction and was rolled back: nothing of it remains.");
                }
                history(schema).append(connection, entry(migration, direction, HistoryEntry.SUCCESS, null, started));
                applied.add(new Result.Applied(migration.module(), migration.version(), migration.name(),
                        Duration.ofNanos(System.nanoTime() - started), true));
            }
            if (config.dryRun()) {
                connection.rollback();
            } else {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        } finally {
            restoreAutoCommit(connection);
        }
        return new Result(direction, config.dryRun(), applied, notes);
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
    private void ensureSchemaAndHistory(Connection connection, String schema, AppliedState state) throws SQLException {
        if (state.recorded()) {
            return;
        }
        if (!dialect.schemaExists(connection, schema)) {
            dialect.createSchema(connection, schema);
        }
        history(schema).create(connection);
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

    private void prepareSession(Connection connection, String schema) throws SQLException {
        dialect.useSchema(connection, schema);
        dialect.requireDurableCommits(connection);
        for (Map.Entry<String, String> setting : config.settings().entrySet()) {
            dialect.setSessionSetting(connection, setting.getKey(), setting.getValue(), false);
        }
    }

    private HistoryEntry entry(Migration migration, Direction direction, String outcome, String error, long started) {
        return entry(migration.module(), migration.version(), migration.name(), migration.kind(), direction.id(),
                migration.checksum(), outcome, error, Duration.ofNanos(System.nanoTime() - started));
    }

    private HistoryEntry entry(String module, long version, String name, String kind, String action, String checksum,
                               String outcome, String error, Duration duration) {
        return new HistoryEntry(0, module, version, name, kind, action, checksum, outcome, error, null, null,
                duration, config.toolVersion());
    }

    private void recordQuietly(Connection connection, String schema, HistoryEntry entry) {
        try {
            if (connection.isValid(5)) {
                connection.setAutoCommit(true);
                history(schema).append(connection, entry);
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

    private static void rollbackQuietly(Connection connection) {
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
        T run(Connection connection, String schema, AppliedState state) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        try (Connection connection = config.connections().connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw databaseFailure(e);
        }
    }

    /**
     * Takes the lock on a connection of its own, then works on a second connection: the lock outlives any
     * transaction of the work. The history is read only once the lock is held.
     */
    private <T> T underLock(LockedWork<T> work) {
        try (Connection lockConnection = config.connections().connect()) {
            String schema = schema(lockConnection);
            try (AutoCloseable lock = dialect.lockExclusive(lockConnection, schema, config.lockTimeout(),
                    config.waitForGuards());
                 Connection connection = config.connections().connect()) {
                if (!config.createSchema() && !dialect.schemaExists(connection, schema)) {
                    throw new GearshiftException(ErrorCode.USAGE, "schema " + schema + " does not exist in "
                            + config.connections().display() + "; create it, or pass --create-schema");
                }
                prepareSession(connection, schema);
                return work.run(connection, schema, new AppliedState(readHistory(connection, schema)));
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
        if (e.getSQLState() != null && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("28")
                || e.getSQLState().equals("57P01"))) {
            return Connections.failure(config.connections(), e);
        }
        return new GearshiftException(ErrorCode.MIGRATION_FAILED, "database error: " + dialect.describe(e), e);
    }
}
