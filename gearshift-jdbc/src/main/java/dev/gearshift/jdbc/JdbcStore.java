package dev.gearshift.jdbc;

import dev.gearshift.Direction;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Guard;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import dev.gearshift.spi.ApplyFailure;
import dev.gearshift.spi.Capability;
import dev.gearshift.spi.Change;
import dev.gearshift.spi.LockedStore;
import dev.gearshift.spi.SqlStatement;
import dev.gearshift.spi.Store;
import dev.gearshift.spi.StoreProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A SQL database as a {@link Store}: one schema of it, reached through JDBC. Transactions, the history table and
 * the reading of failures live here once; what differs between databases is its {@link Dialect}.
 */
final class JdbcStore implements Store {

    private final Dialect dialect;
    private final Set<Capability> capabilities;
    private final Connections connections;
    private final Optional<String> schema;
    private final StoreProvider.Options options;

    JdbcStore(Dialect dialect, Set<Capability> capabilities, Connections connections, Optional<String> schema,
              StoreProvider.Options options) {
        this.dialect = dialect;
        this.capabilities = Set.copyOf(capabilities);
        this.connections = connections;
        this.schema = schema;
        this.options = options;
    }

    @Override
    public String display() {
        return connections.display();
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public History read() {
        return withConnection(connection -> {
            String name = schema(connection);
            return new History(name, history(name).read(connection));
        });
    }

    @Override
    public java.util.OptionalLong readMajor(String table) {
        return withConnection(connection -> {
            String name = schema(connection);
            try (java.sql.ResultSet tables = connection.getMetaData().getTables(null, name, table, null)) {
                if (!tables.next()) {
                    // Lily's rule: without the table, a database that has tables is at major 0
                    try (java.sql.ResultSet any = connection.getMetaData().getTables(null, name, "%",
                            new String[] {"TABLE"})) {
                        while (any.next()) {
                            if (!any.getString("TABLE_NAME").equals(options.historyTable())) {
                                return java.util.OptionalLong.of(0);
                            }
                        }
                    }
                    return java.util.OptionalLong.empty();
                }
            }
            try (java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet row = statement.executeQuery("SELECT * FROM " + dialect.quote(name) + "."
                         + dialect.quote(table))) {
                return row.next() ? java.util.OptionalLong.of(row.getLong(1)) : java.util.OptionalLong.empty();
            }
        });
    }

    @Override
    public Map<String, List<HistoryEntry>> readMany(List<String> schemas) {
        return withConnection(connection -> HistoryTable.readMany(connection, dialect, options.historyTable(), schemas));
    }

    @Override
    public Optional<Session> session() {
        return Optional.of(withConnection(connection -> new Session(dialect.currentUser(connection),
                connection.getCatalog(), schema(connection))));
    }

    @Override
    public Optional<List<List<String>>> readForeign(String table, List<String> columns, String orderBy) {
        return withConnection(connection -> {
            // schema.table: a registry of its own (Sqitch's sqitch.changes); else the target's schema
            int dot = table.indexOf('.');
            String schemaName = dot > 0 ? table.substring(0, dot) : schema(connection);
            Optional<String> found = foreignTable(connection, schemaName, dot > 0 ? table.substring(dot + 1) : table);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            String sql = "SELECT " + String.join(", ", columns.stream().map(dialect::quote).toList()) + " FROM "
                    + dialect.quote(schemaName) + "." + dialect.quote(found.get()) + " ORDER BY " + dialect.quote(orderBy);
            List<List<String>> rows = new ArrayList<>();
            try (java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(result.getString(i));
                    }
                    rows.add(java.util.Collections.unmodifiableList(row));
                }
            }
            return Optional.of(List.copyOf(rows));
        });
    }

    /** By the driver's metadata, as the table is spelled in the database (Liquibase's is upper or lower case). */
    private static Optional<String> foreignTable(Connection connection, String schemaName, String table)
            throws SQLException {
        java.sql.DatabaseMetaData meta = connection.getMetaData();
        for (String name : List.of(table, table.toLowerCase(java.util.Locale.ROOT), table.toUpperCase(java.util.Locale.ROOT))) {
            try (java.sql.ResultSet tables = meta.getTables(null, schemaName, name, null)) {
                if (tables.next()) {
                    return Optional.of(name);
                }
            }
            try (java.sql.ResultSet tables = meta.getTables(schemaName, null, name, null)) {
                if (tables.next()) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Optional<String>> runAndRollBack(List<Change> changes) {
        return withConnection(connection -> {
            dialect.useSchema(connection, schema(connection));
            connection.setAutoCommit(false);
            List<Optional<String>> outcomes = new ArrayList<>();
            for (Change change : changes) {
                Optional<String> outcome = Optional.empty();
                try {
                    runScripts(connection, change, Optional.empty());
                } catch (StatementFailure failure) {
                    outcome = Optional.of(failure.describe(dialect));
                }
                connection.rollback();
                outcomes.add(outcome);
            }
            return outcomes;
        });
    }

    @Override
    public LockedStore lock(Duration migratorWait, boolean waitForGuards) {
        return lock(migratorWait, waitForGuards, null);
    }

    @Override
    public LockedStore lockForPatches(Duration migratorWait, boolean waitForGuards, long major) {
        return lock(migratorWait, waitForGuards, major);
    }

    private LockedStore lock(Duration migratorWait, boolean waitForGuards, Long patchesOf) {
        Connection connection = connections.connect();
        try {
            String name = schema(connection);
            AutoCloseable lock = patchesOf == null
                    ? dialect.locks().lockExclusive(connection, name, migratorWait, waitForGuards)
                    : dialect.locks().lockForPatches(connection, name, migratorWait, waitForGuards, patchesOf);
            try {
                prepareSession(connection, name, true);
                HistoryTable history = history(name);
                List<HistoryEntry> rows = history.read(connection);
                if (history.needsUpgrade()) {
                    history.create(connection);
                }
                return new Locked(connection, lock, history, new History(name, rows));
            } catch (SQLException | RuntimeException e) {
                closeQuietly(lock);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e instanceof SQLException sql ? failure(sql) : (RuntimeException) e;
        }
    }

    @Override
    public Guard guard() {
        return guard(null);
    }

    @Override
    public Guard guard(long major) {
        return guard(Long.valueOf(major));
    }

    private Guard guard(Long major) {
        Connection connection = connections.connect();
        try {
            return major == null ? dialect.locks().lockShared(connection, schema(connection))
                    : dialect.locks().lockShared(connection, schema(connection), major);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e instanceof GearshiftException g ? g
                    : new GearshiftException(ErrorCode.CONNECTION, "cannot take the shared lock: " + e.getMessage(), e);
        }
    }

    /** The store while this run holds the lock, on the session that holds it. */
    private final class Locked implements LockedStore {
        private final Connection connection;
        private final AutoCloseable lock;
        private final HistoryTable history;
        private final History read;

        Locked(Connection connection, AutoCloseable lock, HistoryTable history, History read) {
            this.connection = connection;
            this.lock = lock;
            this.history = history;
            this.read = read;
        }

        @Override
        public History history() {
            return read;
        }

        @Override
        public boolean schemaExists() {
            return call(() -> dialect.schemaExists(connection, history.schema()));
        }

        @Override
        public void prepare() {
            call(() -> {
                ensureSchemaAndHistory();
                return null;
            });
        }

        private void ensureSchemaAndHistory() throws SQLException {
            if (!dialect.schemaExists(connection, history.schema())) {
                dialect.createSchema(connection, history.schema());
            }
            history.create(connection);
        }

        @Override
        public void apply(Change change, boolean flushLater, boolean watchLocks) throws ApplyFailure {
            long started = System.nanoTime();
            Optional<String> preamble = flushLater ? dialect.deferredFlush() : Optional.empty();
            boolean[] commitSent = {false};
            try (LockWaitWatch watch = watchLocks ? LockWaitWatch.start(dialect, connections, connection) : null) {
                try {
                    transaction(() -> {
                        runChange(connection, change, preamble);
                        history.append(connection, change.entry(HistoryEntry.SUCCESS, null, elapsed(started)));
                        commitSent[0] = true;
                        connection.commit();
                        history.committed();
                    });
                } catch (StatementFailure failure) {
                    throw failure.toApplyFailure(dialect, blockers(watch));
                }
            } catch (SQLException e) {
                throw interrupted(e, change, commitSent[0]);
            }
        }

        @Override
        public void applyOutsideTransaction(Change change) throws ApplyFailure {
            try {
                // Its own connection, so session settings from its directives end with it.
                try (Connection own = connections.open()) {
                    prepareSession(own, history.schema(), false);
                    runChange(own, change, Optional.empty());
                }
            } catch (StatementFailure failure) {
                throw failure.toApplyFailure(dialect, List.of());
            } catch (SQLException e) {
                throw interrupted(e, change, false);
            }
        }

        @Override
        public void applyAll(List<Change> changes, boolean prepare, boolean commit, boolean watchLocks,
                             Consumer<Change> applied) throws ApplyFailure {
            Change[] current = {null};
            try (LockWaitWatch watch = watchLocks ? LockWaitWatch.start(dialect, connections, connection) : null) {
                try {
                    transaction(() -> {
                        if (prepare) {
                            ensureSchemaAndHistory();
                        }
                        for (Change change : changes) {
                            current[0] = change;
                            long started = System.nanoTime();
                            runChange(connection, change, Optional.empty());
                            history.append(connection, change.entry(HistoryEntry.SUCCESS, null, elapsed(started)));
                            applied.accept(change);
                        }
                        if (commit) {
                            connection.commit();
                            history.committed();
                        } else {
                            rollbackQuietly();
                        }
                    });
                } catch (StatementFailure failure) {
                    throw failure.toApplyFailure(dialect, blockers(watch));
                }
            } catch (SQLException e) {
                throw interrupted(e, current[0], false);
            }
        }

        @Override
        public void record(List<HistoryEntry> entries) throws ApplyFailure {
            try {
                if (entries.size() == 1) {
                    connection.setAutoCommit(true);
                    history.append(connection, entries.get(0));
                    return;
                }
                this.<RuntimeException>transaction(() -> {
                    for (HistoryEntry entry : entries) {
                        history.append(connection, entry);
                    }
                    connection.commit();
                    history.committed();
                });
            } catch (SQLException e) {
                throw interrupted(e, null, false);
            }
        }

        /**
         * Runs {@code work} in a transaction on the locked session. On any failure it rolls back first, so that
         * nothing of the work remains and going back to autocommit cannot commit half of it.
         */
        private <E extends Exception> void transaction(TransactionWork<E> work) throws SQLException, E {
            connection.setAutoCommit(false);
            try {
                work.run();
            } catch (Exception e) {
                rollbackQuietly();
                throw e;
            } finally {
                restoreAutoCommit(connection);
            }
        }

        @Override
        public List<String> leftovers() {
            return call(() -> dialect.schemaExists(connection, history.schema())
                    ? dialect.invalidIndexes(connection, history.schema()) : List.of());
        }

        @Override
        public void dropLeftover(String name) {
            call(() -> {
                dialect.dropIndex(connection, history.schema(), name);
                return null;
            });
        }

        @Override
        public void backup(Path file) {
            Backup tool = dialect.backup().orElseThrow(() -> new GearshiftException(ErrorCode.USAGE,
                    dialect.name() + " has no backup tool"));
            if (call(() -> dialect.schemaExists(connection, history.schema()))) {
                tool.backup(connections.target().orElseThrow(() -> new GearshiftException(ErrorCode.USAGE,
                        "a backup needs a URL, not a DataSource")), history.schema(), file);
            }
        }

        @Override
        public void close() {
            closeQuietly(lock);
            closeQuietly(connection);
        }

        private void rollbackQuietly() {
            history.rolledBack();
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // Nothing more can be done; closing the connection discards the transaction.
            }
        }

        private <T> T call(SqlWork<T> work) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw failure(e);
            }
        }
    }

    // ---------------------------------------------------------------- running a change

    private void runChange(Connection connection, Change change, Optional<String> preamble)
            throws StatementFailure, SQLException {
        if (change.code().isPresent()) {
            JavaMigration code = change.code().get();
            MigrationContext context = new MigrationContext(connection, schema(connection), change.module(),
                    change.version(), change.placeholders());
            try {
                if (change.direction() == Direction.UP) {
                    code.up(context);
                } else {
                    code.down(context);
                }
            } catch (Exception e) {
                throw new StatementFailure(change.location(), null, e);
            }
            return;
        }
        Map<String, String> settings = change.settings();
        Map<String, String> previous = new HashMap<>();
        boolean local = !connection.getAutoCommit();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            previous.put(setting.getKey(), dialect.currentSetting(connection, setting.getKey()));
            dialect.setSessionSetting(connection, setting.getKey(), setting.getValue(), local);
        }
        runScripts(connection, change, preamble);
        for (Map.Entry<String, String> setting : previous.entrySet()) {
            dialect.setSessionSetting(connection, setting.getKey(), setting.getValue(), local);
        }
    }

    /**
     * Runs a change's statements through the dialect in one go (inside a transaction, one round trip where the
     * dialect can), after {@code preamble}; a failure is reported at its statement's line in its own script.
     */
    private void runScripts(Connection connection, Change change, Optional<String> preamble) throws StatementFailure {
        List<SqlStatement> statements = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        preamble.ifPresent(sql -> {
            statements.add(new SqlStatement(sql, 1, 1));
            locations.add(change.location());
        });
        for (Change.Script script : change.scripts()) {
            for (SqlStatement statement : script.statements()) {
                statements.add(statement);
                locations.add(script.location());
            }
        }
        try {
            dialect.executeAll(connection, statements);
        } catch (FailedStatementException e) {
            int index = e.index();
            boolean known = index >= (preamble.isPresent() ? 1 : 0);
            throw new StatementFailure(known ? locations.get(index) : change.location(),
                    known ? statements.get(index) : null, e.error());
        }
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Readies a session to migrate through. {@code boundLockWait}: statements give up waiting for a table lock
     * after the configured DDL lock wait, unless the run's own settings say otherwise (a script's directive, set
     * later, wins too). Only the transactional migrations' session gets it: they can be rolled back and run again,
     * while a no-transaction script cut off half-way (an index build) leaves its work half done.
     */
    private void prepareSession(Connection connection, String schema, boolean boundLockWait) throws SQLException {
        dialect.useSchema(connection, schema);
        dialect.prepareMigrationSession(connection);
        if (boundLockWait && !options.ddlLockWait().isZero()) {
            Optional<Map.Entry<String, String>> bound = dialect.locks().lockWaitSetting(options.ddlLockWait());
            if (bound.isPresent() && !options.settings().containsKey(bound.get().getKey())) {
                dialect.setSessionSetting(connection, bound.get().getKey(), bound.get().getValue(), false);
            }
        }
        for (Map.Entry<String, String> setting : options.settings().entrySet()) {
            dialect.setSessionSetting(connection, setting.getKey(), setting.getValue(), false);
        }
    }

    private String schema(Connection connection) throws SQLException {
        return schema.isPresent() ? schema.get() : dialect.defaultSchema(connection);
    }

    private HistoryTable history(String schemaName) {
        return new HistoryTable(dialect, schemaName, options.historyTable());
    }

    /**
     * A write stopped by losing its session or its place in the history (the lock went with either), or any other
     * database error, as the engine is told.
     */
    private ApplyFailure interrupted(SQLException e, Change change, boolean commitSent) {
        String where = change == null ? display() : change.location();
        if (e instanceof HistoryTable.ConcurrentWriter) {
            return new ApplyFailure(ApplyFailure.Kind.CONCURRENT_WRITER, where, dialect.describe(e), e);
        }
        if (dialect.isConnectionLost(e)) {
            return new ApplyFailure(commitSent ? ApplyFailure.Kind.COMMIT_UNANSWERED
                    : ApplyFailure.Kind.CONNECTION_LOST, where, dialect.describe(e), e);
        }
        return new ApplyFailure(ApplyFailure.Kind.STATEMENT, where, dialect.describe(e), e);
    }

    private static List<String> blockers(LockWaitWatch watch) {
        return watch == null ? List.of() : watch.blockers();
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Back to autocommit after a transaction, unless the connection is gone (server restarted, network lost): then
     * the failure already on its way says what happened, and must not be replaced by "this connection has been
     * closed".
     */
    private static void restoreAutoCommit(Connection connection) throws SQLException {
        if (!connection.isClosed()) {
            connection.setAutoCommit(true);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // releasing: the session's end releases what is left
        }
    }

    @FunctionalInterface
    private interface TransactionWork<E extends Exception> {
        void run() throws SQLException, E;
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        try (Connection connection = connections.connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private GearshiftException failure(SQLException e) {
        if (dialect.isConnectionLost(e) || dialect.isLoginRefused(e)) {
            return Connections.failure(connections, e);
        }
        return new GearshiftException(ErrorCode.MIGRATION_FAILED, "database error: " + dialect.describe(e), e);
    }
}
