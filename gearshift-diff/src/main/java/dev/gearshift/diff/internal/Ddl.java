package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;
import static dev.gearshift.diff.internal.Sql.literal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The SQL text of objects: how to create one (with its comments, grants and settings), drop one, and move
 * comments and grants from one state to another. Every name is written by {@link Sql#ident}: bare in a one-schema
 * model, whose statements run with the target schema first on the search path, and schema-qualified in a model of
 * several schemas.
 */
public final class Ddl {

    private Ddl() {
    }

    // ------------------------------------------------------------------------------------------ create

    /** Every statement that makes {@code object} exist as described. */
    public static List<String> create(DbObject object) {
        List<String> sql = new ArrayList<>();
        if (object instanceof Schema s) {
            // every database has a public schema: a script made from nothing must run on a new database too
            sql.add("CREATE SCHEMA " + (s.name().equals("public") ? "IF NOT EXISTS " : "") + ident(s.name()));
        } else if (object instanceof Extension e) {
            String schema = Sql.schemaOf(e.name());
            sql.add("CREATE EXTENSION " + ident(Sql.local(e.name())) + (schema == null ? "" : " SCHEMA " + ident(schema))
                    + " VERSION " + literal(e.version()));
        } else if (object instanceof Collation c) {
            sql.add(c.createStatement());
        } else if (object instanceof EnumType e) {
            sql.add("CREATE TYPE " + ident(e.name()) + " AS ENUM ("
                    + e.labels().stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")");
        } else if (object instanceof Domain d) {
            sql.add(createDomain(d));
        } else if (object instanceof CompositeType c) {
            sql.add("CREATE TYPE " + ident(c.name()) + " AS (" + c.attributes().stream()
                    .map(a -> "\n    " + ident(a.name()) + " " + a.type()
                            + (a.collation() == null ? "" : " COLLATE " + a.collation()))
                    .collect(Collectors.joining(",")) + (c.attributes().isEmpty() ? ")" : "\n)"));
        } else if (object instanceof Sequence s) {
            sql.add("CREATE SEQUENCE " + ident(s.name()) + " AS " + s.type() + " START WITH " + s.start()
                    + " INCREMENT BY " + s.increment() + " MINVALUE " + s.min() + " MAXVALUE " + s.max()
                    + " CACHE " + s.cache() + (s.cycle() ? " CYCLE" : " NO CYCLE"));
        } else if (object instanceof Function f) {
            sql.add(f.definition());
        } else if (object instanceof Aggregate g) {
            sql.add(g.definition());
        } else if (object instanceof Table t) {
            createTable(t, sql);
        } else if (object instanceof Constraint c) {
            sql.add("ALTER TABLE " + ident(c.table()) + " ADD CONSTRAINT " + ident(c.name()) + " " + c.definition());
        } else if (object instanceof Index i) {
            sql.add(i.definition());
        } else if (object instanceof View v) {
            createView(v, sql);
        } else if (object instanceof Trigger t) {
            sql.add(t.definition());
            if (!t.enabled().equals("O")) {
                sql.add(triggerState(t));
            }
        } else if (object instanceof Policy p) {
            sql.add(createPolicy(p));
        }
        if (object.comment() != null) {
            sql.add(comment(object, object.comment()));
        }
        sql.addAll(grants(object, defaultGrants(object), object.grants()));
        sql.addAll(columnExtras(object));
        return sql;
    }

    private static String createDomain(Domain d) {
        StringBuilder text = new StringBuilder("CREATE DOMAIN " + ident(d.name()) + " AS " + d.baseType());
        if (d.collation() != null) {
            text.append(" COLLATE ").append(d.collation());
        }
        if (d.defaultValue() != null) {
            text.append(" DEFAULT ").append(d.defaultValue());
        }
        if (d.notNull()) {
            text.append(" NOT NULL");
        }
        for (Domain.Check check : d.checks()) {
            text.append("\n    CONSTRAINT ").append(check.name()).append(' ').append(check.definition());
        }
        return text.toString();
    }

    /**
     * A partition takes every column from its parent, an inheritance child declares its own only: what it has from
     * its parents differently (a default of its own) is an ALTER after, see {@link Inheritance#asCreated}.
     */
    private static void createTable(Table t, List<String> sql) {
        String head = "CREATE " + (t.unlogged() ? "UNLOGGED " : "") + "TABLE " + ident(t.name());
        String partitionBy = t.partitioned() ? " PARTITION BY " + t.partitionBy() : "";
        if (t.partition() != null) {
            sql.add(head + " PARTITION OF " + ident(t.partition().parent()) + " " + t.partition().bound()
                    + partitionBy);
        } else {
            List<Column> declared = t.columns().stream().filter(c -> t.declares(c.name())).toList();
            sql.add(head + " (" + declared.stream().map(c -> "\n    " + columnDefinition(c))
                    .collect(Collectors.joining(",")) + (declared.isEmpty() ? ")" : "\n)")
                    + (t.inherits().isEmpty() ? "" : " INHERITS (" + t.inherits().stream().map(Sql::ident)
                    .collect(Collectors.joining(", ")) + ")") + partitionBy);
        }
        if (t.rowSecurity()) {
            sql.add("ALTER TABLE " + ident(t.name()) + " ENABLE ROW LEVEL SECURITY");
        }
        if (t.forceRowSecurity()) {
            sql.add("ALTER TABLE " + ident(t.name()) + " FORCE ROW LEVEL SECURITY");
        }
    }

    /** Comments and grants of the columns of a new table or view: they come after the table's own. */
    private static List<String> columnExtras(DbObject object) {
        List<String> sql = new ArrayList<>();
        if (object instanceof Table t) {
            Map<String, List<Grant>> grants = new LinkedHashMap<>();
            for (Column column : t.columns()) {
                if (column.comment() != null) {
                    sql.add(columnComment(t.name(), column.name(), column.comment()));
                }
                grants.put(column.name(), column.grants());
            }
            sql.addAll(newColumnGrants(t.name(), grants));
        } else if (object instanceof View v) {
            v.columnComments().forEach((column, text) -> sql.add(columnComment(v.name(), column, text)));
            sql.addAll(newColumnGrants(v.name(), v.columnGrants()));
        }
        return sql;
    }

    /**
     * GRANTs for the columns of a new table or view, one per role: {@code GRANT SELECT (id, name), UPDATE (name)
     * ON TABLE t TO r}.
     */
    private static List<String> newColumnGrants(String table, Map<String, List<Grant>> byColumn) {
        Map<Grant, Map<String, List<String>>> byRole = new java.util.TreeMap<>();
        byColumn.forEach((column, grants) -> {
            for (Grant g : grants) {
                byRole.computeIfAbsent(new Grant(g.grantee(), "", g.grantable()), k -> new java.util.TreeMap<>())
                        .computeIfAbsent(g.privilege(), k -> new ArrayList<>()).add(ident(column));
            }
        });
        List<String> sql = new ArrayList<>();
        byRole.forEach((role, privileges) -> sql.add("GRANT " + privileges.entrySet().stream()
                .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").collect(Collectors.joining(", "))
                + " ON TABLE " + ident(table) + " TO " + role.grantee() + (role.grantable() ? " WITH GRANT OPTION" : "")));
        return sql;
    }

    /** {@code name type [COLLATE c] [GENERATED ...] [DEFAULT e] [NOT NULL]}, as in CREATE TABLE and ADD COLUMN. */
    public static String columnDefinition(Column c) {
        StringBuilder text = new StringBuilder(ident(c.name())).append(' ').append(c.typeWithCollation());
        if (c.generated() != null) {
            text.append(" GENERATED ALWAYS AS (").append(stripParentheses(c.generated())).append(") STORED");
        }
        if (c.identity() != null) {
            text.append(" GENERATED ").append(c.identity()).append(" AS IDENTITY");
        }
        if (c.defaultValue() != null) {
            text.append(" DEFAULT ").append(c.defaultValue());
        }
        if (c.notNull()) {
            text.append(" NOT NULL");
        }
        return text.toString();
    }

    /** {@code pg_get_expr} wraps some generation expressions in parentheses already. */
    private static String stripParentheses(String expression) {
        String e = expression.strip();
        if (e.startsWith("(") && e.endsWith(")") && balanced(e.substring(1, e.length() - 1))) {
            return e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static boolean balanced(String text) {
        int depth = 0;
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static void createView(View v, List<String> sql) {
        String with = v.options().isEmpty() ? "" : " WITH (" + String.join(", ", v.options()) + ")";
        sql.add("CREATE " + (v.materialized() ? "MATERIALIZED VIEW " : "VIEW ") + ident(v.name()) + with + " AS\n"
                + v.definition());
    }

    /** {@code CREATE OR REPLACE VIEW}: a new query (and options) for a view that keeps its columns. */
    public static String replaceView(View v) {
        String with = v.options().isEmpty() ? "" : " WITH (" + String.join(", ", v.options()) + ")";
        return "CREATE OR REPLACE VIEW " + ident(v.name()) + with + " AS\n" + v.definition();
    }

    private static String createPolicy(Policy p) {
        StringBuilder text = new StringBuilder("CREATE POLICY " + ident(p.name()) + " ON " + ident(p.table()));
        if (!p.permissive()) {
            text.append(" AS RESTRICTIVE");
        }
        text.append(" FOR ").append(p.command()).append(" TO ").append(String.join(", ", p.roles()));
        if (p.using() != null) {
            text.append(" USING (").append(p.using()).append(')');
        }
        if (p.withCheck() != null) {
            text.append(" WITH CHECK (").append(p.withCheck()).append(')');
        }
        return text.toString();
    }

    public static String triggerState(Trigger t) {
        String state = switch (t.enabled()) {
            case "D" -> "DISABLE";
            case "R" -> "ENABLE REPLICA";
            case "A" -> "ENABLE ALWAYS";
            default -> "ENABLE";
        };
        return "ALTER TABLE " + ident(t.table()) + " " + state + " TRIGGER " + ident(t.name());
    }

    // ------------------------------------------------------------------------------------------ drop

    public static String drop(DbObject object) {
        if (object instanceof Constraint c) {
            return "ALTER TABLE " + ident(c.table()) + " DROP CONSTRAINT " + ident(c.name());
        }
        return "DROP " + target(object);
    }

    /** How GRANT, COMMENT and DROP name the object: {@code TABLE t}, {@code FUNCTION f(integer)}. */
    public static String target(DbObject object) {
        if (object instanceof Schema s) {
            return "SCHEMA " + ident(s.name());
        } else if (object instanceof Extension e) {
            return "EXTENSION " + ident(Sql.local(e.name())); // extensions are named database-wide
        } else if (object instanceof Collation c) {
            return "COLLATION " + ident(c.name());
        } else if (object instanceof EnumType e) {
            return "TYPE " + ident(e.name());
        } else if (object instanceof CompositeType c) {
            return "TYPE " + ident(c.name());
        } else if (object instanceof Domain d) {
            return "DOMAIN " + ident(d.name());
        } else if (object instanceof Sequence s) {
            return "SEQUENCE " + ident(s.name());
        } else if (object instanceof Function f) {
            return (f.procedure() ? "PROCEDURE " : "FUNCTION ") + ident(f.name()) + "(" + f.identityArguments() + ")";
        } else if (object instanceof Aggregate g) {
            return "AGGREGATE " + ident(g.name()) + "(" + (g.identityArguments().isEmpty() ? "*" : g.identityArguments())
                    + ")";
        } else if (object instanceof Table t) {
            return "TABLE " + ident(t.name());
        } else if (object instanceof View v) {
            return (v.materialized() ? "MATERIALIZED VIEW " : "VIEW ") + ident(v.name());
        } else if (object instanceof Index i) {
            return "INDEX " + ident(i.name());
        } else if (object instanceof Constraint c) {
            return "CONSTRAINT " + ident(c.name()) + " ON " + ident(c.table());
        } else if (object instanceof Trigger t) {
            return "TRIGGER " + ident(t.name()) + " ON " + ident(t.table());
        } else if (object instanceof Policy p) {
            return "POLICY " + ident(p.name()) + " ON " + ident(p.table());
        }
        throw new IllegalArgumentException("unknown object " + object);
    }

    // ------------------------------------------------------------------------------------------ comments, grants

    public static String comment(DbObject object, String text) {
        return "COMMENT ON " + target(object) + " IS " + literal(text);
    }

    public static String columnComment(String table, String column, String text) {
        return "COMMENT ON COLUMN " + ident(table) + "." + ident(column) + " IS " + literal(text);
    }

    /** What a new object of this kind is granted without any GRANT: EXECUTE on functions, USAGE on types. */
    public static List<Grant> defaultGrants(DbObject object) {
        if (object instanceof Function || object instanceof Aggregate) {
            return List.of(new Grant("PUBLIC", "EXECUTE", false));
        }
        if (object instanceof EnumType || object instanceof Domain || object instanceof CompositeType) {
            return List.of(new Grant("PUBLIC", "USAGE", false));
        }
        return List.of();
    }

    /** REVOKE what {@code from} has and {@code to} has not, then GRANT what is new. */
    public static List<String> grants(DbObject object, List<Grant> from, List<Grant> to) {
        String on = object instanceof View ? "TABLE " + ident(((View) object).name())
                : object instanceof Domain d ? "DOMAIN " + ident(d.name())
                // GRANT names an aggregate like a function, by its argument types (no ORDER BY, no *)
                : object instanceof Aggregate g ? "FUNCTION " + ident(g.name()) + "(" + g.inputTypes() + ")"
                : target(object);
        return grantStatements(on, "", from, to);
    }

    public static List<String> columnGrants(String table, String column, List<Grant> from, List<Grant> to) {
        return grantStatements("TABLE " + ident(table), " (" + ident(column) + ")", from, to);
    }

    private static List<String> grantStatements(String on, String columns, List<Grant> from, List<Grant> to) {
        List<String> sql = new ArrayList<>();
        Set<Grant> revoke = new TreeSet<>(from);
        to.forEach(revoke::remove);
        Set<Grant> grant = new TreeSet<>(to);
        from.forEach(grant::remove);
        // one statement per grantee, privileges listed together, the way people write them
        group(revoke).forEach((grantee, privileges) -> sql.add("REVOKE " + list(privileges, columns) + " ON " + on
                + " FROM " + grantee.grantee()));
        group(grant).forEach((grantee, privileges) -> sql.add("GRANT " + list(privileges, columns) + " ON " + on
                + " TO " + grantee.grantee() + (grantee.grantable() ? " WITH GRANT OPTION" : "")));
        return sql;
    }

    /** {@code SELECT, UPDATE}, or with columns {@code SELECT (id), UPDATE (id)}: each privilege names them. */
    private static String list(List<String> privileges, String columns) {
        return privileges.stream().map(p -> p + columns).collect(Collectors.joining(", "));
    }

    private static Map<Grant, List<String>> group(Set<Grant> grants) {
        Map<Grant, List<String>> groups = new LinkedHashMap<>();
        for (Grant g : grants) {
            groups.computeIfAbsent(new Grant(g.grantee(), "", g.grantable()), k -> new ArrayList<>())
                    .add(g.privilege());
        }
        return groups;
    }

    /**
     * The column privileges left after the table-level REVOKEs from {@code tableFrom} to {@code tableTo}:
     * PostgreSQL revokes a privilege from the columns too when it is revoked from the table.
     */
    public static List<Grant> afterTableRevokes(List<Grant> column, List<Grant> tableFrom, List<Grant> tableTo) {
        Set<String> revoked = new java.util.HashSet<>();
        for (Grant g : tableFrom) {
            if (!tableTo.contains(g)) {
                revoked.add(g.grantee() + " " + g.privilege());
            }
        }
        return column.stream().filter(g -> !revoked.contains(g.grantee() + " " + g.privilege())).toList();
    }

    /** {@code COMMENT ON ...} when the comment changed (to NULL when it was removed), else nothing. */
    public static List<String> commentChange(DbObject from, DbObject to) {
        return Objects.equals(from.comment(), to.comment()) ? List.of() : List.of(comment(to, to.comment()));
    }
}
