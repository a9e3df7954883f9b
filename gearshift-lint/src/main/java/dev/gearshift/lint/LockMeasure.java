package dev.gearshift.lint;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.diff.SchemaModel;
import dev.gearshift.jdbc.JdbcStoreProvider;
import dev.gearshift.jdbc.JdbcTarget;
import dev.gearshift.lint.MeasureReport.Lock;
import dev.gearshift.lint.MeasureReport.Measured;
import dev.gearshift.postgres.PgScriptParser;
import dev.gearshift.spi.SqlStatement;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs pending migrations on a throwaway database built from the target's schema (by the diff engine) and filled
 * with generated rows as many as the target's statistics say (or a fixed number), and reports what each statement
 * locked, whether it rewrote a table, and for how long. The target is only read: its catalog and statistics.
 *
 * <p>Locks are read from the migration session's own pg_locks rows after each statement and before the commit,
 * since a relation lock is held to the end of its transaction; a second session polls the same rows while a
 * statement runs, which is the only way to see the locks of a statement that runs outside a transaction (CREATE
 * INDEX CONCURRENTLY, say). A relation whose relfilenode changed was rewritten.
 */
public final class LockMeasure {

    private static final PgScriptParser PARSER = new PgScriptParser();
    private static final String LOCKS = "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            + " WHERE l.locktype = 'relation' AND l.pid = ? AND l.granted AND c.relnamespace = ?::regnamespace";

    private LockMeasure() {
    }

