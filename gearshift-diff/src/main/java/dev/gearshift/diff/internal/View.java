package dev.gearshift.diff.internal;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A view or materialized view.
 *
 * @param columns       its columns in order, {@code name type [COLLATE c]}: what decides whether CREATE OR REPLACE
 *                      can change the query in place
 * @param definition    the query as {@code pg_get_viewdef} prints it, without the final semicolon
 * @param options       {@code security_barrier=true}, {@code check_option=local}, ...; sorted
 * @param columnComments comments on columns, by column
 * @param columnGrants  column-level privileges, by column (the subzero seed's {@code GRANT SELECT(id) ON todos})
 */
public record View(String name, boolean materialized, List<String> columns, String definition, List<String> options,
                   String comment,
                   List<Grant> grants, SortedMap<String, String> columnComments,
                   SortedMap<String, List<Grant>> columnGrants) implements DbObject {
    public View {
        columns = List.copyOf(columns);
        options = options.stream().sorted().toList();
        grants = Grant.sorted(grants);
        columnComments = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(columnComments));
        TreeMap<String, List<Grant>> sortedGrants = new TreeMap<>();
        columnGrants.forEach((column, list) -> {
            if (!list.isEmpty()) {
                sortedGrants.put(column, Grant.sorted(list));
            }
        });
        columnGrants = java.util.Collections.unmodifiableSortedMap(sortedGrants);
    }

    @Override
    public Key key() {
        return Key.of(materialized ? Kind.MATERIALIZED_VIEW : Kind.VIEW, name);
    }

    /**
     * True when {@code CREATE OR REPLACE VIEW} can turn this view into {@code other}: PostgreSQL keeps the
     * existing columns (same names, types and collations, in the same order) and only appends new ones.
     */
    public boolean replaceableInPlaceBy(View other) {
        return !materialized && !other.materialized && other.columns.size() >= columns.size()
                && other.columns.subList(0, columns.size()).equals(columns);
    }

    public static SortedMap<String, String> noComments() {
        return new TreeMap<>(Map.of());
    }
}
