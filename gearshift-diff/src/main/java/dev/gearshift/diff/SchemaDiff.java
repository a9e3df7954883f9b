package dev.gearshift.diff;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.diff.internal.Ddl;
import dev.gearshift.diff.internal.DiffResult;
import dev.gearshift.diff.internal.Differ;
import dev.gearshift.diff.internal.Difference;
import dev.gearshift.diff.internal.Renamer;
import dev.gearshift.diff.internal.Sql;
import dev.gearshift.diff.internal.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares two schema models.
 *
 * <pre>{@code
 * SchemaChanges up = SchemaDiff.between(current, desired, List.of(Rename.parse("orders.total=amount")));
 * Files.writeString(upFile, up.sql());
 * }</pre>
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    /** The statements that turn {@code from} into {@code to}. */
    public static SchemaChanges between(SchemaModel from, SchemaModel to) {
        return between(from, to, List.of());
    }

    /**
     * @param renames tables and columns renamed between {@code from} and {@code to}; never guessed
     * @throws GearshiftException ({@code USAGE}) when a rename names what is not there
     */
    public static SchemaChanges between(SchemaModel from, SchemaModel to, List<Rename> renames) {
        return between(from, to, renames, Options.DEFAULTS);
    }

    /**
     * How the statements are written.
     *
     * @param online what would lock a table that exists on both sides while it is scanned or an index is built is
     *               written in its online form, in a second part that runs outside a transaction: indexes built
     *               and dropped {@code CONCURRENTLY}, primary and unique keys added {@code USING INDEX} such an
     *               index (a primary key's columns made NOT NULL through a validated check first), foreign keys
     *               and checks added {@code NOT VALID} then validated. Partitioned tables allow none of it: their
     *               statements stay plain, with a warning
     */
    public record Options(boolean online) {
        /** One transactional part, every statement in its plain form. */
        public static final Options DEFAULTS = new Options(false);
        public static final Options ONLINE = new Options(true);
    }

    /**
     * @param renames tables and columns renamed between {@code from} and {@code to}; never guessed
     * @throws GearshiftException ({@code USAGE}) when a rename names what is not there
     */
    public static SchemaChanges between(SchemaModel from, SchemaModel to, List<Rename> renames, Options options) {
        if (from.isDatabase() != to.isDatabase()) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot compare one schema with several: read both sides"
                    + " as one schema, or both as a database");
        }
        if (from.isDatabase() && !renames.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "renames are for one-schema diffs: compare the schema"
                    + " alone to rename in it");
        }
        DiffResult result;
        try {
            result = Differ.diff(from.model(), to.model(), renames.stream()
                    .map(r -> new Renamer.Rename(r.table(), r.column(), r.newName())).toList(), options.online());
        } catch (IllegalArgumentException e) {
            throw new GearshiftException(ErrorCode.USAGE, e.getMessage(), e);
        }
        List<SchemaChanges.Part> parts = new ArrayList<>();
        for (DiffResult.Part part : result.parts()) {
            List<SchemaChanges.Statement> statements = new ArrayList<>();
            for (Step step : part.steps()) {
                if (Sql.holdsUnwrittenName(step.sql())) {
                    throw new IllegalStateException("a qualified name was not written as SQL in: "
                            + Sql.forPeople(step.sql()));
                }
                statements.add(new SchemaChanges.Statement(step.key().toString(), step.sql(), step.destructive(),
                        step.reason() == null ? null : Sql.forPeople(step.reason())));
            }
            parts.add(new SchemaChanges.Part(part.transactional(), statements, part.after() == to.model() ? to
                    : to.withModel(part.after())));
        }
        List<SchemaChanges.Difference> differences = new ArrayList<>();
        for (Difference difference : result.differences()) {
            String key = difference.key().toString();
            String kind = difference.key().kind().sqlName();
            SchemaChanges.Change change = difference.from() == null ? SchemaChanges.Change.ADDED
                    : difference.to() == null ? SchemaChanges.Change.REMOVED : SchemaChanges.Change.CHANGED;
            differences.add(new SchemaChanges.Difference(kind, key.substring(kind.length() + 1), change,
                    difference.from() == null ? null : script(Ddl.create(difference.from())),
                    difference.to() == null ? null : script(Ddl.create(difference.to()))));
        }
        List<String> warnings = new ArrayList<>(result.warnings().stream().map(Sql::forPeople).toList());
        from.unsupported().forEach(u -> warnings.add("not compared (unsupported) in " + where(from) + ": " + u));
        to.unsupported().forEach(u -> warnings.add("not compared (unsupported) in " + where(to) + ": " + u));
        int fromMajor = from.serverVersion() / 10000;
        int toMajor = to.serverVersion() / 10000;
        if (fromMajor != 0 && toMajor != 0 && fromMajor != toMajor && !differences.isEmpty()) {
            warnings.add("the two sides were read from PostgreSQL " + fromMajor + " and " + toMajor + ", which print"
                    + " view and function definitions differently: differences in them may be only that; use a"
                    + " dev database of the same version");
        }
        return new SchemaChanges(parts, differences, warnings);
    }

    private static String where(SchemaModel model) {
        return model.isDatabase() ? "the database" : model.schema();
    }

    private static String script(List<String> statements) {
        return String.join(";\n", statements) + ";";
    }
}
