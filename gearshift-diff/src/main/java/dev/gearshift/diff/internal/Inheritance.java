package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What PostgreSQL does to child tables (inheritance children and partitions) when their parents change, so that the
 * statements for a child say only what is left to do.
 *
 * <p>Most column changes on a parent recurse: {@code ADD COLUMN}, {@code DROP COLUMN} (the child's column goes
 * when it has it only from its parents), {@code TYPE}, {@code SET/DROP DEFAULT}, {@code SET/DROP NOT NULL}. A
 * partition cannot have a column change of its own at all. So a child is altered from the state its parents'
 * statements leave it in ({@link #afterParents}), and a new child from the state its {@code CREATE TABLE} leaves it
 * in ({@link #asCreated}).
 *
 * <p>A child that leaves a parent ({@code NO INHERIT}, {@code DETACH PARTITION}) does so before anything else
 * runs, so nothing recurses into it any more; one that joins a parent ({@code INHERIT}, {@code ATTACH PARTITION})
 * does so once its columns are those the parent needs.
 */
final class Inheritance {

    private final Model a;
    private final Model b;
    private final Set<Key> droppedColumns;
    private final Set<Key> resetDefaults;
    private final Map<String, Table> afterParents = new HashMap<>();
    private final Map<String, Set<Key>> readded = new HashMap<>();
    /** Per table, {@code column/property} that statements on it or its ancestors set, recursing into children. */
    private final Map<String, Set<String>> touched = new HashMap<>();
    private final Map<Key, Boolean> implicit = new HashMap<>();

    Inheritance(Model a, Model b, Set<Key> droppedColumns, Set<Key> resetDefaults) {
        this.a = a;
        this.b = b;
        this.droppedColumns = droppedColumns;
        this.resetDefaults = resetDefaults;
    }

    /** The parents a table has on both sides, with the same partition bound: their changes recurse into it. */
    static List<String> stayingParents(Table ta, Table tb) {
        if (ta.partition() != null || tb.partition() != null) {
            return Objects.equals(ta.partition(), tb.partition()) ? List.of(ta.partition().parent()) : List.of();
        }
        return ta.inherits().stream().filter(tb.inherits()::contains).toList();
    }

    // ------------------------------------------------------------------------------------------ leaving, joining

    /**
     * {@code DETACH PARTITION} and {@code NO INHERIT} for a table on both sides, then the drops of what it had from
     * its parents that become its own (PostgreSQL keeps a detached partition's copies of constraints and indexes,
     * and a former child's checks) and {@code to} does not have. Those {@code to} has as they are go in
     * {@code adopted}: they exist already.
     */
    List<Step> leave(Table ta, Table tb, Set<Key> adopted) {
        List<Step> steps = new ArrayList<>();
        List<DbObject> becomeOwn = new ArrayList<>();
        if (ta.partition() != null && !ta.partition().equals(tb.partition())) {
            steps.add(Step.of(ta.key(), "ALTER TABLE " + ident(ta.partition().parent()) + " DETACH PARTITION "
                    + ident(ta.name())));
            becomeOwn.addAll(ta.inherited());
        }
        List<String> gone = ta.inherits().stream().filter(p -> !tb.inherits().contains(p)).toList();
        for (String parent : gone) {
            steps.add(Step.of(ta.key(), "ALTER TABLE " + ident(ta.name()) + " NO INHERIT " + ident(parent)));
        }
        if (!gone.isEmpty() && gone.size() == ta.inherits().size()) {
            becomeOwn.addAll(ta.inherited());
        }
        for (DbObject copy : becomeOwn) {
            DbObject wanted = b.get(copy.key());
            if (copy.equals(wanted)) {
                adopted.add(copy.key());
            } else {
                steps.add(Step.of(copy.key(), Ddl.drop(copy)));
            }
        }
        return steps;
    }

    /**
     * {@code INHERIT} and {@code ATTACH PARTITION} for a table on both sides, after its own changes. Both require
     * the child to have the parent's checks already: those it has only from its parents in {@code to}, and not
     * yet, are added first.
     */
    List<Step> join(Table ta, Table tb) {
        List<Step> steps = new ArrayList<>();
        List<String> added = tb.inherits().stream().filter(p -> !ta.inherits().contains(p)).toList();
        boolean attach = tb.partition() != null && !tb.partition().equals(ta.partition());
        if (!added.isEmpty() || attach) {
            Set<String> present = new HashSet<>();
            if (!leaves(ta, tb)) {
                ta.inherited().forEach(o -> present.add(o.key().name()));
            }
            kept(ta, tb).forEach(k -> present.add(k.name()));
            for (DbObject copy : tb.inherited()) {
                if (copy instanceof Constraint c && c.type().equals("c") && !present.contains(c.name())) {
                    steps.add(Step.of(tb.key(), Ddl.create(c).get(0)));
                }
            }
        }
        for (String parent : added) {
            steps.add(Step.of(tb.key(), "ALTER TABLE " + ident(tb.name()) + " INHERIT " + ident(parent)));
        }
        if (attach) {
            steps.add(Step.of(tb.key(), "ALTER TABLE " + ident(tb.partition().parent()) + " ATTACH PARTITION "
                    + ident(tb.name()) + " " + tb.partition().bound()));
        }
        return steps;
    }

    /** True when the table leaves its partition's parent, or all its inheritance parents. */
    private static boolean leaves(Table ta, Table tb) {
        return ta.partition() != null && !ta.partition().equals(tb.partition()) || !ta.inherits().isEmpty()
                && ta.inherits().stream().noneMatch(tb.inherits()::contains);
    }

    /**
     * Constraints and indexes of a table joining a parent that equal the copies the parent needs on it: PostgreSQL
     * takes them as those copies ({@code INHERIT} merges checks, {@code ATTACH PARTITION} also keys and indexes),
     * so they are kept, not dropped.
     */
    Set<Key> kept(Table ta, Table tb) {
        Set<Key> kept = new HashSet<>();
        boolean attach = tb.partition() != null && !tb.partition().equals(ta.partition());
        boolean inherit = tb.inherits().stream().anyMatch(p -> !ta.inherits().contains(p));
        for (DbObject copy : tb.inherited()) {
            if (copy.equals(a.get(copy.key())) && b.get(copy.key()) == null
                    && (attach || inherit && copy instanceof Constraint c && c.type().equals("c"))) {
                kept.add(copy.key());
            }
        }
        return kept;
    }

    // ------------------------------------------------------------------------------------------ new children

    /**
     * The table {@code Ddl.create(created)} makes: a partition has its parent's columns, an inheritance child its
     * parents' merged with its own (its own default wins, NOT NULL from either). Parents are as in {@code to}:
     * they are created or altered first.
     */
    static Table asCreated(Table created, Model to) {
        if (created.parents().isEmpty()) {
            return created;
        }
        List<Column> columns = new ArrayList<>();
        for (Column c : created.columns()) {
            Column p = null;
            for (String parent : created.parents()) {
                if (p == null && to.get(Key.of(Kind.TABLE, parent)) instanceof Table t) {
                    p = t.column(c.name()).orElse(null);
                }
            }
            if (p == null) {
                columns.add(c);
            } else if (created.declares(c.name()) && created.partition() == null) {
                columns.add(new Column(c.name(), c.type(), c.collation(), c.notNull() || p.notNull(),
                        c.defaultValue() != null ? c.defaultValue() : p.defaultValue(), c.identity(), c.generated(),
                        c.comment(), c.grants()));
            } else {
                Column copy = copyOf(p, created.partition() != null);
                columns.add(new Column(c.name(), copy.type(), copy.collation(), copy.notNull(), copy.defaultValue(),
                        copy.identity(), copy.generated(), c.comment(), c.grants()));
            }
        }
        return created.withColumns(columns);
    }

    /** A parent's column as PostgreSQL gives it to a child: comments and privileges are not inherited. */
    private static Column copyOf(Column parent, boolean partition) {
        return new Column(parent.name(), parent.type(), parent.collation(), parent.notNull(), parent.defaultValue(),
                partition ? parent.identity() : null, parent.generated(), null, List.of());
    }

    // ------------------------------------------------------------------------------------------ existing children

    /** The table on both sides as its parents' statements leave it (before its own). */
    Table afterParents(String name) {
        Table cached = afterParents.get(name);
        if (cached != null) {
            return cached;
        }
        Table ta = (Table) a.get(Key.of(Kind.TABLE, name));
        Table tb = b.get(Key.of(Kind.TABLE, name)) instanceof Table t ? t : null;
        Table result = ta;
        Set<Key> again = new HashSet<>();
        Set<String> set = new HashSet<>();
        if (tb != null && !stayingParents(ta, tb).isEmpty()) {
            Map<String, Column> columns = new LinkedHashMap<>();
            for (Column c : ta.columns()) {
                if (!droppedColumns.contains(column(name, c.name()))) {
                    columns.put(c.name(), c);
                }
            }
            for (String parent : stayingParents(ta, tb)) {
                Table pa = afterParents(parent);
                Table pb = (Table) b.get(Key.of(Kind.TABLE, parent));
                Set<Key> parentDropped = droppedFor(parent);
                Set<String> parentTouched = touched.get(parent);
                for (Column pcb : pb.columns()) {
                    Key key = column(parent, pcb.name());
                    Column pca = parentDropped.contains(key) ? null : pa.column(pcb.name()).orElse(null);
                    if (pca == null || readded.get(parent).contains(key)) {
                        if (!columns.containsKey(pcb.name())) { // ADD COLUMN recursed
                            columns.put(pcb.name(), copyOf(pcb, ta.partition() != null));
                            again.add(column(name, pcb.name()));
                        }
                        continue;
                    }
                    Column cc = columns.get(pcb.name());
                    if (cc == null) {
                        continue;
                    }
                    if (resetDefaults.contains(key)) {
                        pca = pca.withDefault(null);
                    }
                    String col = pcb.name();
                    boolean retyped = !pca.type().equals(pcb.type()) || !Objects.equals(pca.collation(),
                            pcb.collation()) || parentTouched.contains(col + "/type");
                    boolean defaulted = retyped && pca.defaultValue() != null || resetDefaults.contains(key)
                            || !Objects.equals(pca.defaultValue(), pcb.defaultValue())
                            || parentTouched.contains(col + "/default");
                    boolean nulled = pca.notNull() != pcb.notNull() || parentTouched.contains(col + "/notnull");
                    String type = retyped ? pcb.type() : cc.type();
                    String collation = retyped ? pcb.collation() : cc.collation();
                    String defaultValue = defaulted ? pcb.defaultValue() : cc.defaultValue();
                    boolean notNull = nulled ? pcb.notNull() : cc.notNull();
                    if (retyped) {
                        set.add(col + "/type");
                    }
                    if (defaulted) {
                        set.add(col + "/default");
                    }
                    if (nulled) {
                        set.add(col + "/notnull");
                    }
                    columns.put(cc.name(), new Column(cc.name(), type, collation, notNull, defaultValue,
                            cc.identity(), cc.generated(), cc.comment(), cc.grants()));
                }
            }
            result = ta.withColumns(List.copyOf(columns.values()));
        }
        afterParents.put(name, result);
        readded.put(name, again);
        touched.put(name, set);
        return result;
    }

    /** The columns of {@code table} its own statements treat as dropped: not those a parent's ADD COLUMN gave back. */
    Set<Key> droppedFor(String table) {
        afterParents(table);
        Set<Key> dropped = new HashSet<>(droppedColumns);
        dropped.removeAll(readded.get(table));
        return dropped;
    }

    // ------------------------------------------------------------------------------------------ dropped columns

    /**
     * True when a dropped column goes with its parents' {@code DROP COLUMN}: the child has it only from parents
     * that all drop it, recursing.
     */
    boolean droppedByParents(Key column) {
        Boolean known = implicit.get(column);
        if (known != null) {
            return known;
        }
        boolean result = false;
        List<String> parents = parentsWith(column);
        if (!parents.isEmpty() && !declaredAfterLeaving(column)) {
            result = parents.stream().allMatch(p -> droppedColumns.contains(column(p, column.name()))
                    && !dropOnly(column(p, column.name())));
        }
        implicit.put(column, result);
        return result;
    }

    /** The dropped columns of staying parents that {@code column} must be dropped after (it is inherited till then). */
    List<Key> droppedInParents(Key column) {
        return parentsWith(column).stream().map(p -> column(p, column.name())).filter(droppedColumns::contains)
                .toList();
    }

    /**
     * True when a parent's column is dropped with {@code ALTER TABLE ONLY}: a child that has it only from this
     * parent keeps it as its own (PostgreSQL would drop it, and its data, with the parent's).
     */
    boolean dropOnly(Key column) {
        if (!droppedColumns.contains(column) || droppedByParents(column)
                || !(a.get(column.tableKey()) instanceof Table parent) || parent.partitioned()) {
            return false;
        }
        for (DbObject object : a.objects().values()) {
            if (object instanceof Table ta && b.get(ta.key()) instanceof Table tb
                    && stayingParents(ta, tb).contains(parent.name()) && ta.column(column.name()).isPresent()
                    && !declaredAfterLeaving(column(ta.name(), column.name()))
                    && tb.column(column.name()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Staying parents of the column's table that have the column in {@code from}. */
    private List<String> parentsWith(Key column) {
        if (!(a.get(column.tableKey()) instanceof Table ta) || !(b.get(column.tableKey()) instanceof Table tb)) {
            return List.of();
        }
        return stayingParents(ta, tb).stream().filter(p -> a.get(Key.of(Kind.TABLE, p)) instanceof Table t
                && t.column(column.name()).isPresent()).toList();
    }

    /** True when the child declares the column, or will once it left the parents it had it from. */
    private boolean declaredAfterLeaving(Key column) {
        Table ta = (Table) a.get(column.tableKey());
        return ta.declares(column.name()) || parentsWith(column).isEmpty();
    }

    private static Key column(String table, String name) {
        return Key.on(Kind.COLUMN, table, name);
    }
}
