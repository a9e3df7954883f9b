package dev.gearshift.diff;

import dev.gearshift.Gearshift;
import dev.gearshift.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How a target's schema differs from what its migrations produce: the changes that would reconcile it, and what to
 * know before trusting them (migrations not applied yet, objects not compared).
 *
 * <pre>{@code
 * SchemaDrift drift = SchemaDrift.of(gearshift.status(), SchemaModel.read(url, user, password, schema), shadow,
 *         b -> b.project(projectDirectory));
 * if (drift.found()) { ... drift.changes().sql() ... }
 * }</pre>
 *
 * @param schema   the target's schema
 * @param changes  from the live schema to what the migrations produce
 * @param warnings what may make the comparison misleading
 */
public record SchemaDrift(String schema, SchemaChanges changes, List<String> warnings) {

    public SchemaDrift {
        warnings = List.copyOf(warnings);
    }

    /** True when the schema is not what the migrations produce. */
    public boolean found() {
        return !changes.isEmpty();
    }

    /**
     * @param status  the target's status: its schema, and the migrations it has not applied yet
     * @param live    the target's schema as it is
     * @param shadow  where the project's migrations are run, all of them, to see what they produce
     * @param project the project's migrations on a builder
     */
    public static SchemaDrift of(Status status, SchemaModel live, Shadow shadow,
                                 UnaryOperator<Gearshift.Builder> project) {
        List<String> warnings = new ArrayList<>();
        long pending = status.modules().stream().mapToLong(m -> m.pending().size()).sum();
        if (pending > 0) {
            warnings.add(pending + " migration" + (pending == 1 ? " is" : "s are") + " not applied to the target"
                    + " yet: it is compared with all of them (apply them first)");
        }
        SchemaModel expected = shadow.migrate(project, status.schema());
        SchemaChanges changes = SchemaDiff.between(live, expected);
        warnings.addAll(changes.warnings());
        return new SchemaDrift(status.schema(), changes, warnings);
    }
}
