package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Remedy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renames said by the user ({@code --rename orders.total=amount}, {@code --rename orders=purchases}), never
 * guessed: a dropped column and an added one of the same type may well be two different things.
 *
 * <p>A rename becomes an {@code ALTER ... RENAME} statement, and the {@code from} model is rewritten to what it
 * will be after it: the object renamed, and the name replaced in the printed definitions of what depends on it
 * (PostgreSQL refers to columns and tables by number, so after the rename it prints the new name there).
 */
public final class Renamer {

    /** A table rename ({@code column} null) or a column rename. */
    public record Rename(String table, String column, String newName) {
    }

    public record Renamed(Model model, List<Step> steps) {
    }

    private Renamer() {
    }

    /** @throws GearshiftException ({@code USAGE}) when a rename does not match the two models */
    public static Renamed apply(Model from, Model to, List<Rename> renames) {
        List<Step> steps = new ArrayList<>();
        Model model = from;
        for (Rename rename : renames.stream().filter(r -> r.column() == null).toList()) {
            model = renameTable(model, to, rename, steps);
        }
        for (Rename rename : renames.stream().filter(r -> r.column() != null).toList()) {
            String table = renames.stream().filter(r -> r.column() == null && r.table().equals(rename.table()))
                    .map(Rename::newName).findFirst().orElse(rename.table());
            model = renameColumn(model, to, new Rename(table, rename.column(), rename.newName()), steps);
        }
        return new Renamed(model, steps);
    }

    private static Model renameTable(Model model, Model to, Rename rename, List<Step> steps) {
        String old = rename.table();
        String now = rename.newName();
        require(model.get(Key.of(Kind.TABLE, old)) != null, "rename " + old + "=" + now + ": there is no table "
                + old + " to rename");
        require(to.get(Key.of(Kind.TABLE, now)) != null, "rename " + old + "=" + now + ": the target has no table "
                + now);
        require(model.get(Key.of(Kind.TABLE, now)) == null, "rename " + old + "=" + now + ": table " + now
                + " exists already");
        steps.add(Step.of(Key.of(Kind.TABLE, now), "ALTER TABLE " + ident(old) + " RENAME TO " + ident(now)));
        Set<Key> rewrite = dependents(model, key -> key.kind() == Kind.TABLE && key.name().equals(old)
                || key.table() != null && key.table().equals(old));
        Map<Key, DbObject> objects = new TreeMap<>();
        for (DbObject object : model.objects().values()) {
            DbObject renamed = object;
            if (rewrite.contains(object.key()) || object instanceof Index i && i.table().equals(old)
                    || object.key().table() != null && object.key().table().equals(old)) {
                renamed = Rewrite.identifier(object, old, now);
            }
            renamed = Rewrite.table(renamed, old, now);
            if (renamed instanceof Table t) {
                renamed = t.withParentRenamed(old, now);
            }
            if (renamed instanceof Table t && t.name().equals(old)) {
                renamed = t.withName(now);
            } else if (renamed instanceof Sequence s && old.equals(s.ownerTable())) {
                renamed = new Sequence(s.name(), s.type(), s.start(), s.increment(), s.min(), s.max(), s.cache(),
                        s.cycle(), now, s.ownerColumn(), s.comment(), s.grants());
            }
            objects.put(renamed.key(), renamed);
        }
        return new Model(new TreeMap<>(objects), renameKeys(model.dependencies(), key -> renameTableKey(key, old, now)),
                model.unsupported());
    }

    private static Key renameTableKey(Key key, String old, String now) {
        if (key.kind() == Kind.TABLE && key.name().equals(old)) {
            return Key.of(Kind.TABLE, now);
        }
        return key.table() != null && key.table().equals(old) ? new Key(key.kind(), now, key.name()) : key;
    }

    private static Model renameColumn(Model model, Model to, Rename rename, List<Step> steps) {
        String table = rename.table();
        String old = rename.column();
        String now = rename.newName();
        String said = "rename " + table + "." + old + "=" + now;
        Table current = model.get(Key.of(Kind.TABLE, table)) instanceof Table t ? t : null;
        Table target = to.get(Key.of(Kind.TABLE, table)) instanceof Table t ? t : null;
        require(current != null && current.column(old).isPresent(), said + ": there is no column " + table + "." + old
                + " to rename");
        require(target != null && target.column(now).isPresent(), said + ": the target has no column " + table + "."
                + now);
        require(current.column(now).isEmpty(), said + ": column " + table + "." + now + " exists already");
        steps.add(Step.of(Key.of(Kind.TABLE, table), "ALTER TABLE " + ident(table) + " RENAME COLUMN " + ident(old)
                + " TO " + ident(now)));
        Set<Key> rewrite = dependents(model, key -> (key.kind() == Kind.COLUMN || key.kind() == Kind.COLUMN_DEFAULT)
                && key.table().equals(table) && key.name().equals(old));
        Map<Key, DbObject> objects = new TreeMap<>();
        for (DbObject object : model.objects().values()) {
            DbObject renamed = rewrite.contains(object.key()) ? Rewrite.identifier(object, old, now) : object;
            if (renamed instanceof Table t && t.name().equals(table)) {
                // the column itself, and generated columns computed from it
                renamed = t.mapColumns(c -> {
                    Column column = c.name().equals(old) ? c.withName(now) : c;
                    return new Column(column.name(), column.type(), column.collation(), column.notNull(),
                            column.defaultValue(), column.identity(),
                            column.generated() == null ? null : Rewrite.text(column.generated(), old, now),
                            column.comment(), column.grants());
                });
            } else if (renamed instanceof Sequence s && table.equals(s.ownerTable()) && old.equals(s.ownerColumn())) {
                renamed = new Sequence(s.name(), s.type(), s.start(), s.increment(), s.min(), s.max(), s.cache(),
                        s.cycle(), table, now, s.comment(), s.grants());
            }
            objects.put(renamed.key(), renamed);
        }
        return new Model(new TreeMap<>(objects), renameKeys(model.dependencies(), key ->
                (key.kind() == Kind.COLUMN || key.kind() == Kind.COLUMN_DEFAULT) && key.table().equals(table)
                        && key.name().equals(old) ? new Key(key.kind(), table, now) : key), model.unsupported());
    }

    /** Objects that depend directly on a key matching {@code renamed}. */
    private static Set<Key> dependents(Model model, java.util.function.Predicate<Key> renamed) {
        Set<Key> dependents = new HashSet<>();
        model.dependencies().forEach((dependent, used) -> {
            if (used.stream().anyMatch(renamed)) {
                dependents.add(dependent);
            }
        });
        return dependents;
    }

    private static Map<Key, Set<Key>> renameKeys(Map<Key, Set<Key>> dependencies,
                                                 java.util.function.UnaryOperator<Key> rename) {
        Map<Key, Set<Key>> renamed = new HashMap<>();
        dependencies.forEach((dependent, used) -> {
            Set<Key> keys = new HashSet<>();
            used.forEach(k -> keys.add(rename.apply(k)));
            renamed.computeIfAbsent(rename.apply(dependent), k -> new HashSet<>()).addAll(keys);
        });
        return renamed;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new GearshiftException(ErrorCode.USAGE, message, Remedy.RENAME);
        }
    }
}
