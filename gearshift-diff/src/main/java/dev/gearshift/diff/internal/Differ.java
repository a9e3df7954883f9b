package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes the statements that turn model {@code from} into model {@code to}.
 *
 * <p>Each object is created, dropped, altered in place, or replaced (dropped and created again, for what
 * PostgreSQL cannot alter: a view's query, a function's result type). A change spreads along the dependencies
 * read from the catalogs: what depends on a replaced or dropped object, or on a column that is dropped or changes
 * type, is replaced too (a view over a column whose type changes is dropped before and created after).
 *
 * <p>The statements run in three phases:
 * <ol>
 *   <li>drops, dependents first (by the dependencies of {@code from}): replaced and dropped objects, dropped
 *       columns, column defaults that use something about to go;</li>
 *   <li>creates and alters, dependencies first (by the dependencies of {@code to});</li>
 *   <li>what must wait for both: sequence ownership, and drops of types still used by columns until those
 *       columns changed type.</li>
 * </ol>
 *
 * <p>Online (an option), what would lock an existing table while it is scanned or an index is built moves to a
 * second part that runs outside a transaction, after the first has committed: indexes built and dropped
 * {@code CONCURRENTLY}, primary and unique keys made from such an index, foreign keys and checks added
 * {@code NOT VALID} then validated, and whatever needs one of these (a foreign key on a new key).
 */
public final class Differ {

    private enum Action { CREATE, DROP, REPLACE, ALTER }

    /** A unit to order: the steps for one object in one role (its drop, its creation, one dropped column...). */
    private record Item(Key key, String role) {
    }

    private static final Set<Kind> RETYPE_SENSITIVE = EnumSet.of(Kind.VIEW, Kind.MATERIALIZED_VIEW, Kind.POLICY,
            Kind.TRIGGER, Kind.FUNCTION, Kind.AGGREGATE);
    private static final Set<Kind> NEVER_REPLACED = EnumSet.of(Kind.TABLE, Kind.SEQUENCE, Kind.EXTENSION,
            Kind.SCHEMA);

    private final Model a;
    private final Model b;
    private final List<Step> prefix;
    private final Map<Key, Action> actions = new HashMap<>();
    private final Set<Key> droppedColumns = new HashSet<>();
    private final Set<Key> retypedColumns = new HashSet<>();
    private final Set<Key> swappedColumns = new HashSet<>();
    private final Set<Key> resetDefaults = new HashSet<>();
    private final Set<Key> swappedTypes = new TreeSet<>();
    private final Set<Key> deferredDrops = new HashSet<>();
    /** Objects dropped along with another (a table's constraints and indexes), to that other. */
    private final Map<Key, Key> implicitDrops = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    /**
     * Copies of a parent's constraints and indexes a child keeps as its own when it leaves, and its own that become
     * such copies when it joins: neither created nor dropped.
     */
    private final Set<Key> adopted = new HashSet<>();
    private Inheritance inheritance;

    private final boolean online;
    /** Online: indexes dropped CONCURRENTLY in the part outside a transaction. */
    private final Set<Key> laterDrops = new HashSet<>();
    /** Online: what is created in its online form in the part outside a transaction. */
    private final Set<Key> laterCreates = new HashSet<>();
    /** Online: by table, the columns a new primary key makes NOT NULL through a validated check. */
    private final Map<String, Set<String>> notNullLater = new HashMap<>();
    /** Online: the statements of the part outside a transaction (drops, then creations). */
    private final List<Step> outsideDrops = new ArrayList<>();
    private final List<Step> outsideCreates = new ArrayList<>();
    /** Online: every creation that waits for the part outside a transaction, in its form or not. */
    private final Set<Key> deferredCreates = new HashSet<>();

    private Differ(Model from, Model to, List<Step> prefix, boolean online) {
        this.a = from;
        this.b = to;
        this.prefix = prefix;
        this.online = online;
    }

    /** The statements from {@code from} to {@code to}; renames first, when there are any. */
    public static DiffResult diff(Model from, Model to, List<Renamer.Rename> renames) {
        return diff(from, to, renames, false);
    }

    /**
     * @param online write what would lock an existing table for long in its online form, in a second part that
     *               runs outside a transaction
     */
    public static DiffResult diff(Model from, Model to, List<Renamer.Rename> renames, boolean online) {
        Renamer.Renamed renamed = Renamer.apply(from, to, renames);
        return new Differ(renamed.model(), to, renamed.steps(), online).compute();
    }

    private DiffResult compute() {
        classify();
        replaceRepartitioned();
        reinstallOlderExtensions();
        cascade();
        deferDropsStillInUse();
        inheritance = new Inheritance(a, b, droppedColumns, resetDefaults);
        if (online) {
            planOnline();
        }
        List<Step> steps = new ArrayList<>(prefix);
        steps.addAll(leavePhase());
        steps.addAll(dropPhase());
        steps.addAll(createPhase());
        steps.addAll(finalPhase());
        List<DiffResult.Part> parts = new ArrayList<>();
        List<Step> outside = new ArrayList<>(outsideDrops);
        outside.addAll(outsideCreates);
        if (outside.isEmpty()) {
            parts.add(new DiffResult.Part(true, steps, b));
        } else {
            if (!steps.isEmpty()) {
                parts.add(new DiffResult.Part(true, steps, afterTransactionalPart()));
            }
            parts.add(new DiffResult.Part(false, outside, b));
        }
        List<Difference> differences = new ArrayList<>();
        Set<Key> keys = new TreeSet<>(a.objects().keySet());
        keys.addAll(b.objects().keySet());
        for (Key key : keys) {
            if (!Objects.equals(a.get(key), b.get(key))) {
                differences.add(new Difference(key, a.get(key), b.get(key)));
            }
        }
        return new DiffResult(parts, differences, warnings);
    }

    // ------------------------------------------------------------------------------------------ what changes

