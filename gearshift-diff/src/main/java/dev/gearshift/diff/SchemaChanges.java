package dev.gearshift.diff;

import java.util.List;

/**
 * What turns one schema into another: the statements in the order they must run, the objects that differ, and
 * what a person should check before running them.
 *
 * @param statements  ready to run with the target schema first on the search path (as migrations run)
 * @param differences every object that is not the same on both sides
 * @param warnings    statements that may fail on existing data, objects that could not be compared
 */
public record SchemaChanges(List<Statement> statements, List<Difference> differences, List<String> warnings) {

    public SchemaChanges {
        statements = List.copyOf(statements);
        differences = List.copyOf(differences);
        warnings = List.copyOf(warnings);
    }

    /**
     * One statement.
     *
     * @param object      what it is about, for people: {@code table orders}
     * @param sql         the statement without its semicolon
     * @param destructive it drops something for good, or may lose data
     * @param reason      for a destructive statement, what is lost; else null
     */
    public record Statement(String object, String sql, boolean destructive, String reason) {
    }

    /** How an object differs: only on the to side (to add), only on the from side (to remove), or changed. */
    public enum Change { ADDED, REMOVED, CHANGED }

    /**
     * One object that differs.
     *
     * @param kind    {@code table}, {@code view}, {@code function}, ...
     * @param name    its name; {@code orders_pkey on orders} for what lives on a table, with arguments for
     *                functions
     * @param fromDdl the statements that create it as it is on the from side, or null
     * @param toDdl   the statements that create it as it is on the to side, or null
     */
    public record Difference(String kind, String name, Change change, String fromDdl, String toDdl) {
        @Override
        public String toString() {
            return kind + " " + name + " (" + change.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }

    /** True when the two schemas have the same objects. */
    public boolean isEmpty() {
        return statements.isEmpty() && differences.isEmpty();
    }

    /** True when some statement drops something for good or may lose data. */
    public boolean destructive() {
        return statements.stream().anyMatch(Statement::destructive);
    }

    /**
     * The statements as a script: each ends with a semicolon, and each destructive one follows a
     * {@code -- DESTRUCTIVE: <what is lost>} line, so a reviewer's eye (or grep) finds them.
     */
    public String sql() {
        StringBuilder text = new StringBuilder();
        for (Statement statement : statements) {
            if (statement.destructive()) {
                text.append("-- DESTRUCTIVE: ").append(statement.reason()).append('\n');
            }
            text.append(statement.sql()).append(";\n");
        }
        return text.toString();
    }
}
