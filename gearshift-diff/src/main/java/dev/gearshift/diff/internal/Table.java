package dev.gearshift.diff.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A table: its columns and the table-level settings. Constraints, indexes, triggers and policies are objects of
 * their own (they are created after every table, so foreign keys may form cycles).
 *
 * <p>Equality ignores the order of the columns: an existing table only grows at the end, so a column added in
 * the middle of the desired state is still the same table once added. It also ignores {@code inheritedColumns}
 * and {@code inherited}: how a child came by a column or a constraint copy (declared, or copied from its parent) is
 * history, not state; they decide what PostgreSQL does to the child when its parent changes or when it leaves it.
 *
 * @param inherits         parents of an inheritance child ({@code INHERITS (p, q)}), in order; a partition's parent
 *                         is its {@code partition}
 * @param inheritedColumns columns the table has only from its parents ({@code attislocal} false): not declared in
 *                         its CREATE TABLE, and dropped with the parent's column
 * @param partitionBy      the partition key of a partitioned table ({@code RANGE (at)}), as
 *                         {@code pg_get_partkeydef} prints it, or null
 * @param partition        the parent and bound of a partition, or null
 * @param inherited        the copies PostgreSQL made on this table of its parents' constraints and indexes (check
 *                         constraints of an inheritance child; constraints, indexes of a partition): not objects of
 *                         the model, but they become the table's own when it leaves its parent
 */
public record Table(String name, List<Column> columns, boolean unlogged, boolean rowSecurity,
                    boolean forceRowSecurity, String comment, List<Grant> grants, List<String> inherits,
                    Set<String> inheritedColumns, String partitionBy, Partition partition, List<DbObject> inherited)
        implements DbObject {

    /**
     * @param bound {@code FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')}, {@code FOR VALUES IN (1, 2)},
     *              {@code FOR VALUES WITH (modulus 4, remainder 0)} or {@code DEFAULT}, as {@code pg_get_expr} prints
     *              it
     */
    public record Partition(String parent, String bound) {
    }

    public Table {
        columns = List.copyOf(columns);
        grants = Grant.sorted(grants);
        inherits = List.copyOf(inherits);
        inheritedColumns = Set.copyOf(inheritedColumns);
        inherited = List.copyOf(inherited);
    }

    /** An ordinary table: no parents, not partitioned. */
    public Table(String name, List<Column> columns, boolean unlogged, boolean rowSecurity, boolean forceRowSecurity,
                 String comment, List<Grant> grants) {
        this(name, columns, unlogged, rowSecurity, forceRowSecurity, comment, grants, List.of(), Set.of(), null,
                null, List.of());
    }

    @Override
    public Key key() {
        return Key.of(Kind.TABLE, name);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /**
     * True for a partitioned table ({@code PARTITION BY}): it holds no rows itself, and PostgreSQL allows neither
     * {@code CREATE INDEX CONCURRENTLY} nor {@code NOT VALID} foreign keys on it.
     */
    public boolean partitioned() {
        return partitionBy != null;
    }

    /** Every table this one takes columns from: its inheritance parents, or its partition's parent. */
    public List<String> parents() {
        return partition == null ? inherits : List.of(partition.parent());
    }

    /** True when the column is declared by this table (maybe also inherited), false when only inherited. */
    public boolean declares(String columnName) {
        return !inheritedColumns.contains(columnName);
    }

    public Table withName(String newName) {
        return new Table(newName, columns, unlogged, rowSecurity, forceRowSecurity, comment, grants, inherits,
                inheritedColumns, partitionBy, partition, inherited);
    }

    public Table withColumns(List<Column> newColumns) {
        return new Table(name, newColumns, unlogged, rowSecurity, forceRowSecurity, comment, grants, inherits,
                inheritedColumns, partitionBy, partition, inherited);
    }

    public Table mapColumns(UnaryOperator<Column> change) {
        return withColumns(columns.stream().map(change).toList());
    }

    /** This table with the parent {@code old} renamed {@code now}. */
    public Table withParentRenamed(String old, String now) {
        return new Table(name, columns, unlogged, rowSecurity, forceRowSecurity, comment, grants,
                inherits.stream().map(p -> p.equals(old) ? now : p).toList(), inheritedColumns, partitionBy,
                partition != null && partition.parent().equals(old) ? new Partition(now, partition.bound())
                        : partition, inherited);
    }

    private Map<String, Column> byName() {
        return columns.stream().collect(Collectors.toMap(Column::name, c -> c));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Table t && name.equals(t.name) && unlogged == t.unlogged
                && rowSecurity == t.rowSecurity && forceRowSecurity == t.forceRowSecurity
                && Objects.equals(comment, t.comment) && grants.equals(t.grants) && byName().equals(t.byName())
                && Set.copyOf(inherits).equals(Set.copyOf(t.inherits)) && Objects.equals(partitionBy, t.partitionBy)
                && Objects.equals(partition, t.partition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, columns.stream().sorted(Comparator.comparing(Column::name)).toList(), unlogged,
                rowSecurity, forceRowSecurity, comment, grants, Set.copyOf(inherits), partitionBy, partition);
    }
}
