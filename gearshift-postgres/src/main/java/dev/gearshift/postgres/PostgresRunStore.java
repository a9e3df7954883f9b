package dev.gearshift.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.jdbc.JdbcPool;
import dev.gearshift.jdbc.JdbcTarget;
import dev.gearshift.spi.RunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fleet runs kept in a PostgreSQL database ({@code gearshift_fleet.runs} and {@code gearshift_fleet.tenants}).
 * Workers claim tenants with {@code FOR UPDATE SKIP LOCKED}; leases are timed by the database's clock.
 */
public final class PostgresRunStore implements RunStore {

    /** The schema runs are kept in: never a tenant ({@link PostgresTenantRegistry} leaves it out). */
    static final String SCHEMA = "gearshift_fleet";
    /** Tenants per statement when many are finished at once: well inside parameter and statement limits. */
    private static final int FINISH_CHUNK = 1000;

    private final HikariDataSource dataSource;
    private final String display;

    private PostgresRunStore(HikariDataSource dataSource, String display) {
        this.dataSource = dataSource;
        this.display = display;
    }

    /** Finds this store for {@code jdbc:postgresql:} and {@code postgres://} URLs. */
    public static final class Provider implements RunStore.Provider {
        private final PostgresDialect dialect = new PostgresDialect();

        @Override
        public boolean accepts(String url) {
            return dialect.accepts(url);
        }

        @Override
        public RunStore open(String url, String user, String password) {
            JdbcTarget target = dialect.resolve(url, user, password);
            PostgresRunStore store = new PostgresRunStore(JdbcPool.open(target, 4, Duration.ofSeconds(10),
                    "gearshift control"), target.display());
            try {
                store.create();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        }
    }

    private void create() {
        String[] ddl = {
            "CREATE SCHEMA IF NOT EXISTS " + SCHEMA,
            "CREATE TABLE IF NOT EXISTS " + SCHEMA + ".runs ("
                + " id text PRIMARY KEY, command text NOT NULL, module text, version bigint, steps integer,"
                + " dry_run boolean NOT NULL, canary integer NOT NULL, max_failures integer NOT NULL,"
                + " state text NOT NULL CHECK (state IN ('canary', 'running', 'stopped', 'finished')),"
                + " stop_reason text, created_by text NOT NULL DEFAULT current_user,"
                + " started_at timestamptz NOT NULL DEFAULT clock_timestamp(), finished_at timestamptz)",
            // Added after the first release: control tables made before it upgrade in place, their runs kept.
            "ALTER TABLE " + SCHEMA + ".runs ADD COLUMN IF NOT EXISTS selection text",
            "CREATE TABLE IF NOT EXISTS " + SCHEMA + ".tenants ("
                + " run_id text NOT NULL REFERENCES " + SCHEMA + ".runs (id) ON DELETE CASCADE,"
                + " tenant text NOT NULL, position integer NOT NULL, schema_name text NOT NULL, database text NOT NULL,"
                + " state text NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped')),"
                + " attempts integer NOT NULL DEFAULT 0, worker text, lease_until timestamptz,"
                + " migrations integer NOT NULL DEFAULT 0, duration_ms bigint NOT NULL DEFAULT 0,"
                + " error_code text, message text, started_at timestamptz, finished_at timestamptz,"
                + " PRIMARY KEY (run_id, tenant))",
            "CREATE INDEX IF NOT EXISTS tenants_claim ON " + SCHEMA + ".tenants (run_id, state, position)",
        };
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // Two processes creating the tables at once would collide on the catalog: serialise them.
            statement.execute("SELECT pg_advisory_xact_lock(1734697330, 0)");
            for (String sql : ddl) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot create the control tables", e);
        }
    }

