package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms of DDL that keep an existing table usable while it runs, for the part of a diff that runs outside a
 * transaction: each statement there commits on its own, so a lock taken to add a constraint is released before
 * the long scan that validates it, and an index is built {@code CONCURRENTLY}.
 */
final class OnlineDdl {

    /**
     * What {@code pg_get_constraintdef} prints for a primary key or unique constraint; the parts an index build
     * takes apart, then the attributes only the constraint takes ({@code DEFERRABLE ...}).
     */
    private static final Pattern KEY = Pattern.compile("(PRIMARY KEY|UNIQUE)( NULLS NOT DISTINCT)? \\(([^()]+)\\)"
            + "( INCLUDE \\([^()]+\\))?( WITH \\([^()]+\\))?( USING INDEX TABLESPACE \\S+)?"
            + "( DEFERRABLE(?: INITIALLY (?:DEFERRED|IMMEDIATE))?| NOT DEFERRABLE(?: INITIALLY IMMEDIATE)?)?");
    private static final Pattern CREATE_INDEX = Pattern.compile("^CREATE (UNIQUE )?INDEX ");
    private static final Pattern QUOTED_OR_PLAIN = Pattern.compile("\"((?:[^\"]|\"\")*)\"|([^\\s,\"]+)");

    /** A primary key or unique constraint taken apart; null parts are absent. */
    record KeyConstraint(boolean primary, String nullsNotDistinct, List<String> columns, String columnList,
                         String include, String with, String tablespace, String deferrable) {
    }

    private OnlineDdl() {
    }

    /** The primary key or unique constraint {@code c}, when its definition has the shape an index can make. */
    static Optional<KeyConstraint> key(Constraint c) {
        if (!c.type().equals("p") && !c.type().equals("u")) {
            return Optional.empty();
        }
        Matcher m = KEY.matcher(c.definition());
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        Matcher name = QUOTED_OR_PLAIN.matcher(m.group(3));
        while (name.find()) {
            columns.add(name.group(1) != null ? name.group(1).replace("\"\"", "\"") : name.group(2));
        }
        return Optional.of(new KeyConstraint(m.group(1).equals("PRIMARY KEY"), m.group(2), columns, m.group(3),
                m.group(4), m.group(5), m.group(6) == null ? null : m.group(6).replace(" USING INDEX", ""),
                m.group(7)));
    }

    /**
     * The statements that add a primary key or unique constraint to a table in use: the unique index built
     * concurrently under the constraint's name, then the constraint made from it (a short lock, no scan). The
     * columns of a primary key must be NOT NULL by then: see {@link #notNull}.
     */
    static List<String> addKey(Constraint c, KeyConstraint key) {
        String index = "CREATE UNIQUE INDEX CONCURRENTLY " + ident(c.name()) + " ON " + ident(c.table()) + " ("
                + key.columnList() + ")" + (key.include() == null ? "" : key.include())
                + (key.nullsNotDistinct() == null ? "" : key.nullsNotDistinct())
                + (key.with() == null ? "" : key.with()) + (key.tablespace() == null ? "" : key.tablespace());
        String constraint = "ALTER TABLE " + ident(c.table()) + " ADD CONSTRAINT " + ident(c.name()) + " "
                + (key.primary() ? "PRIMARY KEY" : "UNIQUE") + " USING INDEX " + ident(c.name())
                + (key.deferrable() == null ? "" : key.deferrable());
        return List.of(index, constraint);
    }

    /**
     * Makes a column NOT NULL without holding a lock while the table is scanned: a NOT VALID check, validated under
     * a lock that lets rows be read and written, proves SET NOT NULL need not scan; the check goes afterwards.
     */
    static List<String> notNull(String table, String column) {
        String check = ident(notNullCheckName(column));
        String alter = "ALTER TABLE " + ident(table);
        return List.of(alter + " ADD CONSTRAINT " + check + " CHECK (" + ident(column) + " IS NOT NULL) NOT VALID",
                alter + " VALIDATE CONSTRAINT " + check,
                alter + " ALTER COLUMN " + ident(column) + " SET NOT NULL",
                alter + " DROP CONSTRAINT " + check);
    }

    /** A name no design uses, within PostgreSQL's 63 bytes. */
    private static String notNullCheckName(String column) {
        String name = column + "_gearshift_not_null";
        while (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            name = name.substring(0, name.length() - "_gearshift_not_null".length() - 1) + "_gearshift_not_null";
        }
        return name;
    }

    /** True for a foreign key or check that is written validated: one that can be added NOT VALID first. */
    static boolean validatable(Constraint c) {
        return (c.type().equals("f") || c.type().equals("c")) && !c.definition().endsWith(" NOT VALID");
    }

    /** A foreign key or check added without a scan under its lock, then validated under a weaker one. */
    static List<String> addValidatable(Constraint c) {
        String alter = "ALTER TABLE " + ident(c.table());
        return List.of(alter + " ADD CONSTRAINT " + ident(c.name()) + " " + c.definition() + " NOT VALID",
                alter + " VALIDATE CONSTRAINT " + ident(c.name()));
    }

    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY ...}, from the definition PostgreSQL prints. */
    static Optional<String> createIndex(Index index) {
        Matcher m = CREATE_INDEX.matcher(index.definition());
        return m.find() ? Optional.of(m.replaceFirst("CREATE $1INDEX CONCURRENTLY ")) : Optional.empty();
    }

    static String dropIndex(Index index) {
        return "DROP INDEX CONCURRENTLY " + ident(index.name());
    }
}
