package dev.gearshift.diff.internal;

import java.util.Set;
import java.util.regex.Pattern;

/** Quoting for generated SQL, following PostgreSQL's {@code quote_ident} and standard string literals. */
public final class Sql {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** Keywords {@code quote_ident} quotes: reserved, type/function-name and column-name keywords. */
    private static final Set<String> KEYWORDS = Set.of("all", "analyse", "analyze", "and", "any", "array", "as",
            "asc", "asymmetric", "both", "case", "cast", "check", "collate", "column", "constraint", "create",
            "current_catalog", "current_date", "current_role", "current_time", "current_timestamp", "current_user",
            "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
            "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into", "lateral",
            "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order",
            "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric",
            "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic",
            "when", "where", "window", "with", "authorization", "binary", "collation", "concurrently", "cross",
            "current_schema", "freeze", "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural",
            "notnull", "outer", "overlaps", "right", "similar", "tablesample", "verbose", "between", "bigint", "bit",
            "boolean", "char", "character", "coalesce", "dec", "decimal", "exists", "extract", "float", "greatest",
            "grouping", "inout", "int", "integer", "interval", "json", "json_array", "json_arrayagg", "json_exists",
            "json_object", "json_objectagg", "json_query", "json_scalar", "json_serialize", "json_table",
            "json_value", "least", "merge_action", "national", "nchar", "none", "normalize", "numeric", "out",
            "overlay", "position", "precision", "real", "row", "setof", "smallint", "substring", "time",
            "timestamp", "treat", "trim", "values", "varchar", "xmlattributes", "xmlconcat", "xmlelement",
            "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable");

    private Sql() {
    }

    /**
     * Between schema and name in the names of a model of several schemas ({@link #qualify}): no PostgreSQL
     * identifier can hold it, so a name is qualified or not without ambiguity, and a name that leaks into SQL
     * unwritten fails loudly.
     */
    private static final char SCHEMA_SEPARATOR = '\0';

    /**
     * The name of an object of schema {@code schema} in a model of several schemas. A one-schema model names
     * objects bare; either way {@link #ident} writes the name, qualified when it is.
     */
    public static String qualify(String schema, String name) {
        return schema + SCHEMA_SEPARATOR + name;
    }

    /** The schema of a qualified name, or null for a bare one. */
    public static String schemaOf(String name) {
        int separator = name.indexOf(SCHEMA_SEPARATOR);
        return separator < 0 ? null : name.substring(0, separator);
    }

    /** The name without its schema: what {@code RENAME TO} and {@code CREATE EXTENSION} take. */
    public static String local(String name) {
        return name.substring(name.indexOf(SCHEMA_SEPARATOR) + 1);
    }

    /** {@code text} (a message, a key) with every qualified name in it shown as {@code schema.name}. */
    public static String forPeople(String text) {
        return text.replace(SCHEMA_SEPARATOR, '.');
    }

    /** True when {@code text} holds a qualified name that was never written as SQL. */
    public static boolean holdsUnwrittenName(String text) {
        return text.indexOf(SCHEMA_SEPARATOR) >= 0;
    }

    /**
     * An object's name as SQL: as PostgreSQL's {@code quote_ident} writes an identifier, bare when it can be, and
     * {@code schema.name} for a qualified name ({@link #qualify}).
     */
    public static String ident(String name) {
        int separator = name.indexOf(SCHEMA_SEPARATOR);
        if (separator >= 0) {
            return ident(name.substring(0, separator)) + "." + ident(name.substring(separator + 1));
        }
        if (PLAIN.matcher(name).matches() && !KEYWORDS.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A string literal ({@code standard_conforming_strings} is on), or NULL. */
    public static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }
}
