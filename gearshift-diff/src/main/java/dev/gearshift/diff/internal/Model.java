package dev.gearshift.diff.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything in one schema, as values.
 *
 * @param objects      every supported object, by key
 * @param dependencies what each object (or column, or column default) needs, read from {@code pg_depend}:
 *                     which objects to create first and which to drop and recreate around a change. Not part of
 *                     equality: it follows from the objects.
 * @param unsupported  objects found that the model cannot represent yet, named for people
 *                     ({@code "aggregate total(integer)"}); they are reported, never silently left out
 */
public record Model(SortedMap<Key, DbObject> objects, Map<Key, Set<Key>> dependencies, List<String> unsupported) {

    public Model {
        objects = Collections.unmodifiableSortedMap(new TreeMap<>(objects));
        dependencies = Map.copyOf(dependencies);
        unsupported = List.copyOf(unsupported);
    }

    public static Model empty() {
        return new Model(new TreeMap<>(), Map.of(), List.of());
    }

    public DbObject get(Key key) {
        return objects.get(key);
    }

    public Set<Key> dependenciesOf(Key key) {
        return dependencies.getOrDefault(key, Set.of());
    }

    /** Equal objects, whatever the dependencies and the unsupported notes. */
    public boolean sameObjects(Model other) {
        return objects.equals(other.objects);
    }
}