    private void classify() {
        Set<Key> keys = new TreeSet<>(a.objects().keySet());
        keys.addAll(b.objects().keySet());
        for (Key key : keys) {
            DbObject x = a.get(key);
            DbObject y = b.get(key);
            if (y == null) {
                actions.put(key, Action.DROP);
            } else if (x == null) {
                actions.put(key, Action.CREATE);
            } else if (!x.equals(y)) {
                actions.put(key, mustReplace(x, y) ? Action.REPLACE : Action.ALTER);
            }
            if (x instanceof Table ta && y instanceof Table tb) {
                for (Column ca : ta.columns()) {
                    Key column = Key.on(Kind.COLUMN, ta.name(), ca.name());
                    Column cb = tb.column(ca.name()).orElse(null);
                    boolean madePlain = ca.generated() != null && cb != null && cb.generated() == null;
                    if (cb == null || !madePlain && !Objects.equals(ca.generated(), cb.generated())) {
                        droppedColumns.add(column); // a changed generation expression: dropped and added again
                    } else if (!ca.type().equals(cb.type()) || !Objects.equals(ca.collation(), cb.collation())) {
                        retypedColumns.add(column);
                        if (needsText(ca.type(), cb.type())) {
                            swappedColumns.add(column);
                        }
                    }
                }
            }
        }
    }

    /**
     * True when a column going from type {@code from} to {@code to} must be converted through text: PostgreSQL has
     * no cast between two enums, or from an enum or composite type to most other types, but every type reads and
     * prints text.
     */
    private boolean needsText(String from, String to) {
        Kind x = userType(a, from);
        Kind y = userType(b, to);
        if (from.equals(to) || from.equals("text") || to.equals("text")) {
            return false;
        }
        return x != null && y != null || x == Kind.ENUM || y == Kind.ENUM || x == Kind.COMPOSITE_TYPE
                || y == Kind.COMPOSITE_TYPE || isRange(from) || isRange(to);
    }

    /**
     * PostgreSQL's own range and multirange types (int4range, tsrange, datemultirange...; arrays of them too): no
     * range has a cast to another range, or to anything but text.
     */
    private static boolean isRange(String type) {
        return type.replaceAll("(\\[])+$", "").matches("(int4|int8|num|ts|tstz|date)(multi)?range");
    }

    /** True when the table of {@code column} has it from a parent too, in A. */
    private boolean inheritsColumn(Key column) {
        return a.get(column.tableKey()) instanceof Table t && t.parents().stream()
                .anyMatch(parent -> a.get(Key.of(Kind.TABLE, parent)) instanceof Table p
                        && p.column(column.name()).isPresent());
    }

    /** True when an inheritance child of {@code table} exists in A (its own statements run while it has them). */
    private boolean hasChildren(Table table) {
        return a.objects().values().stream().anyMatch(object -> object instanceof Table t
                && t.inherits().contains(table.name()));
    }

    /** The kind of the schema's own type a column's type names (or an array of it), or null. */
    private static Kind userType(Model model, String type) {
        String element = type.replaceAll("(\\[])+$", "");
        for (Kind kind : List.of(Kind.ENUM, Kind.DOMAIN, Kind.COMPOSITE_TYPE)) {
            for (Key key : model.objects().keySet()) {
                if (key.kind() == kind && ident(key.name()).equals(element)) {
                    return kind;
                }
            }
        }
        return null;
    }

