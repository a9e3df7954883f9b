package dev.gearshift.fleet;

import dev.gearshift.Gearshift;
import dev.gearshift.Project;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Test support for fleet tests: the example project, tenant schemas and databases, history counts. */
final class FleetFixtures {

    /** The README's example project, relative to the gearshift-fleet module (surefire's working directory). */
    static final Path EXAMPLE = Path.of("..", "examples", "saas");

    /** core/1..6 and auth/1..2. */
    static final List<String> EXAMPLE_MIGRATIONS = List.of("auth/1", "auth/2", "core/1", "core/2", "core/3", "core/4",
            "core/5", "core/6");

    private FleetFixtures() {
    }

    /** The example project, for a fleet: every tenant brings its own database and schema. */
    static Project project(TestDatabase db) {
        return project(db, EXAMPLE);
    }

    static Project project(TestDatabase db, Path project) {
        return Gearshift.configure().url(db.url()).project(project).buildProject();
    }

    /** A schema-name prefix no other test run uses, e.g. {@code fl3a9c01d2_}. */
    static String prefix() {
        return "fl" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    }

    /** Creates {@code prefix0000 .. prefix(count-1)} in the database at {@code url}; returns their names. */
    static List<String> createSchemas(String url, String prefix, int count) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (int i = 0; i < count; i++) {
                String name = prefix + String.format("%04d", i);
                statement.addBatch("CREATE SCHEMA " + name);
                names.add(name);
            }
            statement.executeBatch();
        }
        return names;
    }

    /** Drops every schema whose name starts with {@code prefix} (tests clean up after themselves). */
    static void dropSchemas(String url, String prefix) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '"
                    + prefix + "')")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            for (String name : names) {
                statement.addBatch("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
            statement.executeBatch();
        }
    }

    /** A new database on the test server; drop it with {@link #dropDatabase}. */
    static String createDatabase(TestDatabase db) throws SQLException {
        String name = "gs_fleet_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        db.execute("CREATE DATABASE " + name);
        return name;
    }

    static void dropDatabase(TestDatabase db, String name) throws SQLException {
        db.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The test server's URL with another database name (keeps credentials and parameters). */
    static String withDatabase(TestDatabase db, String database) {
        return Tenants.withDatabase(db.url(), database, "test");
    }

    /** The name of the database the test URL points at ({@code test}, or {@code postgres} when embedded). */
    static String databaseOf(TestDatabase db) throws SQLException {
        return db.column("SELECT current_database()").get(0);
    }

    /** {@code host:port} of the test server. */
    static String hostAndPort(TestDatabase db) {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** The user named in the test URL ({@code ?user=...}), else postgres. */
    static String userOf(TestDatabase db) {
        java.util.regex.Matcher user = java.util.regex.Pattern.compile("[?&]user=([^&]*)").matcher(db.url());
        return user.find() ? user.group(1) : "postgres";
    }

    /** The test URL with its host and port replaced by {@code hostAndPort}. */
    static String withHost(TestDatabase db, String hostAndPort) {
        return db.url().replaceFirst("^jdbc:postgresql://[^/]*/", "jdbc:postgresql://" + hostAndPort + "/");
    }

    /**
     * The example's migration 6 creates the server-wide role {@code saas_app} when it is missing: tenants migrated
     * in parallel on a fresh server would race to create it. Create it once up front.
     */
    static void ensureAppRole(TestDatabase db) throws SQLException {
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'saas_app') THEN"
                + " CREATE ROLE saas_app NOLOGIN; END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN"
                + " NULL; END $$");
    }

    /** How often each {@code module/version} was applied successfully in {@code schema} (empty: no history). */
    static Map<String, Integer> applied(String url, String schema) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_tables WHERE schemaname = '" + schema
                    + "' AND tablename = 'gearshift_history'")) {
                if (!exists.next()) {
                    return counts;
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT module || '/' || version, count(*) FROM " + schema
                    + ".gearshift_history WHERE action = 'up' AND outcome = 'success' GROUP BY 1")) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }

    /** For every schema with {@code prefix} in the database: module/version -> times applied; one query. */
    static Map<String, Map<String, Integer>> appliedInAll(String url, List<String> schemas) throws SQLException {
        Map<String, Map<String, Integer>> all = new TreeMap<>();
        schemas.forEach(s -> all.put(s, new TreeMap<>()));
        StringBuilder sql = new StringBuilder();
        for (String schema : schemas) {
            if (!sql.isEmpty()) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT '").append(schema).append("', module || '/' || version FROM ").append(schema)
                    .append(".gearshift_history WHERE action = 'up' AND outcome = 'success'");
        }
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql.toString())) {
            while (rows.next()) {
                all.get(rows.getString(1)).merge(rows.getString(2), 1, Integer::sum);
            }
        }
        return all;
    }

    /** Every example migration applied exactly once. */
    static Map<String, Integer> exampleAppliedOnce() {
        Map<String, Integer> once = new TreeMap<>();
        EXAMPLE_MIGRATIONS.forEach(m -> once.put(m, 1));
        return once;
    }

    /** Every history row of a schema (id, module, version, action, outcome, installed_at), to compare before/after. */
    static List<String> historyRows(String url, String schema) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT id || ' ' || module || '/' || version || ' ' || action"
                     + " || ' ' || outcome || ' ' || installed_at FROM " + schema + ".gearshift_history ORDER BY id")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    static boolean tableExists(String url, String schema, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 FROM pg_tables WHERE schemaname = '" + schema
                     + "' AND tablename = '" + table + "'")) {
            return rows.next();
        }
    }

    /** Tables (of any kind) in a schema; empty when the schema is empty or missing. */
    static List<String> relations(String url, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                     + " ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' ORDER BY 1")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** A copy of the example project under {@code parent}, to change without touching the repository. */
    static Path copyExample(Path parent) {
        Path target = parent.resolve("saas");
        try (Stream<Path> paths = Files.walk(EXAMPLE)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = EXAMPLE.relativize(path);
                if (relative.startsWith(".gearshift")) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A local TCP port nothing listens on (it was free a moment ago). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
