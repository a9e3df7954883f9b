package dev.gearshift.postgres.testing;

import dev.gearshift.Gearshift;
import dev.gearshift.Guard;
import dev.gearshift.MigrationContext;
import dev.gearshift.spi.Capability;
import dev.gearshift.testkit.StoreFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The test kit's fixture for PostgreSQL: a target is a schema of the test database, an object a table with one
 * text column, a migrator is told apart by its sessions' application name.
 */
public final class PostgresFixture implements StoreFixture {

    private final TestDatabase db;
    private final List<String> targets = new CopyOnWriteArrayList<>();

    public PostgresFixture(TestDatabase db) {
        this.db = db;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public String newTarget() {
        String schema = db.newSchema();
        targets.add(schema);
        return schema;
    }

    @Override
    public Gearshift.Builder configure(String target) {
        return Gearshift.configure().url(db.url()).schema(target).createSchema(true);
    }

    @Override
    public Gearshift.Builder configure(String target, String migrator) {
        return configure(target).url(db.url() + (db.url().contains("?") ? "&" : "?") + "ApplicationName=" + migrator);
    }

    @Override
    public void createTarget(String target) {
        execute("CREATE SCHEMA \"" + target + "\"");
    }

    @Override
    public boolean targetExists(String target) {
        try {
            return db.schemaExists(target);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void run(String target, String script) {
        execute("SET search_path TO \"" + target + "\";\n" + script);
    }

    @Override
    public boolean objectExists(String target, String object) {
        return !column("SELECT 1 FROM pg_tables WHERE schemaname = '" + target + "' AND tablename = '" + object + "'")
                .isEmpty();
    }

    @Override
    public String snapshot(String target) {
        try {
            return db.snapshot(target);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> values(String target, String object) {
        // In the order of insertion: rows are only ever added, and the tables stay small.
        return column("SELECT value FROM \"" + target + "\"." + object + " ORDER BY ctid");
    }

    @Override
    public List<String> storedHistory(String target, String historyTable) {
        if (!objectExists(target, historyTable)) {
            return List.of();
        }
        return column("SELECT module || '/' || version || ' ' || action || ' ' || outcome FROM \"" + target + "\"."
                + historyTable + " ORDER BY id");
    }

    /** The backup is pg_dump's plain SQL, which names a table by its schema, quoted when it needs to be. */
    @Override
    public boolean backupHolds(Path backup, String target, String object) {
        try {
            return Pattern.compile("CREATE TABLE (\"?)" + Pattern.quote(target) + "\\1\\." + Pattern.quote(object)
                    + "\\b").matcher(Files.readString(backup)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String user() {
        return column("SELECT current_user").get(0);
    }

    @Override
    public Guard guard(String target, String application) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.url());
        dataSource.setApplicationName(application);
        return Gearshift.guard(dataSource, target);
    }

    @Override
    public String scriptExtension() {
        return "sql";
    }

    @Override
    public String create(String object) {
        return "CREATE TABLE " + object + " (value text);";
    }

    @Override
    public String drop(String object) {
        return "DROP TABLE " + object + ";";
    }

    @Override
    public String add(String object, int value) {
        return "INSERT INTO " + object + " VALUES ('" + value + "');";
    }

    @Override
    public void add(MigrationContext context, String object, String value) throws SQLException {
        try (Statement create = context.connection().createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + object + " (value text)");
        }
        try (PreparedStatement insert = context.connection().prepareStatement(
                "INSERT INTO " + object + " VALUES (?)")) {
            insert.setString(1, value);
            insert.executeUpdate();
        }
    }

    @Override
    public String alter(String object) {
        return "ALTER TABLE " + object + " ADD COLUMN c int;";
    }

    @Override
    public String sleep(Duration duration) {
        return "SELECT pg_sleep(" + duration.toMillis() / 1000.0 + ");";
    }

    @Override
    public Failure failure() {
        return new Failure("SELECT 1 / 0;", "division by zero");
    }

    @Override
    public String nonTransactional(String script) {
        return "-- gearshift:no-transaction\n" + script;
    }

    @Override
    public String releaseLocks() {
        return "SELECT pg_advisory_unlock_all();";
    }

    /** A reader whose open transaction holds ACCESS SHARE on the table, which ALTER TABLE must wait for. */
    @Override
    public Reader read(String target, String object) {
        try {
            Connection reader = db.connect();
            try (Statement statement = reader.createStatement()) {
                reader.setAutoCommit(false);
                statement.execute("SET application_name = 'long-report'");
                statement.execute("SELECT count(*) FROM \"" + target + "\"." + object);
                // no query for the pid: the reader's last one stays what the session shows
                int pid = reader.unwrap(PGConnection.class).getBackendPID();
                return new LongReader(reader, List.of("pid " + pid, "long-report", "idle in transaction",
                        "SELECT count(*)"));
            } catch (SQLException | RuntimeException e) {
                reader.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private record LongReader(Connection connection, List<String> description) implements Reader {
        @Override
        public void release() {
            try {
                connection.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String lockTimeoutReason() {
        return "canceling statement due to lock timeout";
    }

    @Override
    public void awaitWaitingForLock(String migrator) {
        await("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + migrator
                + "' AND query LIKE '%pg_try_advisory_lock%'");
    }

    @Override
    public void awaitSleeping(String migrator) {
        await("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + migrator
                + "' AND query LIKE '%pg_sleep(%' AND state = 'active'");
    }

    @Override
    public void loseLock(String migrator) {
        List<String> terminated = column("SELECT pg_terminate_backend(l.pid)::text FROM pg_locks l"
                + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                + " AND a.application_name = '" + migrator + "'");
        if (!terminated.equals(List.of("true"))) {
            throw new IllegalStateException(migrator + " held no lock to lose: " + terminated);
        }
    }

    @Override
    public String lockHolderNamedIn(String message) {
        Matcher pid = Pattern.compile("pid (\\d+)").matcher(message);
        if (!pid.find()) {
            throw new AssertionError("no pid in: " + message);
        }
        // That pid is the session holding a Gearshift advisory lock right now.
        return String.join(",", column("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a"
                + " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock'"
                + " AND l.pid = " + pid.group(1)));
    }

    /**
     * Checks that the history of every target the test made is one chain (each row follows the one before it: the
     * fence against a migrator that lost its lock held), then drops the schemas, so a long-lived test server stays
     * small: catalog views such as information_schema.column_privileges (used by snapshots) slow down with every
     * schema left behind.
     */
    @Override
    public void close() {
        List<String> broken = targets.stream().filter(schema -> objectExists(schema, Gearshift.HISTORY_TABLE))
                .filter(schema -> !brokenLinks(schema).equals("0")).toList();
        dropTargets();
        if (!broken.isEmpty()) {
            throw new AssertionError("history rows that do not follow the row before them in " + broken);
        }
    }

    /** Rows whose {@code follows} is not the row before them: 0 when the fenced chain is whole. */
    private String brokenLinks(String schema) {
        String h = "\"" + schema + "\"." + Gearshift.HISTORY_TABLE;
        return column("SELECT count(*) FROM " + h + " x WHERE x.follows IS DISTINCT FROM"
                + " coalesce((SELECT max(id) FROM " + h + " y WHERE y.id < x.id), 0)").get(0);
    }

    private void dropTargets() {
        targets.forEach(db::dropSchemaQuietly);
        targets.clear();
    }

    private List<String> column(String sql) {
        try {
            return db.column(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) {
        try {
            db.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void await(String countQuery) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Integer.parseInt(column(countQuery).get(0)) > 0) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("never true: " + countQuery);
    }
}