    /**
     * A table whose partitioning changes (key, or partitioned at all) is made anew, and so are its partitions:
     * PostgreSQL cannot change a partition key in place.
     */
    private void replaceRepartitioned() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (DbObject object : a.objects().values()) {
                if (object instanceof Table t && t.partition() != null && b.get(t.key()) != null
                        && actions.get(t.key()) != Action.REPLACE
                        && actions.get(Key.of(Kind.TABLE, t.partition().parent())) == Action.REPLACE) {
                    actions.put(t.key(), Action.REPLACE);
                    changed = true;
                }
            }
        }
        droppedColumns.removeIf(column -> actions.get(column.tableKey()) == Action.REPLACE);
        retypedColumns.removeIf(column -> actions.get(column.tableKey()) == Action.REPLACE);
    }

    /**
     * An extension going back to an older version whose users in A all go in this diff (a column of its type
     * dropped with its table...) is dropped and installed again at that version: no script goes back.
     */
    private void reinstallOlderExtensions() {
        for (Map.Entry<Key, Action> entry : actions.entrySet()) {
            if (entry.getValue() == Action.ALTER && a.get(entry.getKey()) instanceof Extension e
                    && b.get(entry.getKey()) instanceof Extension f && e.newerThan(f)
                    && a.dependencies().entrySet().stream().filter(d -> d.getValue().contains(e.key()))
                    .allMatch(d -> goesBeforeCreates(d.getKey()))) {
                entry.setValue(Action.REPLACE);
            }
        }
    }

    /** True when {@code key} of A is gone once the drop phase ran (dropped, or dropped to be made anew). */
    private boolean goesBeforeCreates(Key key) {
        if (key.kind() == Kind.COLUMN || key.kind() == Kind.COLUMN_DEFAULT) {
            return tableGoes(key.tableKey()) || droppedColumns.contains(Key.on(Kind.COLUMN, key.table(), key.name()));
        }
        Action action = actions.get(key);
        return action == Action.DROP || action == Action.REPLACE;
    }

    /** True when the table goes in the drop phase: dropped, or dropped to be made anew. */
    private boolean tableGoes(Key table) {
        Action action = actions.get(table);
        return action == Action.DROP || action == Action.REPLACE && table.kind() == Kind.TABLE;
    }

    /** True when PostgreSQL cannot alter {@code x} into {@code y} in place. */
    private boolean mustReplace(DbObject x, DbObject y) {
        if (x instanceof Table t && y instanceof Table u) {
            return !Objects.equals(t.partitionBy(), u.partitionBy());
        } else if (x instanceof View v && y instanceof View w) {
            return (!v.definition().equals(w.definition()) || !v.options().equals(w.options())
                    || !v.columns().equals(w.columns())) && !v.replaceableInPlaceBy(w);
        } else if (x instanceof Function f && y instanceof Function g) {
            return !f.definition().equals(g.definition()) && !f.replaceableBy(g);
        } else if (x instanceof Aggregate f && y instanceof Aggregate g) {
            return !f.definition().equals(g.definition()) && !f.replaceableBy(g);
        } else if (x instanceof Collation c && y instanceof Collation d) {
            return !c.createStatement().equals(d.createStatement());
        } else if (x instanceof Extension e && y instanceof Extension f) {
            // no script goes back to an older version: drop it and install that one, when nothing uses it
            return e.newerThan(f) && !used(e.key());
        } else if (x instanceof Constraint c && y instanceof Constraint d) {
            return !c.type().equals(d.type()) || !c.definition().equals(d.definition());
        } else if (x instanceof Index i && y instanceof Index j) {
            return !i.definition().equals(j.definition()) || !i.table().equals(j.table());
        } else if (x instanceof Trigger t && y instanceof Trigger u) {
            return !t.definition().equals(u.definition());
        } else if (x instanceof Policy p && y instanceof Policy q) {
            return p.permissive() != q.permissive() || !p.command().equals(q.command()) || !p.roles().equals(q.roles())
                    || !Objects.equals(p.using(), q.using()) || !Objects.equals(p.withCheck(), q.withCheck());
        } else if (x instanceof EnumType e && y instanceof EnumType f) {
            return !isSubsequence(e.labels(), f.labels()) || usesNewLabel(e, f);
        } else if (x instanceof Domain d && y instanceof Domain e) {
            return !d.baseType().equals(e.baseType()) || !Objects.equals(d.collation(), e.collation());
        } else if (x instanceof CompositeType c && y instanceof CompositeType d) {
            // PostgreSQL refuses ALTER ATTRIBUTE TYPE on a type that columns (or other types) are made of
            return !CompositeChanges.alterable(c, d) || CompositeChanges.retypes(c, d) && usedAsAType(c.key());
        }
        return false;
    }

    /** True when some object of {@code from} depends on {@code key}. */
    private boolean used(Key key) {
        return a.dependencies().values().stream().anyMatch(uses -> uses.contains(key));
    }

    /** True when a column of a table, or an attribute of another composite type, is of type {@code type}. */
    private boolean usedAsAType(Key type) {
        return a.dependencies().entrySet().stream().anyMatch(e -> e.getValue().contains(type)
                && (e.getKey().kind() == Kind.COLUMN || e.getKey().kind() == Kind.COMPOSITE_TYPE));
    }

    /**
     * True when some object of {@code to} spells a label that {@code to} adds to the enum: a value added with
     * {@code ADD VALUE} cannot be used before the transaction commits, so then the type is replaced instead.
     */
    private boolean usesNewLabel(EnumType from, EnumType to) {
        List<String> added = to.labels().stream().filter(l -> !from.labels().contains(l)).toList();
        if (added.isEmpty()) {
            return false;
        }
        String cast = "::" + ident(to.name());
        for (DbObject object : b.objects().values()) {
            String ddl = String.join("\n", Ddl.create(object));
            for (String label : added) {
                if (ddl.contains(Sql.literal(label) + cast)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isSubsequence(List<String> part, List<String> whole) {
        int i = 0;
        for (String label : whole) {
            if (i < part.size() && part.get(i).equals(label)) {
                i++;
            }
        }
        return i == part.size() && new HashSet<>(whole).containsAll(part);
    }

    /** Spreads replacements along the dependencies of {@code from} until nothing more changes. */
    private void cascade() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<Key, Set<Key>> entry : a.dependencies().entrySet()) {
                Key dependent = entry.getKey();
                for (Key used : entry.getValue()) {
                    if (gone(used, dependent.kind())) {
                        changed |= invalidate(dependent, used);
                    }
                }
            }
        }
    }

    /** True when {@code used} will not be there, as it was, for an object of kind {@code dependentKind}. */
    private boolean gone(Key used, Kind dependentKind) {
        if (used.kind() == Kind.COLUMN) {
            return tableGoes(used.tableKey()) || droppedColumns.contains(used)
                    || (retypedColumns.contains(used) || swappedColumns.contains(used))
                    && RETYPE_SENSITIVE.contains(dependentKind);
        }
        Action action = actions.get(used);
        return action == Action.DROP || action == Action.REPLACE;
    }

    private boolean invalidate(Key dependent, Key used) {
        if (dependent.kind() == Kind.COLUMN_DEFAULT || dependent.kind() == Kind.COLUMN) {
            Key column = Key.on(Kind.COLUMN, dependent.table(), dependent.name());
            if (tableGoes(column.tableKey()) || droppedColumns.contains(column)) {
                return false; // goes with its table or column
            }
            if (dependent.kind() == Kind.COLUMN_DEFAULT) {
                boolean generated = a.get(column.tableKey()) instanceof Table t
                        && t.column(column.name()).map(c -> c.generated() != null).orElse(false);
                // a generated column cannot lose its expression for a while: it is dropped and added again
                return generated ? droppedColumns.add(column) : resetDefaults.add(column);
            }
            if ((used.kind().isType() || used.kind() == Kind.COLLATION) && actions.get(used) == Action.REPLACE) {
                // the column's type is replaced: swap it (rename the old type, convert the column, drop the old)
                // a child's column of a parent's goes with the parent's ALTER TYPE: PostgreSQL refuses its own
                return swappedTypes.add(used) | (!inheritsColumn(column) && swappedColumns.add(column));
            }
            return false; // a dropped type: the column changes type anyway, and the drop waits for it
        }
        if (a.get(dependent) == null || b.get(dependent) == null || NEVER_REPLACED.contains(dependent.kind())) {
            return false;
        }
        Action action = actions.get(dependent);
        if (action == null || action == Action.ALTER) {
            actions.put(dependent, Action.REPLACE);
            return true;
        }
        return false;
    }

    /**
     * A dropped type (or anything else) still used by a column that only changes type in the create phase must
     * be dropped after it, and so must whatever that dropped object uses in turn.
     */
    private void deferDropsStillInUse() {
        for (Map.Entry<Key, Set<Key>> entry : a.dependencies().entrySet()) {
            Key dependent = entry.getKey();
            if (dependent.kind() == Kind.COLUMN && !tableGoes(dependent.tableKey())
                    && !droppedColumns.contains(dependent)) {
                for (Key used : entry.getValue()) {
                    if (actions.get(used) == Action.DROP) {
                        defer(used);
                    }
                }
            }
        }
    }

    private void defer(Key key) {
        if (deferredDrops.add(key)) {
            for (Key used : a.dependenciesOf(key)) {
                if (actions.get(used) == Action.DROP) {
                    defer(used);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ phase 0: leaving

    /**
     * Children leaving their parents ({@code DETACH PARTITION}, {@code NO INHERIT}) before anything else, so that
     * no change of the parent recurses into them.
     */
    private List<Step> leavePhase() {
        List<Step> steps = new ArrayList<>();
        for (DbObject object : a.objects().values()) {
            if (object instanceof Table ta && b.get(ta.key()) instanceof Table tb && !tableGoes(ta.key())) {
                steps.addAll(inheritance.leave(ta, tb, adopted));
                adopted.addAll(inheritance.kept(ta, tb));
            }
        }
        adopted.forEach(actions::remove);
        return steps;
    }

    // ------------------------------------------------------------------------------------------ phase 1: drops

    private List<Step> dropPhase() {
        Map<Item, List<Step>> items = new LinkedHashMap<>();
        for (Map.Entry<Key, Action> entry : new java.util.TreeMap<>(actions).entrySet()) {
            Key key = entry.getKey();
            Action action = entry.getValue();
            if (action != Action.DROP && action != Action.REPLACE || deferredDrops.contains(key)) {
                continue;
            }
            DbObject object = a.get(key);
            List<Step> steps = new ArrayList<>();
            if (swappedTypes.contains(key)) {
                steps.add(Step.of(key, "ALTER " + swappedKind(key) + " " + ident(key.name()) + " RENAME TO "
                        + ident(Sql.local(oldName(key)))));
                if (object instanceof Domain d) {
                    // the old domain lives on until its columns are converted: free what its checks and default use
                    for (Domain.Check check : d.checks()) {
                        steps.add(Step.of(key, "ALTER DOMAIN " + ident(oldName(key)) + " DROP CONSTRAINT "
                                + check.name()));
                    }
                    if (d.defaultValue() != null) {
                        steps.add(Step.of(key, "ALTER DOMAIN " + ident(oldName(key)) + " DROP DEFAULT"));
                    }
                }
            } else if (goesWithItsOwner(object) != null) {
                implicitDrops.put(key, goesWithItsOwner(object));
                continue;
            } else {
                steps.add(action == Action.DROP && !recreatedAsOtherKind(key) || key.kind() == Kind.TABLE
                        ? Step.destructive(key, Ddl.drop(object), "drops " + key + (holdsData(key) ? " and its data" : "")
                        + (action == Action.REPLACE ? " to create it anew, partitioned differently" : ""))
                        : Step.of(key, Ddl.drop(object)));
            }
            items.put(new Item(key, "drop"), steps);
        }
        Map<Item, Set<Item>> after = new HashMap<>();
        for (Key column : new TreeSet<>(droppedColumns)) {
            if (inheritance.droppedByParents(column)) {
                continue; // PostgreSQL drops it with its parents' column
            }
            items.put(new Item(column, "drop"), List.of(Step.destructive(column, "ALTER TABLE "
                    + (inheritance.dropOnly(column) ? "ONLY " : "") + ident(column.table()) + " DROP COLUMN "
                    + ident(column.name()), "drops column " + column.table() + "." + column.name() + " and its data")));
        }
        for (Key column : droppedColumns) {
            Item item = new Item(column, "drop");
            if (items.containsKey(item)) {
                // inherited till the parents drop theirs
                for (Key parent : inheritance.droppedInParents(column)) {
                    Item first = dropItem(parent, items);
                    if (first != null) {
                        after.computeIfAbsent(item, k -> new HashSet<>()).add(first);
                    }
                }
            }
        }
        for (Key column : new TreeSet<>(resetDefaults)) {
            items.put(new Item(Key.on(Kind.COLUMN_DEFAULT, column.table(), column.name()), "drop"), List.of(Step.of(
                    column, "ALTER TABLE " + ident(column.table()) + " ALTER COLUMN " + ident(column.name())
                            + " DROP DEFAULT")));
        }
        for (Sequence s : sequences(a)) {
            Sequence t = b.get(s.key()) instanceof Sequence seq ? seq : null;
            if (s.owned() && t != null && !sameOwner(s, t)) {
                Item disown = new Item(s.key(), "disown");
                items.put(disown, List.of(Step.of(s.key(), "ALTER SEQUENCE " + ident(s.name()) + " OWNED BY NONE")));
                Item owner = dropItem(Key.on(Kind.COLUMN, s.ownerTable(), s.ownerColumn()), items);
                if (owner != null) {
                    after.computeIfAbsent(owner, k -> new HashSet<>()).add(disown);
                }
            }
        }
        // dependents go first: an item waits for every item that depends on it
        for (Map.Entry<Key, Set<Key>> entry : a.dependencies().entrySet()) {
            Item dependent = dropItem(entry.getKey(), items);
            if (dependent == null) {
                continue;
            }
            for (Key used : entry.getValue()) {
                Item item = dropItem(used, items);
                if (item != null) {
                    after.computeIfAbsent(item, k -> new HashSet<>()).add(dependent);
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        for (Item item : orderedItems(items, after, Comparator.comparing((Item i) -> i.key().kind()).reversed()
                .thenComparing(Item::key).thenComparing(Item::role), "dropping")) {
            if (laterDrops.contains(item.key()) && item.role().equals("drop")) {
                Step drop = items.get(item).get(0);
                outsideDrops.add(new Step(drop.key(), OnlineDdl.dropIndex((Index) a.get(item.key())),
                        drop.destructive(), drop.reason()));
            } else {
                steps.addAll(items.get(item));
            }
        }
        return steps;
    }

    /** True for a view dropped to come back as a materialized view, or the reverse: nothing is lost. */
    private boolean recreatedAsOtherKind(Key key) {
        return key.kind() == Kind.VIEW && b.get(Key.of(Kind.MATERIALIZED_VIEW, key.name())) != null
                || key.kind() == Kind.MATERIALIZED_VIEW && b.get(Key.of(Kind.VIEW, key.name())) != null;
    }

    /** The drop-phase item standing for a key of {@code from}'s dependencies, or null. */
    private Item dropItem(Key key, Map<Item, List<Step>> items) {
        if (key.kind() == Kind.COLUMN || key.kind() == Kind.COLUMN_DEFAULT) {
            Key column = Key.on(Kind.COLUMN, key.table(), key.name());
            if (tableGoes(column.tableKey())) {
                return new Item(column.tableKey(), "drop");
            }
            if (droppedColumns.contains(column) && inheritance.droppedByParents(column)) {
                return dropItem(inheritance.droppedInParents(column).get(0), items);
            }
            if (droppedColumns.contains(column)) {
                return new Item(column, "drop");
            }
            Item reset = new Item(Key.on(Kind.COLUMN_DEFAULT, key.table(), key.name()), "drop");
            return key.kind() == Kind.COLUMN_DEFAULT && items.containsKey(reset) ? reset : null;
        }
        Key owner = implicitDrops.get(key);
        if (owner != null) {
            return dropItem(owner, items); // what its owner's drop takes along orders like the owner
        }
        Item item = new Item(key, "drop");
        return items.containsKey(item) ? item : null;
    }

    /**
     * What drops {@code object} along with itself, or null: constraints, indexes, triggers and policies vanish with
     * their table (or with a view that is replaced), a sequence with the column that owns it.
     */
    private Key goesWithItsOwner(DbObject object) {
        if (object instanceof Constraint c && c.foreignKey()) {
            return null; // it may reference another table dropped before its own: always dropped first, by name
        }
        if (object instanceof Sequence s && s.owned()) {
            Key column = Key.on(Kind.COLUMN, s.ownerTable(), s.ownerColumn());
            return tableGoes(column.tableKey()) ? column.tableKey()
                    : droppedColumns.contains(column) ? column : null;
        }
        String owner = object instanceof Index i ? i.table() : object.key().table();
        if (owner == null) {
            return null;
        }
        for (Kind kind : List.of(Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW)) {
            Action action = actions.get(Key.of(kind, owner));
            if (action == Action.DROP || action == Action.REPLACE && kind == Kind.TABLE) {
                return Key.of(kind, owner);
            }
            if (action == Action.REPLACE && kind != Kind.TABLE) {
                // what the replaced view takes along comes back with it, unless it is gone for good: that drop is said
                return actions.get(object.key()) == Action.DROP ? null : Key.of(kind, owner);
            }
        }
        return null;
    }

    private static boolean holdsData(Key key) {
        return key.kind() == Kind.TABLE || key.kind() == Kind.MATERIALIZED_VIEW || key.kind() == Kind.SEQUENCE;
    }

    /** How ALTER and DROP name a swapped type or collation. */
    private static String swappedKind(Key key) {
        return key.kind() == Kind.DOMAIN ? "DOMAIN" : key.kind() == Kind.COLLATION ? "COLLATION" : "TYPE";
    }

    private static String oldName(Key type) {
        return type.name() + "__gearshift_old";
    }

    // ------------------------------------------------------------------------------------------ phase 2: creates

    private List<Step> createPhase() {
        Map<Item, List<Step>> items = new LinkedHashMap<>();
        Set<Key> keys = new TreeSet<>(b.objects().keySet());
        for (Key key : keys) {
            DbObject y = b.get(key);
            DbObject x = a.get(key);
            Action action = actions.get(key);
            List<Step> steps = new ArrayList<>();
            if (action == Action.CREATE || action == Action.REPLACE) {
                Ddl.create(y).forEach(sql -> steps.add(Step.of(key, sql)));
                if (y instanceof Table tb && !tb.parents().isEmpty()) {
                    // what it has from its parents differently (its own default, NOT NULL)
                    steps.addAll(TableChanges.alter(Inheritance.asCreated(tb, b), tb, Set.of(), Set.of(), Set.of(),
                            false, warnings));
                }
            } else if (x instanceof Table ta && y instanceof Table tb) {
                // a key's columns made NOT NULL online are left nullable here: the online part sets them
                steps.addAll(TableChanges.alter(inheritance.afterParents(ta.name()), nullableUntilOnline(tb),
                        inheritance.droppedFor(ta.name()), resetDefaults, swappedColumns, hasChildren(ta), warnings));
                steps.addAll(inheritance.join(ta, tb));
            } else if (action == Action.ALTER) {
                steps.addAll(alter(x, y));
            }
            if (!steps.isEmpty()) {
                items.put(new Item(key, "create"), steps);
            }
        }
        Map<Item, Set<Item>> after = new HashMap<>();
        for (Map.Entry<Key, Set<Key>> entry : b.dependencies().entrySet()) {
            Item dependent = createItem(entry.getKey(), items);
            if (dependent == null) {
                continue;
            }
            for (Key used : entry.getValue()) {
                Item item = createItem(used, items);
                if (item != null) {
                    after.computeIfAbsent(dependent, k -> new HashSet<>()).add(item);
                }
            }
        }
        namedInStringBodies(items, after);
        // a parent's changes recurse into all its descendants, also through a parent that has none of its own
        for (Item item : items.keySet()) {
            for (String ancestor : ancestors(item.key(), new HashSet<>())) {
                Item first = new Item(Key.of(Kind.TABLE, ancestor), "create");
                if (items.containsKey(first)) {
                    after.computeIfAbsent(item, k -> new HashSet<>()).add(first);
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        Set<Item> deferred = new HashSet<>();
        for (Item item : orderedItems(items, after, Comparator.comparing(this::createRank).thenComparing(Item::key),
                "creating")) {
            if (laterCreates.contains(item.key())) {
                deferred.add(item);
                outsideCreates.addAll(onlineForm(item.key(), items.get(item)));
            } else if (after.getOrDefault(item, Set.of()).stream().anyMatch(deferred::contains)) {
                deferred.add(item); // it needs what is created outside the transaction
                outsideCreates.addAll(items.get(item));
            } else {
                steps.addAll(items.get(item));
            }
        }
        deferred.forEach(item -> deferredCreates.add(item.key()));
        return steps;
    }

    /**
     * A SQL function whose body is a string records no dependencies, yet PostgreSQL parses that body when the
     * function is created: the functions, aggregates and views it names must exist by then. It waits for every one
     * of them whose name its body spells (a guess from the text, so never against a real dependency the other way).
     */
    private void namedInStringBodies(Map<Item, List<Step>> items, Map<Item, Set<Item>> after) {
        for (DbObject object : b.objects().values()) {
            Item function = new Item(object.key(), "create");
            if (!(object instanceof Function f) || !f.bodyNeedsItsTables() || !items.containsKey(function)) {
                continue;
            }
            String body = f.definition().substring(f.definition().indexOf("\nAS ") + 4);
            for (DbObject other : b.objects().values()) {
                String name = other instanceof Function g ? g.name() : other instanceof Aggregate g ? g.name()
                        : other instanceof View v ? v.name() : null;
                Item used = new Item(other.key(), "create");
                if (name == null || other == object || !items.containsKey(used)
                        || b.dependenciesOf(other.key()).contains(object.key())) {
                    continue;
                }
                if (java.util.regex.Pattern.compile("(?<![\\w.\"])" + java.util.regex.Pattern.quote(ident(name))
                        + "(?![\\w\"])").matcher(body).find()) {
                    after.computeIfAbsent(function, k -> new HashSet<>()).add(used);
                }
            }
        }
    }

    /**
     * The order in which items that are free to go are created: by kind, except that SQL functions with a string
     * body wait for the tables they may read (nothing records which), coming just before the views.
     */
    private double createRank(Item item) {
        if (b.get(item.key()) instanceof Function f && f.bodyNeedsItsTables()) {
            return Kind.VIEW.ordinal() - 0.5;
        }
        return item.key().kind().ordinal();
    }

    /** The parents of a table of {@code to}, theirs, and so on. */
    private Set<String> ancestors(Key key, Set<String> found) {
        if (b.get(key) instanceof Table t) {
            for (String parent : t.parents()) {
                if (found.add(parent)) {
                    ancestors(Key.of(Kind.TABLE, parent), found);
                }
            }
        }
        return found;
    }

    private static Item createItem(Key key, Map<Item, List<Step>> items) {
        Item item = new Item(key.kind() == Kind.COLUMN || key.kind() == Kind.COLUMN_DEFAULT ? key.tableKey() : key,
                "create");
        return items.containsKey(item) ? item : null;
    }

    private List<Step> alter(DbObject x, DbObject y) {
        Key key = y.key();
        List<Step> steps = new ArrayList<>();
        if (x instanceof Function f && y instanceof Function g && !f.definition().equals(g.definition())) {
            steps.add(Step.of(key, g.definition()));
        } else if (x instanceof Aggregate f && y instanceof Aggregate g && !f.definition().equals(g.definition())) {
            steps.add(Step.of(key, g.definition()));
        } else if (x instanceof Extension e && y instanceof Extension f) {
            if (e.newerThan(f)) {
                warnings.add("extension " + f.name() + " goes back from version " + e.version() + " to " + f.version()
                        + " while objects use it: PostgreSQL has an update path back only if the extension ships one");
            }
            // named database-wide, as in CREATE EXTENSION: a database model qualifies it with its schema
            steps.add(Step.of(key, "ALTER EXTENSION " + ident(Sql.local(f.name())) + " UPDATE TO "
                    + Sql.literal(f.version())));
        } else if (x instanceof Sequence s && y instanceof Sequence t && !s.sameOptions(t)) {
            steps.add(Step.of(key, "ALTER SEQUENCE " + ident(t.name()) + " AS " + t.type() + " INCREMENT BY "
                    + t.increment() + " MINVALUE " + t.min() + " MAXVALUE " + t.max() + " START WITH " + t.start()
                    + " CACHE " + t.cache() + (t.cycle() ? " CYCLE" : " NO CYCLE")));
        } else if (x instanceof EnumType e && y instanceof EnumType f) {
            steps.addAll(enumValues(e, f));
        } else if (x instanceof Domain d && y instanceof Domain e) {
            steps.addAll(domainChanges(d, e));
        } else if (x instanceof CompositeType c && y instanceof CompositeType d) {
            steps.addAll(CompositeChanges.alter(c, d));
        } else if (x instanceof View v && y instanceof View w && (!v.definition().equals(w.definition())
                || !v.options().equals(w.options()) || !v.columns().equals(w.columns()))) {
            steps.add(Step.of(key, Ddl.replaceView(w)));
        } else if (x instanceof Trigger t && y instanceof Trigger u && !t.enabled().equals(u.enabled())) {
            steps.add(Step.of(key, Ddl.triggerState(u)));
        }
        Ddl.commentChange(x, y).forEach(sql -> steps.add(Step.of(key, sql)));
        Ddl.grants(y, x.grants(), y.grants()).forEach(sql -> steps.add(Step.of(key, sql)));
        if (x instanceof View v && y instanceof View w) {
            // after the view's own grants: revoking a privilege on the view also revokes it from every column
            steps.addAll(viewColumnChanges(v, w));
        }
        return steps;
    }

    private List<Step> enumValues(EnumType from, EnumType to) {
        List<Step> steps = new ArrayList<>();
        List<String> labels = to.labels();
        Set<String> present = new HashSet<>(from.labels());
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (present.contains(label)) {
                continue;
            }
            String next = labels.subList(i + 1, labels.size()).stream().filter(present::contains).findFirst()
                    .orElse(null);
            steps.add(Step.of(to.key(), "ALTER TYPE " + ident(to.name()) + " ADD VALUE " + Sql.literal(label)
                    + (next == null ? "" : " BEFORE " + Sql.literal(next))));
            present.add(label);
        }
        if (!steps.isEmpty()) {
            warnings.add("new values of enum " + to.name() + " cannot be used before the migration commits");
        }
        return steps;
    }

    private static List<Step> domainChanges(Domain from, Domain to) {
        List<Step> steps = new ArrayList<>();
        String alter = "ALTER DOMAIN " + ident(to.name());
        Map<String, String> before = new HashMap<>();
        from.checks().forEach(c -> before.put(c.name(), c.definition()));
        Map<String, String> afterChecks = new HashMap<>();
        to.checks().forEach(c -> afterChecks.put(c.name(), c.definition()));
        for (Domain.Check check : from.checks()) {
            if (!check.definition().equals(afterChecks.get(check.name()))) {
                steps.add(Step.of(to.key(), alter + " DROP CONSTRAINT " + check.name()));
            }
        }
        if (!Objects.equals(from.defaultValue(), to.defaultValue())) {
            steps.add(Step.of(to.key(), alter + (to.defaultValue() == null ? " DROP DEFAULT"
                    : " SET DEFAULT " + to.defaultValue())));
        }
        if (from.notNull() != to.notNull()) {
            steps.add(Step.of(to.key(), alter + (to.notNull() ? " SET NOT NULL" : " DROP NOT NULL")));
        }
        for (Domain.Check check : to.checks()) {
            if (!check.definition().equals(before.get(check.name()))) {
                steps.add(Step.of(to.key(), alter + " ADD CONSTRAINT " + check.name() + " " + check.definition()));
            }
        }
        return steps;
    }

    private static List<Step> viewColumnChanges(View from, View to) {
        List<Step> steps = new ArrayList<>();
        Set<String> columns = new TreeSet<>(from.columnComments().keySet());
        columns.addAll(to.columnComments().keySet());
        for (String column : columns) {
            String text = to.columnComments().get(column);
            if (!Objects.equals(from.columnComments().get(column), text)) {
                steps.add(Step.of(to.key(), Ddl.columnComment(to.name(), column, text)));
            }
        }
        Set<String> granted = new TreeSet<>(from.columnGrants().keySet());
        granted.addAll(to.columnGrants().keySet());
        for (String column : granted) {
            List<Grant> before = Ddl.afterTableRevokes(from.columnGrants().getOrDefault(column, List.of()),
                    from.grants(), to.grants());
            Ddl.columnGrants(to.name(), column, before, to.columnGrants().getOrDefault(column, List.of()))
                    .forEach(sql -> steps.add(Step.of(to.key(), sql)));
        }
        return steps;
    }

    // ------------------------------------------------------------------------------------------ phase 3: after

    private List<Step> finalPhase() {
        List<Step> steps = new ArrayList<>();
        for (Sequence t : sequences(b)) {
            Sequence s = a.get(t.key()) instanceof Sequence seq ? seq : null;
            if (t.owned() && (s == null || !sameOwner(s, t) || actions.get(t.key()) == Action.REPLACE)) {
                steps.add(Step.of(t.key(), "ALTER SEQUENCE " + ident(t.name()) + " OWNED BY " + ident(t.ownerTable())
                        + "." + ident(t.ownerColumn())));
            }
        }
        Map<Item, List<Step>> items = new LinkedHashMap<>();
        for (Key key : swappedTypes) {
            items.put(new Item(key, "drop"), List.of(Step.of(key, "DROP " + swappedKind(key) + " "
                    + ident(oldName(key)))));
        }
        for (Key key : deferredDrops) {
            items.put(new Item(key, "drop"), List.of(Step.destructive(key, Ddl.drop(a.get(key)), "drops " + key)));
        }
        // dependents first, as in the drop phase: an old type made of another old type goes before it
        Map<Item, Set<Item>> after = new HashMap<>();
        for (Item dependent : items.keySet()) {
            for (Key used : a.dependenciesOf(dependent.key())) {
                Item item = new Item(used, "drop");
                if (items.containsKey(item)) {
                    after.computeIfAbsent(item, k -> new HashSet<>()).add(dependent);
                }
            }
        }
        steps.addAll(ordered(items, after, Comparator.comparing((Item i) -> i.key().kind()).reversed()
                .thenComparing(Item::key), "dropping"));
        return steps;
    }

    private static boolean sameOwner(Sequence s, Sequence t) {
        return Objects.equals(s.ownerTable(), t.ownerTable()) && Objects.equals(s.ownerColumn(), t.ownerColumn());
    }

    private static List<Sequence> sequences(Model model) {
        return model.objects().values().stream().filter(Sequence.class::isInstance).map(Sequence.class::cast)
                .toList();
    }

    // ------------------------------------------------------------------------------------------ ordering

    private List<Step> ordered(Map<Item, List<Step>> items, Map<Item, Set<Item>> after, Comparator<Item> priority,
                               String doing) {
        List<Step> steps = new ArrayList<>();
        orderedItems(items, after, priority, doing).forEach(item -> steps.addAll(items.get(item)));
        return steps;
    }

    private List<Item> orderedItems(Map<Item, List<Step>> items, Map<Item, Set<Item>> after,
                                    Comparator<Item> priority, String doing) {
        TopologicalOrder.Result<Item> order = TopologicalOrder.sort(items.keySet(), after, priority);
        if (!order.cyclic().isEmpty()) {
            warnings.add("dependency cycle while " + doing + " " + order.cyclic().stream().map(i -> i.key().toString())
                    .distinct().toList() + ": check the order of these statements");
        }
        return order.order();
    }

    // ------------------------------------------------------------------------------------------ online

    /**
     * Chooses what goes to the part outside a transaction: only what changes on a table (or materialized view)
     * that exists on both sides and stays; a new table is empty and nobody uses it yet.
     */
    private void planOnline() {
        for (Map.Entry<Key, Action> entry : new java.util.TreeMap<>(actions).entrySet()) {
            Key key = entry.getKey();
            Action action = entry.getValue();
            if ((action == Action.CREATE || action == Action.REPLACE) && b.get(key) instanceof Constraint c
                    && existing(c.table())) {
                planConstraint(c);
            } else if ((action == Action.CREATE || action == Action.REPLACE) && b.get(key) instanceof Index i
                    && existing(i.table()) && OnlineDdl.createIndex(i).isPresent()) {
                if (partitioned(i.table())) {
                    warnPartitioned(i.table(), "index " + i.name(), "create it on each partition CONCURRENTLY,"
                            + " then on the table alone (ON ONLY) and ATTACH PARTITION each one");
                } else {
                    laterCreates.add(key);
                }
            }
        }
        for (Map.Entry<Key, Action> entry : actions.entrySet()) {
            Key key = entry.getKey();
            if (a.get(key) instanceof Index i && existing(i.table()) && !partitioned(i.table())
                    && (entry.getValue() == Action.DROP ? !nameTakenInTo(i.name()) : laterCreates.contains(key))
                    && a.dependenciesOf(key).stream().noneMatch(this::changesInFirstPart)) {
                laterDrops.add(key);
            }
        }
    }

    private void planConstraint(Constraint c) {
        if (OnlineDdl.validatable(c)) {
            if (c.foreignKey() && partitioned(c.table())) {
                warnPartitioned(c.table(), "foreign key " + c.name(), "add it to each partition NOT VALID and"
                        + " validate it there first, so the scan of the table finds them done");
            } else {
                laterCreates.add(c.key());
            }
            return;
        }
        OnlineDdl.KeyConstraint key = OnlineDdl.key(c).orElse(null);
        if (key == null) {
            return; // an exclusion constraint, or a key no plain unique index makes: written as it is
        }
        if (partitioned(c.table())) {
            warnPartitioned(c.table(), (key.primary() ? "primary key " : "unique constraint ") + c.name(),
                    "build its index on each partition CONCURRENTLY first, then attach them to an index ON ONLY"
                            + " the table");
            return;
        }
        laterCreates.add(c.key());
        Table before = (Table) a.get(Key.of(Kind.TABLE, c.table()));
        Table after = (Table) b.get(Key.of(Kind.TABLE, c.table()));
        if (key.primary()) {
            for (String name : key.columns()) {
                Column was = droppedColumns.contains(Key.on(Kind.COLUMN, c.table(), name)) ? null
                        : before.column(name).orElse(null);
                Column is = after.column(name).orElse(null);
                // a column becoming an identity needs NOT NULL first, in the same part: its scan stays
                if (was != null && is != null && !was.notNull() && is.notNull() && is.identity() == null) {
                    notNullLater.computeIfAbsent(c.table(), t -> new TreeSet<>()).add(name);
                }
            }
        }
    }

    /** The statements of an object created outside the transaction: its first, creating one in online form. */
    private List<Step> onlineForm(Key key, List<Step> steps) {
        List<String> form;
        DbObject object = b.get(key);
        if (object instanceof Index i) {
            form = List.of(OnlineDdl.createIndex(i).orElseThrow());
        } else if (object instanceof Constraint c && OnlineDdl.validatable(c)) {
            form = OnlineDdl.addValidatable(c);
        } else {
            Constraint c = (Constraint) object;
            OnlineDdl.KeyConstraint parts = OnlineDdl.key(c).orElseThrow();
            List<String> sql = new ArrayList<>();
            for (String column : parts.primary() ? notNullLater.getOrDefault(c.table(), Set.of()) : Set.<String>of()) {
                sql.addAll(OnlineDdl.notNull(c.table(), column));
                warnings.add("SET NOT NULL on " + c.table() + "." + column + " fails while it holds NULLs");
            }
            sql.addAll(OnlineDdl.addKey(c, parts));
            form = sql;
        }
        List<Step> online = new ArrayList<>();
        form.forEach(sql -> online.add(Step.of(key, sql)));
        online.addAll(steps.subList(1, steps.size())); // its comment
        return online;
    }

    /** True for the SET NOT NULL of a column that a new primary key makes NOT NULL online instead. */
    /** The table with the columns that the online part makes NOT NULL still nullable, as the first part leaves them. */
    private Table nullableUntilOnline(Table table) {
        Set<String> columns = notNullLater.getOrDefault(table.name(), Set.of());
        return columns.isEmpty() ? table : table.mapColumns(c -> columns.contains(c.name()) ? c.withNotNull(false) : c);
    }

    /** A table or materialized view on both sides, kept (not created again): it holds rows people use. */
    private boolean existing(String relation) {
        Key table = Key.of(Kind.TABLE, relation);
        Key view = Key.of(Kind.MATERIALIZED_VIEW, relation);
        return a.get(table) != null && b.get(table) != null
                || a.get(view) != null && b.get(view) != null && actions.get(view) != Action.REPLACE;
    }

    private boolean partitioned(String relation) {
        return a.get(Key.of(Kind.TABLE, relation)) instanceof Table t && t.partitioned()
                || b.get(Key.of(Kind.TABLE, relation)) instanceof Table u && u.partitioned();
    }

    private void warnPartitioned(String table, String what, String advice) {
        warnings.add(what + " on partitioned table " + table + " is written in its plain form, which locks the table"
                + " while it builds or scans: PostgreSQL allows no online form on a partitioned table; to avoid the"
                + " lock, " + advice);
    }

    /** True when an index's drop must come before this, which the first part drops, replaces or retypes. */
    private boolean changesInFirstPart(Key used) {
        if (used.kind() == Kind.COLUMN) {
            return droppedColumns.contains(used) || retypedColumns.contains(used) || swappedColumns.contains(used);
        }
        Action action = actions.get(used);
        return action == Action.DROP || action == Action.REPLACE;
    }

    /** True when an object of {@code to} takes this name among relations and constraint indexes. */
    private boolean nameTakenInTo(String name) {
        return b.objects().values().stream().anyMatch(o -> o instanceof Constraint c ? c.name().equals(name)
                && !c.type().equals("f") && !c.type().equals("c")
                : !o.key().kind().onTable() && o.key().name().equals(name)
                && EnumSet.of(Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW, Kind.SEQUENCE, Kind.INDEX,
                Kind.COMPOSITE_TYPE).contains(o.key().kind()));
    }

    /** The model once the transactional part has run: what waits for the other part is as it was in from. */
    private Model afterTransactionalPart() {
        java.util.SortedMap<Key, DbObject> objects = new java.util.TreeMap<>(b.objects());
        Map<Key, Set<Key>> dependencies = new HashMap<>(b.dependencies());
        Set<Key> waiting = new HashSet<>(deferredCreates);
        waiting.addAll(laterDrops);
        for (Key key : waiting) {
            Action action = actions.get(key);
            boolean stillThere = laterDrops.contains(key) || action != Action.CREATE && action != Action.REPLACE;
            if (stillThere && a.get(key) != null) {
                objects.put(key, a.get(key));
                dependencies.put(key, a.dependenciesOf(key));
            } else {
                objects.remove(key);
                dependencies.remove(key);
            }
        }
        notNullLater.keySet().forEach(table -> objects.computeIfPresent(Key.of(Kind.TABLE, table),
                (k, t) -> nullableUntilOnline((Table) t)));
        return new Model(objects, dependencies, b.unsupported());
    }
}
