package dev.gearshift.lint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills a shadow schema's tables with generated rows, parents before children, so that the migrations meet tables
 * the size of the target's. Row g gets values derived from g, so single-column keys are unique; a foreign key
 * column points at parent row ((g - 1) mod parent rows) + 1, which exists when the parent's key was generated too.
 * A table whose constraints the generator cannot meet is left empty, and said so.
 */
final class RowGenerator {

    private record Column(String name, String type, boolean notNull, boolean skip, String refTable,
                          String refColumn, boolean isEnum) {
    }

    private RowGenerator() {
    }

    static void fill(Connection c, String schema, Long rows, Map<String, Long> sizes, Map<String, Long> filled,
                     Map<String, String> notFilled) throws SQLException {
        Map<String, List<Column>> tables = columns(c, schema);
        List<String> order = new ArrayList<>();
        // parents first: repeat passes until every table whose parents are placed is placed
        boolean progress = true;
        while (progress && order.size() < tables.size()) {
            progress = false;
            for (Map.Entry<String, List<Column>> t : tables.entrySet()) {
                if (order.contains(t.getKey())) {
                    continue;
                }
                boolean ready = t.getValue().stream().allMatch(col -> col.refTable() == null
                        || col.refTable().equals(t.getKey()) || order.contains(col.refTable())
                        || !tables.containsKey(col.refTable()));
                if (ready) {
                    order.add(t.getKey());
                    progress = true;
                }
            }
        }
        tables.keySet().stream().filter(t -> !order.contains(t)).forEach(t -> notFilled.put(t,
                "foreign keys in a cycle"));
        for (String table : order) {
            long n = rows != null ? rows : sizes.getOrDefault(table, 0L);
            if (n <= 0) {
                continue;
            }
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            String problem = null;
            for (Column col : tables.get(table)) {
                String value;
                if (col.refTable() != null) {
                    Long parent = filled.get(col.refTable());
                    value = parent != null && parent > 0 ? "((g - 1) % " + parent + ") + 1" : null;
                    if (value != null) {
                        value = "(" + value + ")::" + col.type();
                    }
                } else if (col.skip()) {
                    continue;
                } else {
                    value = expression(col);
                }
                if (value == null) {
                    if (col.notNull()) {
                        problem = "no value can be generated for NOT NULL column " + col.name() + " (" + col.type()
                                + ")";
                        break;
                    }
                    continue;
                }
                names.add(LockMeasure.quoteIdent(col.name()));
                values.add(value);
            }
            if (problem != null) {
                notFilled.put(table, problem);
                continue;
            }
            String sql = "INSERT INTO " + LockMeasure.quoteIdent(schema) + "." + LockMeasure.quoteIdent(table)
                    + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")")
                    + " SELECT " + (values.isEmpty() ? "" : String.join(", ", values))
                    + " FROM generate_series(1, " + n + ") AS g";
            if (names.isEmpty()) {
                sql = "INSERT INTO " + LockMeasure.quoteIdent(schema) + "." + LockMeasure.quoteIdent(table)
                        + " SELECT FROM generate_series(1, " + n + ") AS g";
            }
            try (Statement s = c.createStatement()) {
                s.execute(sql);
                filled.put(table, n);
            } catch (SQLException e) {
                notFilled.put(table, e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private static String expression(Column col) {
        String t = col.type();
        if (col.isEnum()) {
            return "enum_first(NULL::" + t + ")";
        }
        if (t.equals("smallint")) {
            return "(g % 32767)::smallint";
        }
        if (t.equals("integer") || t.equals("bigint") || t.startsWith("numeric") || t.equals("real")
                || t.equals("double precision")) {
            return "g::" + t;
        }
        if (t.equals("text") || t.startsWith("character varying") || t.startsWith("character(")
                || t.equals("character") || t.equals("citext")) {
            return "('v' || g)::" + t;
        }
        if (t.equals("uuid")) {
            return "md5(g::text)::uuid";
        }
        if (t.equals("boolean")) {
            return "(g % 2 = 0)";
        }
        if (t.startsWith("timestamp") || t.equals("date")) {
            return "(now() - g * interval '1 second')::" + t;
        }
        if (t.equals("jsonb") || t.equals("json")) {
            return "'{}'::" + t;
        }
        if (t.equals("bytea")) {
            return "int8send(g)";
        }
        return null;
    }

    private static Map<String, List<Column>> columns(Connection c, String schema) throws SQLException {
        Map<String, List<Column>> tables = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT cl.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS skip,
                       (SELECT rc.relname FROM pg_constraint k JOIN pg_class rc ON rc.oid = k.confrelid
                         WHERE k.contype = 'f' AND k.conrelid = cl.oid AND k.conkey = ARRAY[a.attnum] LIMIT 1),
                       (SELECT ra.attname FROM pg_constraint k JOIN pg_attribute ra ON ra.attrelid = k.confrelid
                          AND ra.attnum = k.confkey[1]
                         WHERE k.contype = 'f' AND k.conrelid = cl.oid AND k.conkey = ARRAY[a.attnum] LIMIT 1),
                       t.typtype = 'e'
                FROM pg_class cl JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
                JOIN pg_type t ON t.oid = a.atttypid
                WHERE cl.relnamespace = ?::regnamespace AND cl.relkind IN ('r', 'p')
                ORDER BY cl.relname, a.attnum""")) {
            s.setString(1, LockMeasure.quoteIdent(schema));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    tables.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(new Column(r.getString(2),
                            r.getString(3), r.getBoolean(4), r.getBoolean(5), r.getString(6), r.getString(7),
                            r.getBoolean(8)));
                }
            }
        }
        return tables;
    }
}
