package dev.gearshift.diff.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * An ordinary table: its columns and the table-level settings. Constraints, indexes, triggers and policies are
 * objects of their own (they are created after every table, so foreign keys may form cycles).
 *
 * <p>Equality ignores the order of the columns: an existing table only grows at the end, so a column added in
 * the middle of the desired state is still the same table once added.
 *
 * @param partitioned a partitioned table (relkind {@code p}): PostgreSQL builds no index on it
 *                    {@code CONCURRENTLY} and adds no foreign key of it {@code NOT VALID}
 */
public record Table(String name, List<Column> columns, boolean unlogged, boolean rowSecurity,
                    boolean forceRowSecurity, String comment, List<Grant> grants, boolean partitioned)
        implements DbObject {
    public Table {
        columns = List.copyOf(columns);
        grants = Grant.sorted(grants);
    }

    @Override
    public Key key() {
        return Key.of(Kind.TABLE, name);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public Table withName(String newName) {
        return new Table(newName, columns, unlogged, rowSecurity, forceRowSecurity, comment, grants, partitioned);
    }

    public Table mapColumns(UnaryOperator<Column> change) {
        return new Table(name, columns.stream().map(change).toList(), unlogged, rowSecurity, forceRowSecurity,
                comment, grants, partitioned);
    }

    private Map<String, Column> byName() {
        return columns.stream().collect(Collectors.toMap(Column::name, c -> c));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Table t && name.equals(t.name) && unlogged == t.unlogged
                && rowSecurity == t.rowSecurity && forceRowSecurity == t.forceRowSecurity && partitioned == t.partitioned
                && Objects.equals(comment, t.comment) && grants.equals(t.grants) && byName().equals(t.byName());
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, columns.stream().sorted(Comparator.comparing(Column::name)).toList(), unlogged,
                rowSecurity, forceRowSecurity, comment, grants, partitioned);
    }
}
