package dev.gearshift.diff;

import java.util.List;

/**
 * What turns one schema into another: the statements in the order they must run, in parts that run in one
 * transaction or outside any, the objects that differ, and what a person should check before running them.
 *
 * @param parts       the statements, ready to run with the target schema first on the search path (as migrations
 *                    run); one transactional part, unless the diff was made online and changes a table in use
 * @param differences every object that is not the same on both sides
 * @param warnings    statements that may fail on existing data, objects that could not be compared
 */
public record SchemaChanges(List<Part> parts, List<Difference> differences, List<String> warnings) {

    public SchemaChanges {
        parts = List.copyOf(parts);
        differences = List.copyOf(differences);
        warnings = List.copyOf(warnings);
    }

    /**
     * Statements that run together: in one transaction, or each on its own outside any ({@code CREATE INDEX
     * CONCURRENTLY}, {@code VALIDATE CONSTRAINT} after the lock that added the constraint was released), after
     * the parts before it have committed. A migration of its own each: the second one
     * {@code -- gearshift:no-transaction}.
     *
     * @param after the schema once this part (and those before it) ran: the from side of a down migration
     *              that undoes only this part
     */
    public record Part(boolean transactional, List<Statement> statements, SchemaModel after) {
        public Part {
            statements = List.copyOf(statements);
        }

        /** The statements as a script, as {@link SchemaChanges#sql()} writes them. */
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

        /** For people: what the part is and how it runs. */
        public String describe() {
            return transactional ? "in one transaction" : "outside a transaction (CONCURRENTLY, VALIDATE): each"
                    + " statement commits on its own; a migration of its own, -- gearshift:no-transaction";
        }
    }

    /** Every statement, part after part. */
    public List<Statement> statements() {
        return parts.stream().flatMap(p -> p.statements().stream()).toList();
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
        return statements().isEmpty() && differences.isEmpty();
    }

    /** True when some statement drops something for good or may lose data. */
    public boolean destructive() {
        return statements().stream().anyMatch(Statement::destructive);
    }

    /**
     * The statements as a script: each ends with a semicolon, and each destructive one follows a
     * {@code -- DESTRUCTIVE: <what is lost>} line, so a reviewer's eye (or grep) finds them. With more than one
     * part, each starts with a {@code -- ==== part N of M: ...} line that says how it runs.
     */
    public String sql() {
        if (parts.size() == 1) {
            return parts.get(0).sql();
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            text.append(i == 0 ? "" : "\n").append("-- ==== part ").append(i + 1).append(" of ").append(parts.size())
                    .append(": ").append(part.describe()).append(" ====\n").append(part.sql());
        }
        return text.toString();
    }
}
