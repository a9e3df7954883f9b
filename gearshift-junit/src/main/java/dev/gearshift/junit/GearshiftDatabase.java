package dev.gearshift.junit;

import dev.gearshift.Gearshift;
import dev.gearshift.Plan;
import dev.gearshift.Target;
import dev.gearshift.diff.SchemaAssertions;
import dev.gearshift.diff.SchemaChanges;
import dev.gearshift.diff.SchemaDiff;
import dev.gearshift.diff.SchemaModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A test class's database, migrated to the latest version, dropped after the class. Its connections start in the
 * migrated schema, so tests name tables without it.
 */
public final class GearshiftDatabase {

    private final TestServer server;
    private final String name;
    private final String schema;
    private final UnaryOperator<Gearshift.Builder> project;

    GearshiftDatabase(TestServer server, String name, String schema, UnaryOperator<Gearshift.Builder> project) {
        this.server = server;
        this.name = name;
        this.schema = schema;
        this.project = project;
    }

    /** The database's name on the server. */
    public String name() {
        return name;
    }

    /** The migrated schema. */
    public String schema() {
        return schema;
    }

    /** A JDBC URL of the database, with credentials; its connections start in {@link #schema()}. */
    public String url() {
        return inSchema(server.urlOf(name), schema);
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url());
        return dataSource;
    }

    /** The project against this database and schema: status, history, a further {@code up} or {@code down}. */
    public Gearshift gearshift() {
        return project.apply(Gearshift.configure()).url(url()).schema(schema).build();
    }

    /**
     * Fails, listing every difference, unless the schema is exactly what the migrations make: what a test that
     * changed the schema by hand, or a database migrated by other means, is checked with.
     */
    public void assertCurrent() {
        SchemaAssertions.assertCurrent(dataSource(), schema, project);
    }

    /**
     * On a database of its own, runs every migration up, down and up again, one at a time, and fails unless each
     * down leaves the schema as it was before the up, and each second up makes what the first one made. Repeatable
     * migrations, which are never reverted, are only run up.
     */
    public void assertUpDownUp() {
        String scratch = TestServer.newName("gearshift_updown_");
        server.create(scratch, null);
        try {
            String url = inSchema(server.urlOf(scratch), schema);
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            Gearshift gearshift = project.apply(Gearshift.configure()).url(url).schema(schema).createSchema(true)
                    .build();
            String history = gearshift.project().historyTable();
            execute(dataSource, "CREATE SCHEMA IF NOT EXISTS " + TestServer.quote(schema));
            // Each state read once: what a step's second up makes is what the next step starts from.
            SchemaModel before = read(dataSource, history);
            for (Plan.Step step : gearshift.planUp(Target.latest()).steps()) {
                gearshift.up(Target.steps(1));
                SchemaModel after = read(dataSource, history);
                if (step.version().isPresent()) {
                    gearshift.down(Target.latest());
                    expectSame(before, read(dataSource, history), "the down of " + step.id()
                            + " does not leave the schema as it was before its up");
                    gearshift.up(Target.steps(1));
                    expectSame(after, read(dataSource, history), step.id()
                            + ", run up again after its down, does not make what it made the first time");
                }
                before = after;
            }
        } finally {
            server.drop(scratch);
        }
    }

    private SchemaModel read(DataSource dataSource, String history) {
        try (Connection connection = dataSource.getConnection()) {
            return SchemaModel.read(connection, schema, Set.of(history));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private static void expectSame(SchemaModel expected, SchemaModel actual, String what) {
        SchemaChanges changes = SchemaDiff.between(actual, expected);
        if (!changes.isEmpty()) {
            StringBuilder message = new StringBuilder(what + ":");
            changes.differences().forEach(d -> message.append("\n  ").append(d));
            message.append("\nstatements that would undo the difference:\n").append(changes.sql());
            throw new AssertionError(message.toString());
        }
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String inSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema="
                + URLEncoder.encode(schema, StandardCharsets.UTF_8);
    }

    void drop() {
        server.drop(name);
    }

    @Override
    public String toString() {
        return "database " + name + ", schema " + schema;
    }
}
