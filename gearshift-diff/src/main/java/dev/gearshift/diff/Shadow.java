package dev.gearshift.diff;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.Remedy;
import dev.gearshift.Target;
import dev.gearshift.diff.internal.Model;
import dev.gearshift.jdbc.JdbcTarget;
import dev.gearshift.postgres.PgScriptParser;
import dev.gearshift.postgres.PostgresDialect;
import dev.gearshift.spi.SqlStatement;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server for throwaway databases, where a schema is built to be read: from desired-state SQL files
 * (the subzero seed's "temporary PostgreSQL"), or by running the project's migrations. Each build gets a
 * database of its own, dropped right after, so builds never see each other and an extension can be created in
 * each.
 *
 * <pre>{@code
 * try (Shadow shadow = Shadow.embedded()) {                  // or Shadow.at("postgres://dev@localhost/dev", null, null)
 *     SchemaModel desired = shadow.loadSql(List.of(Path.of("db/src")), "app");
 *     SchemaModel current = shadow.migrate(b -> b.project(Path.of(".")), "app");
 * }
 * }</pre>
 */
public final class Shadow implements AutoCloseable {

    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static final PgScriptParser PARSER = new PgScriptParser();

    private final JdbcTarget server;
    private final EmbeddedPostgres embedded;
    private final String description;

    private Shadow(JdbcTarget server, EmbeddedPostgres embedded, String description) {
        this.server = server;
        this.embedded = embedded;
        this.description = description;
    }

    /** Starts a throwaway embedded PostgreSQL (stopped, its files deleted, on {@link #close}). */
    public static Shadow embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                    .start();
            JdbcTarget target = dev.gearshift.jdbc.JdbcStoreProvider.resolve(postgres.getJdbcUrl("postgres", "postgres"), null, null);
            return new Shadow(target, postgres, "an embedded PostgreSQL");
        } catch (IOException | RuntimeException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot start the embedded PostgreSQL for the shadow"
                    + " database: " + e.getMessage() + "; give a dev database instead", Remedy.DEV_URL, e);
        }
    }

    /**
     * A server of your own (a dev database) where throwaway databases may be created and dropped.
     *
     * @throws GearshiftException ({@code CONNECTION}) when it cannot be reached or refuses the login
     */
    public static Shadow at(String url, String user, String password) {
        JdbcTarget target = dev.gearshift.jdbc.JdbcStoreProvider.resolve(url, user, password);
        Shadow shadow = new Shadow(target, null, "the dev database " + target.display());
        try (Connection connection = shadow.connect(target.jdbcUrl())) {
            connection.isValid(5);
            return shadow;
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot reach the dev database " + target.display()
                    + ": " + e.getMessage() + "; the shadow database needs a PostgreSQL server where Gearshift may"
                    + " create and drop databases (or none, for an embedded one)", Remedy.DEV_URL, e);
        }
    }

    /** Where the throwaway databases are made, safe to print. */
    public String description() {
        return description;
    }

    /**
     * Loads desired-state SQL into a throwaway database and reads {@code schema} back. Statements run one by
     * one, like {@code psql -f}, with {@code schema} first on the search path.
     *
     * @param sources SQL files, and directories whose {@code .sql} files (subdirectories included) load in the
     *                order of their paths: {@code 01_types.sql} before {@code 02_tables.sql}
     * @throws GearshiftException ({@code VALIDATION}) naming file, line and column when a statement fails
     */
    public SchemaModel loadSql(List<Path> sources, String schema) {
        List<Path> files = sqlFiles(sources);
        return inThrowawayDatabase(url -> {
            try (Connection connection = connect(url)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + DIALECT.quote(schema));
                }
                DIALECT.useSchema(connection, schema);
                for (Path file : files) {
                    load(connection, file);
                }
                return read(connection, schema, Set.of());
            }
        });
    }

    /**
     * Loads desired-state SQL into a throwaway database and reads several schemas of it, or all of them: the SQL
     * names its schemas itself ({@code CREATE SCHEMA billing; CREATE TABLE billing.invoices ...}), and runs with
     * the server's default search path.
     *
     * @param schemas the schemas to read, or none for all (see {@link SchemaModel#readDatabase(Connection, List,
     *                Set)}); objects in other schemas are named as not compared
     */
    public SchemaModel loadDatabase(List<Path> sources, List<String> schemas) {
        List<Path> files = sqlFiles(sources);
        return inThrowawayDatabase(url -> {
            try (Connection connection = connect(url)) {
                for (Path file : files) {
                    load(connection, file);
                }
                return readDatabase(connection, schemas, Set.of());
            }
        });
    }

    /**
     * Runs a project's migrations in a throwaway database and reads the schema they produce.
     *
     * @param project sets the migrations on a builder: {@code b -> b.project(dir)}, {@code b -> b.migrations(dir)},
     *                placeholders; the database, schema and credentials are the shadow's own
     */
    public SchemaModel migrate(UnaryOperator<Gearshift.Builder> project, String schema) {
        return inThrowawayDatabase(url -> {
            Gearshift gearshift = migrated(url, project, schema);
            try (Connection connection = connect(url)) {
                return read(connection, schema, Set.of(gearshift.project().historyTable()));
            }
        });
    }

    /**
     * Runs a project's migrations (with {@code schema} as their target) in a throwaway database and reads several
     * schemas of it, or all of them: for migrations that create objects in schemas of their own.
     *
     * @param schemas the schemas to read, or none for all; the history table is left out
     */
    public SchemaModel migrateDatabase(UnaryOperator<Gearshift.Builder> project, String schema, List<String> schemas) {
        return inThrowawayDatabase(url -> {
            Gearshift gearshift = migrated(url, project, schema);
            try (Connection connection = connect(url)) {
                return readDatabase(connection, schemas, Set.of(gearshift.project().historyTable()));
            }
        });
    }

    private Gearshift migrated(String url, UnaryOperator<Gearshift.Builder> project, String schema)
            throws SQLException {
        return migrated(url, project, schema, Target.latest());
    }

    private Gearshift migrated(String url, UnaryOperator<Gearshift.Builder> project, String schema, Target target)
            throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        for (String key : server.properties().stringPropertyNames()) {
            dataSource.setProperty(key, server.properties().getProperty(key));
        }
        Gearshift gearshift = project.apply(Gearshift.configure()).dataSource(dataSource).schema(schema)
                .createSchema(true).build();
        try {
            gearshift.up(target);
        } catch (GearshiftException e) {
            throw new GearshiftException(e.code(), "running the migrations in the shadow database (" + description
                    + "): " + e.getMessage(), e.problems(), e);
        }
        return gearshift;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // stopped by its shutdown hook at exit anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------ loading SQL

    private static List<Path> sqlFiles(List<Path> sources) {
        List<Path> files = new ArrayList<>();
        for (Path source : sources) {
            if (Files.isRegularFile(source)) {
                files.add(source);
            } else if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    List<Path> found = walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".sql"))
                            .sorted().toList();
                    if (found.isEmpty()) {
                        throw new GearshiftException(ErrorCode.USAGE, "no .sql files in " + source);
                    }
                    files.addAll(found);
                } catch (IOException e) {
                    throw new GearshiftException(ErrorCode.USAGE, "cannot read " + source + ": " + e.getMessage(), e);
                }
            } else {
                throw new GearshiftException(ErrorCode.USAGE, source + " does not exist");
            }
        }
        return files;
    }

    private static void load(Connection connection, Path file) throws SQLException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        for (SqlStatement statement : PARSER.split(text, file.toString())) {
            try {
                DIALECT.execute(connection, statement);
            } catch (SQLException e) {
                String location = file + ":" + position(statement, DIALECT.errorPosition(e));
                String message = "desired-state SQL does not load: " + DIALECT.describe(e) + "\n    in: "
                        + statement.summary();
                throw new GearshiftException(ErrorCode.VALIDATION, location + ": " + message,
                        List.of(new Problem("desired-state-sql", location, message)), e);
            }
        }
    }

    /** {@code line:column} of an error, from the statement's start and PostgreSQL's 1-based offset in it. */
    private static String position(SqlStatement statement, OptionalInt offset) {
        int line = statement.line();
        int column = statement.column();
        if (offset.isPresent()) {
            String sql = statement.sql();
            for (int i = 0; i < Math.min(offset.getAsInt() - 1, sql.length()); i++) {
                if (sql.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
        }
        return line + ":" + column;
    }

    // ------------------------------------------------------------------------------------------ databases

    private interface Work<T> {
        T run(String url) throws SQLException;
    }

    /**
     * Runs one module's migrations up to each of {@code stops} in turn, in one throwaway database, and reads
     * {@code schema} at each: the before and after of every patch of a major-patch module ({@link AdditivePatches}).
     */
    List<SchemaModel> migrateThrough(UnaryOperator<Gearshift.Builder> project, String schema, String module,
                                     List<dev.gearshift.Version> stops) {
        return inThrowawayDatabase(url -> {
            List<SchemaModel> models = new ArrayList<>();
            Gearshift gearshift = null;
            for (dev.gearshift.Version stop : stops) {
                gearshift = migrated(url, project, schema, Target.version(stop).module(module));
                try (Connection connection = connect(url)) {
                    models.add(read(connection, schema, Set.of(gearshift.project().historyTable())));
                }
            }
            return models;
        });
    }

    /** Creates a database, runs {@code work} against its URL, drops it whatever happens. */
    private <T> T inThrowawayDatabase(Work<T> work) {
        String name = "gearshift_shadow_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = connect(server.jdbcUrl()); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot create a throwaway database on " + description
                    + ": " + e.getMessage() + "; its user needs the CREATEDB privilege", e);
        }
        try {
            return work.run(databaseUrl(name));
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "the shadow database on " + description + " failed: "
                    + e.getMessage(), e);
        } finally {
            try (Connection admin = connect(server.jdbcUrl()); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // a leftover throwaway database is harmless; its name says what it is
            }
        }
    }

    /** The server's JDBC URL with another database: {@code jdbc:postgresql://host:port/NAME?params}. */
    private String databaseUrl(String database) {
        return server.jdbcUrl().replaceFirst("^(jdbc:postgresql://[^/?]*)(/[^?]*)?", "$1/" + database);
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, server.properties());
    }

    /**
     * Reads {@code schema}; objects the sources created in other schemas are named as not compared, since only
     * one schema is.
     */
    private static SchemaModel read(Connection connection, String schema, Set<String> ignoredTables)
            throws SQLException {
        return withElsewhere(connection, SchemaModel.read(connection, schema, ignoredTables), List.of(schema));
    }

    /** Reads several schemas, or all; only a list leaves some out, and those are named. */
    private static SchemaModel readDatabase(Connection connection, List<String> schemas, Set<String> ignoredTables)
            throws SQLException {
        SchemaModel model = SchemaModel.readDatabase(connection, schemas, ignoredTables);
        return schemas.isEmpty() ? model : withElsewhere(connection, model, schemas);
    }

    /** {@code model} with the objects found outside {@code schemas} named as not compared. */
    private static SchemaModel withElsewhere(Connection connection, SchemaModel model, List<String> schemas)
            throws SQLException {
        String schema = String.join(", ", schemas);
        List<String> elsewhere = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT kind || ' ' || quote_ident(n.nspname) || '.' || name FROM (
                    SELECT 'relation' AS kind, c.relnamespace AS ns, quote_ident(c.relname) AS name, c.oid,
                           'pg_class'::regclass AS catalog FROM pg_class c WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                    UNION ALL
                    SELECT 'function', p.pronamespace, quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid)
                           || ')', p.oid, 'pg_proc'::regclass FROM pg_proc p
                    UNION ALL
                    SELECT 'type', t.typnamespace, quote_ident(t.typname), t.oid, 'pg_type'::regclass FROM pg_type t
                    WHERE t.typtype IN ('e', 'd', 'r') OR t.typtype = 'c' AND
                          (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'
                ) o JOIN pg_namespace n ON n.oid = o.ns
                WHERE n.nspname <> ALL (?::text[]) AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                  AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.catalog AND d.objid = o.oid
                                  AND d.deptype = 'e')
                ORDER BY 1""")) {
            query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    elsewhere.add("outside " + (schemas.size() == 1 ? "schema " : "schemas ") + schema + ": "
                            + rows.getString(1));
                }
            }
        }
        if (elsewhere.isEmpty()) {
            return model;
        }
        Model inner = model.model();
        List<String> unsupported = new ArrayList<>(inner.unsupported());
        unsupported.addAll(elsewhere);
        return model.withModel(new Model(inner.objects(), inner.dependencies(), unsupported));
    }
}
