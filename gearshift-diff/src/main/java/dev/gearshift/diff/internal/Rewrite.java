package dev.gearshift.diff.internal;

import static dev.gearshift.diff.internal.Sql.ident;

/** Replaces a renamed identifier in printed definitions (outside string literals). */
final class Rewrite {

    private Rewrite() {
    }

    /** The object with {@code old} replaced by {@code now} in its definitions. */
    static DbObject identifier(DbObject object, String old, String now) {
        if (object instanceof View v) {
            return new View(v.name(), v.materialized(), v.columns(), text(v.definition(), old, now), v.options(),
                    v.comment(), v.grants(), v.columnComments(), v.columnGrants());
        } else if (object instanceof Function f) {
            return new Function(f.name(), f.inputTypes(), f.identityArguments(), f.arguments(), f.result(), f.procedure(),
                    text(f.definition(), old, now), f.comment(), f.grants());
        } else if (object instanceof Constraint c) {
            return new Constraint(c.table(), c.name(), c.type(), text(c.definition(), old, now), c.comment());
        } else if (object instanceof Index i) {
            return new Index(i.name(), i.table(), text(i.definition(), old, now), i.comment());
        } else if (object instanceof Trigger t) {
            return new Trigger(t.table(), t.name(), text(t.definition(), old, now), t.enabled(), t.comment());
        } else if (object instanceof Policy p) {
            return new Policy(p.table(), p.name(), p.permissive(), p.command(), p.roles(),
                    p.using() == null ? null : text(p.using(), old, now),
                    p.withCheck() == null ? null : text(p.withCheck(), old, now), p.comment());
        }
        return object;
    }

    /** The object moved to table {@code now} when it lives on table {@code old}. */
    static DbObject table(DbObject object, String old, String now) {
        if (object instanceof Constraint c && c.table().equals(old)) {
            return new Constraint(now, c.name(), c.type(), c.definition(), c.comment());
        } else if (object instanceof Index i && i.table().equals(old)) {
            return new Index(i.name(), now, i.definition(), i.comment());
        } else if (object instanceof Trigger t && t.table().equals(old)) {
            return new Trigger(now, t.name(), t.definition(), t.enabled(), t.comment());
        } else if (object instanceof Policy p && p.table().equals(old)) {
            return new Policy(now, p.name(), p.permissive(), p.command(), p.roles(), p.using(), p.withCheck(),
                    p.comment());
        }
        return object;
    }

    /** {@code text} with every identifier token spelled {@code ident(old)} replaced by {@code ident(now)}. */
    static String text(String text, String old, String now) {
        String from = ident(old);
        String to = ident(now);
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = i + 1;
                while (end < n && (text.charAt(end) != '\'' || end + 1 < n && text.charAt(end + 1) == '\'')) {
                    end += text.charAt(end) == '\'' ? 2 : 1;
                }
                end = Math.min(end + 1, n);
                out.append(text, i, end);
                i = end;
            } else if (c == '"') {
                int end = i + 1;
                while (end < n && (text.charAt(end) != '"' || end + 1 < n && text.charAt(end + 1) == '"')) {
                    end += text.charAt(end) == '"' ? 2 : 1;
                }
                end = Math.min(end + 1, n);
                String token = text.substring(i, end);
                out.append(token.equals(from) ? to : token);
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'
                        || text.charAt(end) == '$')) {
                    end++;
                }
                String token = text.substring(i, end);
                out.append(token.equals(from) ? to : token);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