    /**
     * @param rows   rows per table, or null to follow the target's statistics
     * @param devUrl a server of your own for the throwaway database, or null for an embedded PostgreSQL
     * @throws GearshiftException ({@code CONNECTION}) when the target cannot be read or the shadow not made;
     *                            ({@code MIGRATION_FAILED}) when a statement fails on the shadow, naming it
     */
    public static MeasureReport measure(String targetUrl, String user, String password, String schema,
                                        List<LintScript> pending, Long rows, String devUrl) {
        SchemaModel model = SchemaModel.read(targetUrl, user, password, schema);
        Map<String, Long> sizes = rows != null ? Map.of() : targetSizes(targetUrl, user, password, schema);
        if (devUrl != null) {
            JdbcTarget server = JdbcStoreProvider.resolve(devUrl, null, null);
            return onServer(server.jdbcUrl(), server.properties(), model.ddl(), schema, sizes, rows, pending);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder().setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot start the embedded PostgreSQL for the shadow"
                    + " database: " + e.getMessage() + "; give --dev-url", e);
        }
        try {
            Properties login = new Properties();
            login.setProperty("user", "postgres");
            return onServer(postgres.getJdbcUrl("postgres", "postgres"), login, model.ddl(), schema, sizes, rows,
                    pending);
        } finally {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // stopped by its shutdown hook at exit anyway
            }
        }
    }

    /** Row counts from the planner's statistics: reltuples, or the live tuples counted since, whichever is more. */
    private static Map<String, Long> targetSizes(String url, String user, String password, String schema) {
        JdbcTarget target = JdbcStoreProvider.resolve(url, user, password);
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.properties());
             PreparedStatement s = c.prepareStatement("SELECT c.relname, GREATEST(c.reltuples::bigint,"
                     + " COALESCE(st.n_live_tup, 0), 0) FROM pg_class c LEFT JOIN pg_stat_user_tables st"
                     + " ON st.relid = c.oid WHERE c.relkind IN ('r', 'p') AND c.relnamespace = ?::regnamespace")) {
            c.setReadOnly(true);
            s.setString(1, quoteIdent(schema));
            Map<String, Long> sizes = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    sizes.put(r.getString(1), r.getLong(2));
                }
            }
            return sizes;
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot read the target's statistics: "
                    + e.getMessage(), e);
        }
    }

    /** Builds, fills and migrates a throwaway database on a server; drops it afterwards, whatever happened. */
    static MeasureReport onServer(String serverJdbcUrl, Properties login, String ddl, String schema,
                                  Map<String, Long> sizes, Long rows, List<LintScript> pending) {
        String database = "gearshift_measure_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(serverJdbcUrl, login)) {
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
            try {
                String url = withDatabase(serverJdbcUrl, database);
                return inDatabase(url, login, ddl, schema, sizes, rows, pending);
            } finally {
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot create the shadow database for lint --measure: "
                    + e.getMessage(), e);
        }
    }

    private static MeasureReport inDatabase(String url, Properties login, String ddl, String schema,
                                            Map<String, Long> sizes, Long rows, List<LintScript> pending)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(url, login); Connection watcher =
                DriverManager.getConnection(url, login)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdent(schema));
                s.execute("SET search_path TO " + quoteIdent(schema) + ", public");
            }
            for (SqlStatement statement : PARSER.split(ddl, "<target schema>")) {
                try (Statement s = c.createStatement()) {
                    s.execute(statement.sql());
                }
            }
            Map<String, Long> filled = new LinkedHashMap<>();
            Map<String, String> notFilled = new LinkedHashMap<>();
            RowGenerator.fill(c, schema, rows, sizes, filled, notFilled);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            int pid;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                pid = r.getInt(1);
            }
            List<Measured> measured = new ArrayList<>();
            for (LintScript script : pending) {
                measured.addAll(run(c, watcher, pid, schema, script));
            }
            return new MeasureReport(measured, filled, notFilled);
        }
    }

    private static List<Measured> run(Connection c, Connection watcher, int pid, String schema, LintScript script)
            throws SQLException {
        List<SqlStatement> statements = PARSER.split(script.sql(), script.file());
        c.setAutoCommit(!script.transactional());
        List<long[]> starts = new ArrayList<>();
        List<Measured> out = new ArrayList<>();
        Set<Lock> heldBefore = new LinkedHashSet<>();
        try {
            for (SqlStatement statement : statements) {
                if (PARSER.isTransactionControl(statement) || statement.isCopyFromStdin()) {
                    continue;
                }
                Map<Long, Object[]> before = relfilenodes(c, schema);
                Set<Lock> seen = ConcurrentHashMap.newKeySet();
                AtomicBoolean running = new AtomicBoolean(true);
                Thread poller = new Thread(() -> poll(watcher, pid, schema, seen, running), "lint-measure-locks");
                poller.setDaemon(true);
                poller.start();
                long start = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute(statement.sql());
                } catch (SQLException e) {
                    throw new GearshiftException(ErrorCode.MIGRATION_FAILED, script.file() + ":" + statement.line()
                            + ":" + statement.column() + ": failed on the shadow database: " + e.getMessage(), e);
                } finally {
                    running.set(false);
                    try {
                        poller.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                long end = System.nanoTime();
                Set<Lock> locks = new LinkedHashSet<>(seen);
                locks.removeAll(heldBefore); // taken by an earlier statement of the same transaction
                if (script.transactional()) {
                    Set<Lock> own = ownLocks(c, pid, schema);
                    Set<Lock> fresh = new LinkedHashSet<>(own);
                    fresh.removeAll(heldBefore);
                    locks.addAll(fresh);
                    heldBefore.addAll(own);
                }
                // a relation the statement created is seen by no other session: its locks block nobody
                Set<String> existed = new java.util.HashSet<>();
                before.values().forEach(v -> existed.add((String) v[0]));
                locks.removeIf(lock -> !existed.contains(lock.relation()));
                List<String> rewritten = new ArrayList<>();
                relfilenodes(c, schema).forEach((oid, now) -> {
                    Object[] was = before.get(oid);
                    if (was != null && !was[1].equals(now[1])) {
                        rewritten.add((String) now[0]);
                    }
                });
                starts.add(new long[] {start, end});
                List<String> blocked = script.transactional() ? probe(watcher, schema, locks) : List.of();
                out.add(new Measured(script.file(), statement.line(), statement.column(), statement.summary(),
                        List.copyOf(locks), rewritten, (end - start) / 1e6, 0, blocked));
            }
            if (script.transactional()) {
                c.commit();
            }
        } catch (RuntimeException | SQLException e) {
            if (script.transactional()) {
                c.rollback();
            }
            throw e;
        }
        long committed = System.nanoTime();
        List<Measured> timed = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Measured m = out.get(i);
            long held = script.transactional() ? committed - starts.get(i)[0] : starts.get(i)[1] - starts.get(i)[0];
            timed.add(new Measured(m.file(), m.line(), m.column(), m.statement(), m.locks(), m.rewritten(),
                    m.millis(), held / 1e6, m.blocked()));
        }
        return timed;
    }

    /**
     * While the migration's transaction still holds its locks, a second session tries a read and a write lock on each
     * table the statement locked, giving up after a few milliseconds: what it could not take, live traffic would wait
     * for.
     */
    private static List<String> probe(Connection watcher, String schema, Set<Lock> locks) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        for (Lock lock : locks) {
            tables.add(lock.relation());
        }
        List<String> blocked = new ArrayList<>();
        boolean autoCommit = watcher.getAutoCommit();
        watcher.setAutoCommit(false);
        try {
            for (String table : tables) {
                if (!isTable(watcher, schema, table)) {
                    continue;
                }
                if (waits(watcher, schema, table, "ACCESS SHARE")) {
                    blocked.add("reads of " + table);
                }
                if (waits(watcher, schema, table, "ROW EXCLUSIVE")) {
                    blocked.add("writes to " + table);
                }
            }
        } finally {
            watcher.rollback();
            watcher.setAutoCommit(autoCommit);
        }
        return blocked;
    }

    private static boolean isTable(Connection c, String schema, String relation) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_class WHERE relname = ? AND relkind IN"
                + " ('r', 'p') AND relnamespace = ?::regnamespace")) {
            s.setString(1, relation);
            s.setString(2, quoteIdent(schema));
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            } finally {
                c.rollback();
            }
        }
    }

    private static boolean waits(Connection c, String schema, String table, String mode) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '30ms'");
            s.execute("LOCK TABLE " + quoteIdent(schema) + "." + quoteIdent(table) + " IN " + mode + " MODE");
            return false;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return true;
            }
            throw e;
        } finally {
            c.rollback();
        }
    }

    private static void poll(Connection watcher, int pid, String schema, Set<Lock> seen, AtomicBoolean running) {
        try (PreparedStatement s = watcher.prepareStatement(LOCKS)) {
            s.setInt(1, pid);
            s.setString(2, quoteIdent(schema));
            do {
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        seen.add(new Lock(r.getString(1), r.getString(2)));
                    }
                }
            } while (running.get());
        } catch (SQLException e) {
            // the session's own view, read before the commit, still stands
        }
    }

    private static Set<Lock> ownLocks(Connection c, int pid, String schema) throws SQLException {
        Set<Lock> locks = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement(LOCKS)) {
            s.setInt(1, pid);
            s.setString(2, quoteIdent(schema));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    locks.add(new Lock(r.getString(1), r.getString(2)));
                }
            }
        }
        // the lock query itself holds AccessShareLock on the catalogs only, which are not in the schema
        return locks;
    }

    private static Map<Long, Object[]> relfilenodes(Connection c, String schema) throws SQLException {
        Map<Long, Object[]> nodes = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT oid::bigint, relname, relfilenode::bigint FROM pg_class"
                + " WHERE relnamespace = ?::regnamespace AND relkind IN ('r', 'p', 'i', 'm', 't')")) {
            s.setString(1, quoteIdent(schema));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    nodes.put(r.getLong(1), new Object[] {r.getString(2), r.getLong(3)});
                }
            }
        }
        return nodes;
    }

    private static String withDatabase(String jdbcUrl, String database) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?');
        String rest = query < 0 ? "" : jdbcUrl.substring(query);
        return jdbcUrl.substring(0, slash + 1) + database + rest;
    }

    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