    @Override
    public void createRun(NewRun newRun) {
        Parameters spec = newRun.parameters();
        try (Connection connection = connect()) {
            try (PreparedStatement run = connection.prepareStatement("INSERT INTO " + SCHEMA + ".runs (id, command,"
                    + " module, version, steps, dry_run, canary, max_failures, state, selection)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                run.setString(1, newRun.id());
                run.setString(2, spec.command());
                run.setString(3, spec.module().orElse(null));
                run.setObject(4, spec.version().orElse(null));
                run.setObject(5, spec.steps().orElse(null));
                run.setBoolean(6, spec.dryRun());
                run.setInt(7, spec.canary());
                run.setInt(8, spec.maxFailures());
                run.setString(9, (spec.canary() > 0 ? RunState.CANARY : RunState.RUNNING).id());
                run.setString(10, newRun.selection().orElse(null));
                run.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + SCHEMA + ".tenants (run_id,"
                    + " tenant, position, schema_name, database, state) VALUES (?, ?, ?, ?, ?, 'pending')")) {
                int position = 0;
                for (TenantEntry tenant : newRun.tenants()) {
                    insert.setString(1, newRun.id());
                    insert.setString(2, tenant.tenant());
                    insert.setInt(3, position++);
                    insert.setString(4, tenant.schema());
                    insert.setString(5, tenant.database());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot record the run", e);
        }
    }

    @Override
    public Optional<StoredRun> run(String id) {
        return runs(id, 1).stream().findFirst();
    }

    @Override
    public List<StoredRun> runs(int limit) {
        return runs(null, limit);
    }

    private List<StoredRun> runs(String id, int limit) {
        String sql = "SELECT r.*, count(t.tenant) AS tenants,"
                + " count(*) FILTER (WHERE t.state = 'done') AS done, count(*) FILTER (WHERE t.state = 'failed') AS failed,"
                + " count(*) FILTER (WHERE t.state = 'skipped') AS skipped, count(*) FILTER (WHERE t.state = 'pending') AS pending,"
                + " count(*) FILTER (WHERE t.state = 'running') AS running"
                + " FROM " + SCHEMA + ".runs r LEFT JOIN " + SCHEMA + ".tenants t ON t.run_id = r.id"
                + (id == null ? "" : " WHERE r.id = ?")
                + " GROUP BY r.id ORDER BY r.started_at DESC LIMIT " + limit;
        List<StoredRun> runs = new ArrayList<>();
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            if (id != null) {
                query.setString(1, id);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Parameters spec = new Parameters(rows.getString("command"),
                            Optional.ofNullable(rows.getString("module")),
                            Optional.ofNullable((Long) rows.getObject("version")),
                            Optional.ofNullable((Integer) rows.getObject("steps")), rows.getBoolean("dry_run"),
                            rows.getInt("canary"), rows.getInt("max_failures"));
                    Timestamp finished = rows.getTimestamp("finished_at");
                    runs.add(new StoredRun(rows.getString("id"), spec, Optional.ofNullable(rows.getString("selection")),
                            RunState.valueOf(rows.getString("state").toUpperCase(Locale.ROOT)),
                            rows.getString("created_by"), rows.getTimestamp("started_at").toInstant(),
                            Optional.ofNullable(finished).map(Timestamp::toInstant), rows.getLong("tenants"),
                            rows.getLong("done"), rows.getLong("failed"), rows.getLong("skipped"),
                            rows.getLong("pending"), rows.getLong("running")));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot read the runs", e);
        }
        return runs;
    }

    @Override
    public int resume(String id) {
        try (Connection connection = connect()) {
            int reset;
            try (PreparedStatement tenants = connection.prepareStatement("UPDATE " + SCHEMA + ".tenants SET"
                    + " state = 'pending', worker = NULL, lease_until = NULL WHERE run_id = ? AND (state IN ('failed',"
                    + " 'skipped', 'pending') OR (state = 'running' AND lease_until < clock_timestamp()))")) {
                tenants.setString(1, id);
                reset = tenants.executeUpdate();
            }
            try (PreparedStatement runs = connection.prepareStatement("UPDATE " + SCHEMA + ".runs SET state = 'running',"
                    + " stop_reason = NULL, finished_at = NULL WHERE id = ?")) {
                runs.setString(1, id);
                runs.executeUpdate();
            }
            connection.commit();
            return reset;
        } catch (SQLException e) {
            throw failure("cannot resume run " + id, e);
        }
    }

    @Override
    public void renewLeases(String runId, String worker, Duration lease) {
        try (Connection connection = connect(); PreparedStatement renew = connection.prepareStatement("UPDATE "
                + SCHEMA + ".tenants SET lease_until = clock_timestamp() + ? * interval '1 millisecond'"
                + " WHERE run_id = ? AND worker = ? AND state = 'running'")) {
            renew.setLong(1, lease.toMillis());
            renew.setString(2, runId);
            renew.setString(3, worker);
            renew.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot renew the leases of run " + runId, e);
        }
    }

    @Override
    public Optional<String> claim(String runId, String worker, Duration lease, boolean includeCanary) {
        String states = includeCanary ? "'running', 'canary'" : "'running'";
        String sql = "UPDATE " + SCHEMA + ".tenants t SET state = 'running', worker = ?, attempts = attempts + 1,"
                + " lease_until = clock_timestamp() + ? * interval '1 millisecond', started_at = clock_timestamp(),"
                + " message = NULL, error_code = NULL"
                + " WHERE (t.run_id, t.tenant) IN (SELECT c.run_id, c.tenant FROM " + SCHEMA + ".tenants c"
                + " WHERE c.run_id = ? AND (c.state = 'pending' OR (c.state = 'running' AND c.lease_until < clock_timestamp()))"
                + " AND EXISTS (SELECT 1 FROM " + SCHEMA + ".runs r WHERE r.id = c.run_id AND r.state IN (" + states + "))"
                + " ORDER BY c.position LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING t.tenant";
        try (Connection connection = connect(); PreparedStatement claim = connection.prepareStatement(sql)) {
            claim.setString(1, worker);
            claim.setLong(2, lease.toMillis());
            claim.setString(3, runId);
            Optional<String> tenant;
            try (ResultSet rows = claim.executeQuery()) {
                tenant = rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
            connection.commit();
            return tenant;
        } catch (SQLException e) {
            throw failure("cannot claim a tenant of run " + runId, e);
        }
    }

    @Override
    public void finished(String runId, String worker, Outcome outcome) {
        try (Connection connection = connect(); PreparedStatement update = connection.prepareStatement("UPDATE "
                + SCHEMA + ".tenants SET state = ?, migrations = ?, duration_ms = ?, error_code = ?, message = ?,"
                + " finished_at = clock_timestamp(), lease_until = NULL WHERE run_id = ? AND tenant = ? AND worker = ?")) {
            update.setString(1, outcome.state().id());
            update.setInt(2, outcome.migrations());
            update.setLong(3, outcome.duration().toMillis());
            update.setString(4, outcome.errorCode().orElse(null));
            update.setString(5, outcome.message());
            update.setString(6, runId);
            update.setString(7, outcome.tenant());
            update.setString(8, worker);
            update.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot record the outcome of tenant " + outcome.tenant(), e);
        }
    }

    /**
     * One UPDATE per chunk of tenants, not one per tenant: a fleet of up-to-date tenants must not cost a round
     * trip to the control database each.
     */
    @Override
    public List<String> finishedUnclaimed(String runId, String worker, List<Outcome> outcomes) {
        List<String> recorded = new ArrayList<>();
        String sql = "UPDATE " + SCHEMA + ".tenants t SET state = o.state, worker = ?, attempts = t.attempts + 1,"
                + " migrations = o.migrations, duration_ms = o.duration_ms, error_code = o.error_code,"
                + " message = o.message, started_at = clock_timestamp(), finished_at = clock_timestamp(),"
                + " lease_until = NULL FROM unnest(?::text[], ?::text[], ?::integer[], ?::bigint[], ?::text[],"
                + " ?::text[]) AS o(tenant, state, migrations, duration_ms, error_code, message)"
                + " WHERE t.run_id = ? AND t.tenant = o.tenant AND t.state = 'pending' RETURNING t.tenant";
        try (Connection connection = connect(); PreparedStatement update = connection.prepareStatement(sql)) {
            for (int from = 0; from < outcomes.size(); from += FINISH_CHUNK) {
                List<Outcome> chunk = outcomes.subList(from, Math.min(outcomes.size(), from + FINISH_CHUNK));
                update.setString(1, worker);
                update.setArray(2, connection.createArrayOf("text", chunk.stream().map(Outcome::tenant).toArray()));
                update.setArray(3, connection.createArrayOf("text", chunk.stream().map(o -> o.state().id()).toArray()));
                update.setArray(4, connection.createArrayOf("integer",
                        chunk.stream().map(Outcome::migrations).toArray()));
                update.setArray(5, connection.createArrayOf("bigint",
                        chunk.stream().map(o -> o.duration().toMillis()).toArray()));
                update.setArray(6, connection.createArrayOf("text",
                        chunk.stream().map(o -> o.errorCode().orElse(null)).toArray()));
                update.setArray(7, connection.createArrayOf("text", chunk.stream().map(Outcome::message).toArray()));
                update.setString(8, runId);
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        recorded.add(rows.getString(1));
                    }
                }
                connection.commit();
            }
        } catch (SQLException e) {
            throw failure("cannot record the outcomes of " + outcomes.size() + " tenants", e);
        }
        return recorded;
    }

    @Override
    public int runningElsewhere(String runId, String worker) {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM " + SCHEMA + ".tenants WHERE run_id = ? AND state = 'running' AND worker <> ?")) {
            query.setString(1, runId);
            query.setString(2, worker);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                int count = rows.getInt(1);
                connection.commit();
                return count;
            }
        } catch (SQLException e) {
            throw failure("cannot read run " + runId, e);
        }
    }

    @Override
    public void stop(String runId, String reason) {
        try (Connection connection = connect(); PreparedStatement update = connection.prepareStatement("UPDATE "
                + SCHEMA + ".runs SET state = 'stopped', stop_reason = ? WHERE id = ? AND state IN ('canary', 'running')")) {
            update.setString(1, reason);
            update.setString(2, runId);
            update.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot stop run " + runId, e);
        }
    }

    @Override
    public Optional<String> stopReason(String runId) {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT state, stop_reason FROM " + SCHEMA + ".runs WHERE id = ?")) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                Optional<String> reason = rows.next() && rows.getString(1).equals("stopped")
                        ? Optional.ofNullable(rows.getString(2)).or(() -> Optional.of("stopped")) : Optional.empty();
                connection.commit();
                return reason;
            }
        } catch (SQLException e) {
            throw failure("cannot read run " + runId, e);
        }
    }

    @Override
    public void open(String runId) {
        try (Connection connection = connect(); PreparedStatement update = connection.prepareStatement(
                "UPDATE " + SCHEMA + ".runs SET state = 'running' WHERE id = ? AND state = 'canary'")) {
            update.setString(1, runId);
            update.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot open run " + runId, e);
        }
    }

    @Override
    public void finish(String runId, String skipReason) {
        try (Connection connection = connect()) {
            try (PreparedStatement skip = connection.prepareStatement("UPDATE " + SCHEMA + ".tenants SET"
                    + " state = 'skipped', message = ? WHERE run_id = ? AND state = 'pending'")) {
                skip.setString(1, skipReason);
                skip.setString(2, runId);
                skip.executeUpdate();
            }
            try (PreparedStatement run = connection.prepareStatement("UPDATE " + SCHEMA + ".runs SET"
                    + " finished_at = clock_timestamp(), state = CASE WHEN state = 'stopped' THEN 'stopped'"
                    + " ELSE 'finished' END WHERE id = ?")) {
                run.setString(1, runId);
                run.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot finish run " + runId, e);
        }
    }

    @Override
    public List<Outcome> outcomes(String runId) {
        List<Outcome> outcomes = new ArrayList<>();
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT tenant, schema_name, state, migrations, message, error_code, duration_ms FROM " + SCHEMA
                        + ".tenants WHERE run_id = ? ORDER BY position")) {
            query.setString(1, runId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    outcomes.add(new Outcome(rows.getString(1), rows.getString(2),
                            TenantState.valueOf(rows.getString(3).toUpperCase(Locale.ROOT)), rows.getInt(4),
                            Optional.ofNullable(rows.getString(5)).orElse(""), Optional.ofNullable(rows.getString(6)),
                            Duration.ofMillis(rows.getLong(7))));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("cannot read run " + runId, e);
        }
        return outcomes;
    }

    private Connection connect() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private GearshiftException failure(String what, SQLException e) {
        return new GearshiftException(PostgresErrors.isConnectionFailure(e) ? ErrorCode.CONNECTION : ErrorCode.INTERNAL,
                what + " in " + display + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
