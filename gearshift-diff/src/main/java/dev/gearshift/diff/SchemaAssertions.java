package dev.gearshift.diff;

import dev.gearshift.Counts;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Target;
import dev.gearshift.diff.internal.Key;
import dev.gearshift.diff.internal.Kind;
import dev.gearshift.diff.internal.Model;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The Lily seed's {@code TestSchemaIsCurrent}, for every object kind: a test asserts that a schema is exactly what
 * the migrations produce, nullability, keys, indexes, views, functions and grants included.
 *
 * <pre>{@code
 * @Test
 * void schemaIsCurrent() {
 *     SchemaAssertions.assertCurrent(dataSource, "app", Path.of("migrations"));
 * }
 * }</pre>
 *
 * The migrations run in a scratch schema of the same database, dropped afterwards. Extensions belong to the
 * database rather than to a schema, so they are not compared here (use {@link Shadow} and {@link SchemaDiff} for
 * that).
 */
public final class SchemaAssertions {

    private SchemaAssertions() {
    }

    /**
     * @throws AssertionError listing every object that differs, with its DDL on both sides and the statements that
     *                        would make the schema current
     */
    public static void assertCurrent(DataSource dataSource, String schema, Path migrations) {
        assertCurrent(dataSource, schema, builder -> builder.migrations(migrations));
    }

    /** @param project sets up the migrations: {@code b -> b.project(Path.of(".")).placeholder("role", "app")} */
    public static void assertCurrent(DataSource dataSource, String schema, UnaryOperator<Gearshift.Builder> project) {
        SchemaChanges changes = compare(dataSource, schema, project);
        if (!changes.isEmpty()) {
            throw new AssertionError(message(schema, changes));
        }
    }

    /** The statements that would make {@code schema} what the migrations produce (empty when it is). */
    public static SchemaChanges compare(DataSource dataSource, String schema, UnaryOperator<Gearshift.Builder> project) {
        String scratch = "gearshift_check_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            Gearshift gearshift = project.apply(Gearshift.configure()).dataSource(dataSource).schema(scratch)
                    .createSchema(true).build();
            gearshift.up(Target.latest());
            SchemaModel expected = withoutExtensions(SchemaModel.read(dataSource, scratch));
            SchemaModel actual = withoutExtensions(SchemaModel.read(dataSource, schema));
            return SchemaDiff.between(actual, expected);
        } finally {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + scratch + " CASCADE");
            } catch (SQLException e) {
                throw new GearshiftException(ErrorCode.CONNECTION, "cannot drop the scratch schema " + scratch + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static SchemaModel withoutExtensions(SchemaModel model) {
        TreeMap<Key, dev.gearshift.diff.internal.DbObject> objects = new TreeMap<>(model.model().objects());
        objects.keySet().removeIf(key -> key.kind() == Kind.EXTENSION);
        Model inner = model.model();
        return model.withModel(new Model(objects, inner.dependencies(), inner.unsupported()));
    }

    private static String message(String schema, SchemaChanges changes) {
        StringBuilder text = new StringBuilder("schema " + schema + " is not what the migrations produce: "
                + Counts.of(changes.differences().size(), "object differs", "objects differ") + "\n");
        for (SchemaChanges.Difference difference : changes.differences()) {
            text.append("\n").append(difference.kind()).append(' ').append(difference.name()).append(": ")
                    .append(switch (difference.change()) {
                        case ADDED -> "missing";
                        case REMOVED -> "not in the migrations";
                        case CHANGED -> "different";
                    }).append('\n');
            if (difference.toDdl() != null) {
                text.append("  the migrations make:\n").append(indent(difference.toDdl()));
            }
            if (difference.fromDdl() != null) {
                text.append("  the schema has:\n").append(indent(difference.fromDdl()));
            }
        }
        text.append("\nTo make it current:\n").append(indent(changes.sql()));
        changes.warnings().forEach(w -> text.append("warning: ").append(w).append('\n'));
        return text.toString();
    }

    private static String indent(String text) {
        return text.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
    }
}
