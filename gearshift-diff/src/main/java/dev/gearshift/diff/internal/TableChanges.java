package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The ALTER TABLE statements for a table on both sides, once the drop phase has run: columns that go were
 * dropped there already, and so were the defaults of {@code resetDefaults}.
 */
final class TableChanges {

    private final Table from;
    private final Table to;
    private final Set<Key> dropped;
    private final Set<Key> resetDefaults;
    private final Set<Key> swapped;
    private final boolean hasChildren;
    private final List<String> warnings;
    private final List<Step> steps = new ArrayList<>();
    private final String alter;

    private TableChanges(Table from, Table to, Set<Key> dropped, Set<Key> resetDefaults, Set<Key> swapped,
                         boolean hasChildren, List<String> warnings) {
        this.hasChildren = hasChildren;
        this.from = from;
        this.to = to;
        this.dropped = dropped;
        this.resetDefaults = resetDefaults;
        this.swapped = swapped;
        this.warnings = warnings;
        this.alter = "ALTER TABLE " + ident(to.name());
    }

    /**
     * @param swapped     columns whose type keeps its name but is replaced: converted through text
     * @param hasChildren the table has inheritance children while its statements run
     */
    static List<Step> alter(Table from, Table to, Set<Key> dropped, Set<Key> resetDefaults, Set<Key> swapped,
                            boolean hasChildren, List<String> warnings) {
        TableChanges changes = new TableChanges(from, to, dropped, resetDefaults, swapped, hasChildren, warnings);
        // table-level first: revoking a table privilege also revokes it from every column
        changes.table();
        changes.columns();
        return changes.steps;
    }

    private void columns() {
        for (Column cb : to.columns()) {
            Key key = Key.on(Kind.COLUMN, to.name(), cb.name());
            Column ca = dropped.contains(key) ? null : from.column(cb.name()).orElse(null);
            if (ca == null) {
                add(cb);
            } else {
                change(key, resetDefaults.contains(key) ? ca.withDefault(null) : ca, cb);
            }
        }
    }

    private void add(Column c) {
        Key key = Key.of(Kind.TABLE, to.name());
        if (c.identity() != null && hasChildren) {
            // PostgreSQL refuses ADD COLUMN ... AS IDENTITY on a table with children; the identity itself is not
            // inherited, so the column is added (to the children too) and made an identity on this table only
            Column plain = new Column(c.name(), c.type(), c.collation(), true, null, null, null, null, List.of());
            steps.add(Step.of(key, alter + " ADD COLUMN " + Ddl.columnDefinition(plain)));
            steps.add(Step.of(key, alter + " ALTER COLUMN " + ident(c.name()) + " ADD GENERATED " + c.identity()
                    + " AS IDENTITY"));
            warnings.add("identity column " + to.name() + "." + c.name() + " is added NOT NULL, then made an identity"
                    + " (PostgreSQL cannot add an identity column to a table with children): it fails when "
                    + to.name() + " or its children have rows");
        } else {
            steps.add(Step.of(key, alter + " ADD COLUMN " + Ddl.columnDefinition(c)));
        }
        if (c.notNull() && c.defaultValue() == null && c.identity() == null && c.generated() == null) {
            warnings.add("adding NOT NULL column " + to.name() + "." + c.name() + " without a default fails when "
                    + to.name() + " has rows: add a default, or add it nullable, fill it, then SET NOT NULL");
        }
        if (c.comment() != null) {
            steps.add(Step.of(key, Ddl.columnComment(to.name(), c.name(), c.comment())));
        }
        Ddl.columnGrants(to.name(), c.name(), List.of(), c.grants()).forEach(sql -> steps.add(Step.of(key, sql)));
    }

    /** One column on both sides; the order of the statements matters (identity needs NOT NULL and no default). */
    private void change(Key key, Column a, Column b) {
        String column = alter + " ALTER COLUMN " + ident(b.name());
        Key table = Key.of(Kind.TABLE, to.name());
        String aDefault = a.defaultValue();
        if (a.generated() != null && b.generated() == null) {
            steps.add(Step.of(table, column + " DROP EXPRESSION")); // keeps the computed values
        }
        if (a.identity() != null && b.identity() == null) {
            steps.add(Step.of(table, column + " DROP IDENTITY"));
        }
        boolean swap = swapped.contains(key);
        if (swap || !a.type().equals(b.type()) || !Objects.equals(a.collation(), b.collation())) {
            if (aDefault != null) {
                steps.add(Step.of(table, column + " DROP DEFAULT"));
                aDefault = null;
            }
            String using = ident(b.name()) + (swap ? "::text::" : "::") + b.type();
            String reason = swap ? "converts " + to.name() + "." + b.name() + (a.type().equals(b.type())
                    ? " to the new " + b.type() : " from " + a.type() + " to " + b.type())
                    + " through text: values the new type does not accept make it fail"
                    : "changes the type of " + to.name() + "." + b.name() + " from " + a.type() + " to " + b.type()
                    + ": values that do not convert make it fail, or lose precision";
            if (!swap && a.type().equals(b.type())) {
                // only the collation: the values stay as they are, the column's indexes are rebuilt
                steps.add(Step.of(table, column + " TYPE " + b.typeWithCollation()));
            } else {
                steps.add(Step.destructive(table, column + " TYPE " + b.typeWithCollation() + " USING " + using,
                        reason));
            }
        }
        boolean defaultChanges = !Objects.equals(aDefault, b.defaultValue());
        if (defaultChanges && b.defaultValue() == null) {
            steps.add(Step.of(table, column + " DROP DEFAULT"));
        }
        if (!a.notNull() && b.notNull()) {
            steps.add(Step.of(table, column + " SET NOT NULL"));
            if (b.identity() == null) {
                warnings.add("SET NOT NULL on " + to.name() + "." + b.name() + " fails while it holds NULLs");
            }
        }
        if (b.identity() != null && a.identity() == null) {
            steps.add(Step.of(table, column + " ADD GENERATED " + b.identity() + " AS IDENTITY"));
        } else if (b.identity() != null && !b.identity().equals(a.identity())) {
            steps.add(Step.of(table, column + " SET GENERATED " + b.identity()));
        }
        if (a.notNull() && !b.notNull()) {
            steps.add(Step.of(table, column + " DROP NOT NULL"));
        }
        if (defaultChanges && b.defaultValue() != null) {
            steps.add(Step.of(table, column + " SET DEFAULT " + b.defaultValue()));
        }
        if (!Objects.equals(a.comment(), b.comment())) {
            steps.add(Step.of(table, Ddl.columnComment(to.name(), b.name(), b.comment())));
        }
        Ddl.columnGrants(to.name(), b.name(), Ddl.afterTableRevokes(a.grants(), from.grants(), to.grants()),
                b.grants()).forEach(sql -> steps.add(Step.of(table, sql)));
    }

    private void table() {
        Key key = to.key();
        if (from.unlogged() != to.unlogged()) {
            steps.add(Step.of(key, alter + (to.unlogged() ? " SET UNLOGGED" : " SET LOGGED")));
        }
        if (from.rowSecurity() != to.rowSecurity()) {
            steps.add(Step.of(key, alter + (to.rowSecurity() ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY"));
        }
        if (from.forceRowSecurity() != to.forceRowSecurity()) {
            steps.add(Step.of(key, alter + (to.forceRowSecurity() ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY"));
        }
        Ddl.commentChange(from, to).forEach(sql -> steps.add(Step.of(key, sql)));
        Ddl.grants(to, from.grants(), to.grants()).forEach(sql -> steps.add(Step.of(key, sql)));
    }
}
