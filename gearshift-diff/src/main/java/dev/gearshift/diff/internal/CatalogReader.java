package dev.gearshift.diff.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads one schema from the PostgreSQL catalogs into a {@link Model}.
 *
 * <p>Definitions (views, defaults, constraints, indexes, triggers, functions) are printed by PostgreSQL itself,
 * with {@code search_path} set to the schema alone: names inside the schema come out unqualified and every
 * other name qualified. Two schemas with the same objects therefore read the same whatever their names, and
 * the DDL made from a model runs in any schema that is first on the search path, as migrations do.
 *
 * <p>Everything is read in one read-only transaction (a consistent snapshot) that is rolled back, so the
 * connection's own settings are left as they were.
 */
public final class CatalogReader {

    private static final char SEP = '\u0001';

    private final Connection connection;
    private final String schema;
    private final Set<String> ignoredTables;
    private long namespace;

    private final SortedMap<Key, DbObject> objects = new TreeMap<>();
    private final List<String> unsupported = new ArrayList<>();
    private final Map<Key, Set<Key>> dependencies = new HashMap<>();

    /** What a catalog row (catalog name, oid) stands for in the model, to translate pg_depend. */
    private final Map<String, Map<Long, Key>> keys = new HashMap<>();
    /** Table oid to attnum to column name, for dependencies on single columns. */
    private final Map<Long, Map<Integer, String>> columnNames = new HashMap<>();
    /** Relations by oid: name and relkind, including those left out (ignored tables, identity sequences). */
    private final Map<Long, Relation> relations = new HashMap<>();
    /** Objects of extensions installed in this schema, which stand for their extension in dependencies. */
    private final Map<String, Map<Long, Key>> extensionMembers = new HashMap<>();
    /** Columns by table oid, filled before the tables are built. */
    private final Map<Long, List<Column>> columnsByTable = new HashMap<>();
    /** Row types of tables and views, by type oid, to the relation's oid: a column of such a type uses the table. */
    private final Map<Long, Long> rowTypes = new HashMap<>();
    /** Array types, by type oid, to their element type: a column of {@code mood[]} uses {@code mood}. */
    private final Map<Long, Long> arrayTypes = new HashMap<>();

    private record Relation(String name, String kind) {
    }

    private CatalogReader(Connection connection, String schema, Set<String> ignoredTables) {
        this.connection = connection;
        this.schema = schema;
        this.ignoredTables = ignoredTables;
    }

    /**
     * @param ignoredTables tables to leave out, such as the migration history table
     * @return the model, or an empty one when the schema does not exist
     */
    public static Model read(Connection connection, String schema, Set<String> ignoredTables) throws SQLException {
        return new CatalogReader(connection, schema, ignoredTables).read();
    }

    private Model read() throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        Savepoint savepoint = null;
        if (autoCommit) {
            connection.setAutoCommit(false);
            execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        } else {
            savepoint = connection.setSavepoint();
        }
        try {
            Long oid = single("SELECT oid FROM pg_namespace WHERE nspname = ?", schema);
            if (oid == null) {
                return Model.empty();
            }
            namespace = oid;
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT set_config('search_path', quote_ident(?), true)")) {
                set.setString(1, schema);
                set.execute();
            }
            readExtensions();
            readRelations();
            readColumns();
            readTypes();
            readTablesAndViews();
            readSequences();
            readConstraints();
            readIndexes();
            readFunctions();
            readTriggers();
            readPolicies();
            readRules();
            readUnsupportedKinds();
            readDependencies();
            return new Model(objects, freeze(dependencies), unsupported);
        } finally {
            if (savepoint != null) {
                connection.rollback(savepoint);
            } else {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ extensions

    private void readExtensions() throws SQLException {
        query("SELECT e.oid, e.extname FROM pg_extension e WHERE e.extnamespace = ? ORDER BY 2", rows -> {
            Extension extension = new Extension(rows.getString(2));
            add(extension, "pg_extension", rows.getLong(1));
        });
        query("""
                SELECT d.classid::regclass::text, d.objid, e.extname
                FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extnamespace = ?""", rows ->
                extensionMembers.computeIfAbsent(rows.getString(1), c -> new HashMap<>())
                        .put(rows.getLong(2), Key.of(Kind.EXTENSION, rows.getString(3))));
    }

    /** SQL that is true when the row of {@code catalog} with oid {@code oid} belongs to an extension. */
    private static String extensionMember(String catalog, String oid) {
        return "EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = "
                + oid + " AND e.deptype = 'e')";
    }

    // ------------------------------------------------------------------------------------------ relations

    private void readRelations() throws SQLException {
        query("SELECT c.oid, c.relname, c.relkind::text FROM pg_class c WHERE c.relnamespace = ? AND NOT "
                + extensionMember("pg_class", "c.oid"), rows ->
                relations.put(rows.getLong(1), new Relation(rows.getString(2), rows.getString(3))));
    }

    private void readColumns() throws SQLException {
        query("""
                SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
                           CASE WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname)
                                ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END,
                       a.attnotnull, a.attidentity::text, a.attgenerated::text, pg_get_expr(d.adbin, d.adrelid),
                       col_description(a.attrelid, a.attnum), %s, d.oid
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                WHERE c.relnamespace = ? AND a.attnum > 0 AND NOT a.attisdropped
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
                ORDER BY a.attrelid, a.attnum""".formatted(grants("a.attacl", "c.relowner")),
                rows -> {
                    long table = rows.getLong(1);
                    String name = rows.getString(3);
                    columnNames.computeIfAbsent(table, t -> new HashMap<>()).put(rows.getInt(2), name);
                    String generated = rows.getString(8).isEmpty() ? null : rows.getString(9);
                    String identity = switch (rows.getString(7)) {
                        case "a" -> "ALWAYS";
                        case "d" -> "BY DEFAULT";
                        default -> null;
                    };
                    columnsByTable.computeIfAbsent(table, t -> new ArrayList<>()).add(new Column(name,
                            rows.getString(4), rows.getString(5), rows.getBoolean(6),
                            generated == null ? rows.getString(9) : null, identity, generated, rows.getString(10),
                            parseGrants(rows.getArray(11))));
                    Relation relation = relations.get(table);
                    if (rows.getObject(12) != null && relation != null) {
                        map("pg_attrdef", rows.getLong(12), Key.on(Kind.COLUMN_DEFAULT, relation.name, name));
                    }
                });
    }

    private void readTablesAndViews() throws SQLException {
        query("""
                SELECT c.oid, c.relname, c.relkind::text, c.relpersistence::text, c.relrowsecurity,
                       c.relforcerowsecurity, c.relispartition, c.reloptions, obj_description(c.oid, 'pg_class'),
                       %s, CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END,
                       EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid), c.relreplident::text
                FROM pg_class c
                WHERE c.relnamespace = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT %s
                ORDER BY c.relname""".formatted(grants("coalesce(c.relacl, acldefault('r', c.relowner))",
                "c.relowner"), extensionMember("pg_class", "c.oid")), rows -> {
                    long oid = rows.getLong(1);
                    String name = rows.getString(2);
                    String kind = rows.getString(3);
                    List<String> options = strings(rows.getArray(8));
                    List<Column> columns = columnsByTable.getOrDefault(oid, List.of());
                    if (ignoredTables.contains(name)) {
                        return;
                    }
                    switch (kind) {
                        case "r" -> {
                            if (rows.getBoolean(7) || rows.getBoolean(12)) {
                                unsupported.add("table inheritance or partition: " + name);
                            }
                            if (!options.isEmpty()) {
                                unsupported.add("storage options of table " + name + ": " + String.join(", ", options));
                            }
                            if (!rows.getString(13).equals("d")) {
                                unsupported.add("replica identity of table " + name);
                            }
                            add(new Table(name, columns, rows.getString(4).equals("u"), rows.getBoolean(5),
                                    rows.getBoolean(6), rows.getString(9), parseGrants(rows.getArray(10)),
                                    kind.equals("p")),
                                    "pg_class", oid);
                        }
                        case "v", "m" -> {
                            SortedMap<String, String> comments = new TreeMap<>();
                            SortedMap<String, List<Grant>> columnGrants = new TreeMap<>();
                            for (Column column : columns) {
                                if (column.comment() != null) {
                                    comments.put(column.name(), column.comment());
                                }
                                columnGrants.put(column.name(), column.grants());
                            }
                            String definition = rows.getString(11).strip();
                            if (definition.endsWith(";")) {
                                definition = definition.substring(0, definition.length() - 1);
                            }
                            add(new View(name, kind.equals("m"), definition, options, rows.getString(9),
                                    parseGrants(rows.getArray(10)), comments, columnGrants), "pg_class", oid);
                        }
                        case "p" -> unsupported.add("partitioned table " + name);
                        default -> unsupported.add("foreign table " + name);
                    }
                });
        // The rules that make views, so dependencies of a view's query count as the view's
        query("""
                SELECT r.oid, r.ev_class FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
                WHERE c.relnamespace = ? AND r.rulename = '_RETURN'""", rows -> {
            Key view = keyOf("pg_class", rows.getLong(2), 0);
            if (view != null) {
                map("pg_rewrite", rows.getLong(1), view);
            }
        });
    }

    // ------------------------------------------------------------------------------------------ types

    private void readTypes() throws SQLException {
        query("""
                SELECT t.oid, t.typname, t.typtype::text, t.typrelid, t.typelem,
                       EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typarray = t.oid),
                       ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                       obj_description(t.oid, 'pg_type'), %s,
                       format_type(t.typbasetype, t.typtypmod), t.typnotnull, pg_get_expr(t.typdefaultbin, 0),
                       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation THEN
                           CASE WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname)
                                ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END,
                       ARRAY(SELECT quote_ident(con.conname) || chr(1) || pg_get_constraintdef(con.oid, true)
                             FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY 1),
                       ARRAY(SELECT con.oid FROM pg_constraint con WHERE con.contypid = t.oid)
                FROM pg_type t
                LEFT JOIN pg_type b ON b.oid = t.typbasetype
                LEFT JOIN pg_collation co ON co.oid = t.typcollation
                LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                WHERE t.typnamespace = ? AND NOT %s
                ORDER BY t.typname""".formatted(grants("coalesce(t.typacl, acldefault('T', t.typowner))",
                "t.typowner"), extensionMember("pg_type", "t.oid")), rows -> {
                    long oid = rows.getLong(1);
                    String name = rows.getString(2);
                    String comment = rows.getString(8);
                    List<Grant> grants = parseGrants(rows.getArray(9));
                    if (rows.getBoolean(6)) {
                        arrayTypes.put(oid, rows.getLong(5));
                        return;
                    }
                    switch (rows.getString(3)) {
                        case "e" -> add(new EnumType(name, strings(rows.getArray(7)), comment, grants), "pg_type", oid);
                        case "d" -> {
                            List<Domain.Check> checks = new ArrayList<>();
                            for (String check : strings(rows.getArray(14))) {
                                int split = check.indexOf(SEP);
                                checks.add(new Domain.Check(check.substring(0, split), check.substring(split + 1)));
                            }
                            add(new Domain(name, rows.getString(10), rows.getString(13), rows.getBoolean(11),
                                    rows.getString(12), checks, comment, grants), "pg_type", oid);
                            for (long constraint : longs(rows.getArray(15))) {
                                map("pg_constraint", constraint, Key.of(Kind.DOMAIN, name));
                            }
                        }
                        case "c" -> {
                            long relid = rows.getLong(4);
                            Relation relation = relations.get(relid);
                            if (relation != null && relation.kind.equals("c")) {
                                List<CompositeType.Attribute> attributes = columnsByTable.getOrDefault(relid, List.of())
                                        .stream().map(c -> new CompositeType.Attribute(c.name(), c.type(),
                                                c.collation())).toList();
                                CompositeType type = new CompositeType(name, attributes, comment, grants);
                                add(type, "pg_type", oid);
                                map("pg_class", relid, type.key());
                            } else if (relation != null) {
                                // the row type of a table or view stands for the table or view
                                rowTypes.put(oid, relid);
                            }
                        }
                        case "r" -> unsupported.add("range type " + name);
                        case "m" -> { } // comes with its range type, reported there
                        default -> unsupported.add("base type " + name);
                    }
                });
    }

    // ------------------------------------------------------------------------------------------ sequences

    private void readSequences() throws SQLException {
        query("""
                SELECT c.oid, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
                       s.seqmax, s.seqcache, s.seqcycle, d.deptype::text, t.relname, a.attname,
                       obj_description(c.oid, 'pg_class'), %s
                FROM pg_sequence s
                JOIN pg_class c ON c.oid = s.seqrelid
                LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
                LEFT JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = c.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE c.relnamespace = ? AND NOT %s
                ORDER BY c.relname""".formatted(grants("coalesce(c.relacl, acldefault('s', c.relowner))",
                "c.relowner"), extensionMember("pg_class", "c.oid")), rows -> {
                    if ("i".equals(rows.getString(10))) {
                        return; // an identity column's sequence: part of the column
                    }
                    String ownerTable = rows.getString(11);
                    if (ownerTable != null && ignoredTables.contains(ownerTable)) {
                        return;
                    }
                    add(new Sequence(rows.getString(2), rows.getString(3), rows.getLong(4), rows.getLong(5),
                            rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getBoolean(9), ownerTable,
                            ownerTable == null ? null : rows.getString(12), rows.getString(13),
                            parseGrants(rows.getArray(14))), "pg_class", rows.getLong(1));
                });
    }

    // ------------------------------------------------------------------------------------------ constraints, indexes

    private void readConstraints() throws SQLException {
        query("""
                SELECT con.oid, c.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid, true),
                       obj_description(con.oid, 'pg_constraint'), con.conindid, con.conislocal
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                WHERE c.relnamespace = ? AND con.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind = 'r'
                ORDER BY 2, 3""", rows -> {
            String table = rows.getString(2);
            if (ignoredTables.contains(table) || !objects.containsKey(Key.of(Kind.TABLE, table))) {
                return;
            }
            if (!rows.getBoolean(8)) {
                unsupported.add("inherited constraint " + rows.getString(3) + " on " + table);
                return;
            }
            String type = rows.getString(4);
            Constraint constraint = new Constraint(table, rows.getString(3), type, rows.getString(5),
                    rows.getString(6));
            add(constraint, "pg_constraint", rows.getLong(1));
            if (!type.equals("f") && !type.equals("c")) {
                map("pg_class", rows.getLong(7), constraint.key()); // its index stands for it
            }
        });
    }

    private void readIndexes() throws SQLException {
        query("""
                SELECT i.indexrelid, ic.relname, tc.relname, pg_get_indexdef(i.indexrelid, 0, true),
                       obj_description(i.indexrelid, 'pg_class'), tc.relkind::text, ic.reloptions,
                       EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid
                               AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
                FROM pg_index i
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_class tc ON tc.oid = i.indrelid
                WHERE ic.relnamespace = ? AND tc.relkind IN ('r', 'm') AND NOT %s
                ORDER BY 2""".formatted(extensionMember("pg_class", "tc.oid")), rows -> {
            String table = rows.getString(3);
            if (rows.getBoolean(8) || ignoredTables.contains(table)) {
                return; // a constraint's index: the constraint stands for it
            }
            Index index = new Index(rows.getString(2), table, rows.getString(4), rows.getString(5));
            add(index, "pg_class", rows.getLong(1));
        });
    }

    // ------------------------------------------------------------------------------------------ functions, triggers

    private void readFunctions() throws SQLException {
        query("""
                SELECT p.oid, p.proname, p.prokind::text, pg_get_function_identity_arguments(p.oid),
                       oidvectortypes(p.proargtypes), pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END,
                       quote_ident(n.nspname) || '.' || quote_ident(p.proname), quote_ident(p.proname),
                       obj_description(p.oid, 'pg_proc'), %s
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE p.pronamespace = ? AND NOT %s
                ORDER BY 2, 4""".formatted(grants("coalesce(p.proacl, acldefault('f', p.proowner))", "p.proowner"),
                extensionMember("pg_proc", "p.oid")), rows -> {
                    String name = rows.getString(2);
                    String kind = rows.getString(3);
                    if (kind.equals("a") || kind.equals("w")) {
                        unsupported.add((kind.equals("a") ? "aggregate " : "window function ") + name + "("
                                + rows.getString(4) + ")");
                        return;
                    }
                    // pg_get_functiondef always qualifies the name; the model never names its own schema
                    String definition = rows.getString(8).replaceFirst(
                            java.util.regex.Pattern.quote(rows.getString(9) + "("),
                            java.util.regex.Matcher.quoteReplacement(rows.getString(10) + "(")).strip();
                    boolean procedure = kind.equals("p");
                    add(new Function(name, rows.getString(5), rows.getString(4), rows.getString(6),
                            procedure ? null : rows.getString(7), procedure, definition, rows.getString(11),
                            parseGrants(rows.getArray(12))), "pg_proc", rows.getLong(1));
                });
    }

    private void readTriggers() throws SQLException {
        query("""
                SELECT tg.oid, c.relname, tg.tgname, pg_get_triggerdef(tg.oid, true), tg.tgenabled::text,
                       obj_description(tg.oid, 'pg_trigger')
                FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
                WHERE c.relnamespace = ? AND NOT tg.tgisinternal
                ORDER BY 2, 3""", rows -> {
            String table = rows.getString(2);
            if (ignoredTables.contains(table)) {
                return;
            }
            add(new Trigger(table, rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6)),
                    "pg_trigger", rows.getLong(1));
        });
    }

    private void readPolicies() throws SQLException {
        query("""
                SELECT pol.oid, c.relname, pol.polname, pol.polpermissive, pol.polcmd::text,
                       ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END
                             FROM unnest(pol.polroles) r ORDER BY 1),
                       pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid),
                       obj_description(pol.oid, 'pg_policy')
                FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
                WHERE c.relnamespace = ?
                ORDER BY 2, 3""", rows -> {
            String command = switch (rows.getString(5)) {
                case "r" -> "SELECT";
                case "a" -> "INSERT";
                case "w" -> "UPDATE";
                case "d" -> "DELETE";
                default -> "ALL";
            };
            add(new Policy(rows.getString(2), rows.getString(3), rows.getBoolean(4), command,
                    strings(rows.getArray(6)), rows.getString(7), rows.getString(8), rows.getString(9)),
                    "pg_policy", rows.getLong(1));
        });
    }

    private void readRules() throws SQLException {
        query("""
                SELECT r.rulename, c.relname FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
                WHERE c.relnamespace = ? AND r.rulename <> '_RETURN' ORDER BY 2, 1""", rows ->
                unsupported.add("rule " + rows.getString(1) + " on " + rows.getString(2)));
    }

    /**
     * Kinds of objects a schema can hold that the model does not represent: named, never skipped silently.
     * One query for all of them (a UNION), so a schema without any costs one round trip.
     */
    private void readUnsupportedKinds() throws SQLException {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("operator", "o.oprname || '(' || format_type(o.oprleft, NULL) || ', ' || format_type(o.oprright,"
                + " NULL) || ')' FROM pg_operator o WHERE o.oprnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_operator", "o.oid"));
        kinds.put("operator class", "opcname FROM pg_opclass o WHERE opcnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_opclass", "o.oid"));
        kinds.put("operator family", "opfname FROM pg_opfamily o WHERE opfnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_opfamily", "o.oid"));
        kinds.put("collation", "collname FROM pg_collation o WHERE collnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_collation", "o.oid"));
        kinds.put("conversion", "conname FROM pg_conversion o WHERE connamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_conversion", "o.oid"));
        kinds.put("text search configuration", "cfgname FROM pg_ts_config o WHERE cfgnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_ts_config", "o.oid"));
        kinds.put("text search dictionary", "dictname FROM pg_ts_dict o WHERE dictnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_ts_dict", "o.oid"));
        kinds.put("text search parser", "prsname FROM pg_ts_parser o WHERE prsnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_ts_parser", "o.oid"));
        kinds.put("text search template", "tmplname FROM pg_ts_template o WHERE tmplnamespace = (SELECT oid FROM n) AND NOT "
                + extensionMember("pg_ts_template", "o.oid"));
        kinds.put("statistics object", "stxname FROM pg_statistic_ext o WHERE stxnamespace = (SELECT oid FROM n)");
        kinds.put("default privileges", "pg_get_userbyid(defaclrole) || ' on ' || CASE defaclobjtype WHEN 'r' THEN"
                + " 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE"
                + " 'schemas' END FROM pg_default_acl WHERE defaclnamespace = (SELECT oid FROM n)");
        String union = kinds.entrySet().stream()
                .map(kind -> "SELECT " + Sql.literal(kind.getKey() + " ") + " || " + kind.getValue())
                .collect(java.util.stream.Collectors.joining("\nUNION ALL "));
        query("WITH n AS (SELECT ?::oid AS oid) SELECT what FROM (" + union + ") found (what) ORDER BY 1",
                rows -> unsupported.add(rows.getString(1)));
    }

    // ------------------------------------------------------------------------------------------ dependencies

    private void readDependencies() throws SQLException {
        Set<Long> oids = new HashSet<>();
        keys.values().forEach(byOid -> oids.addAll(byOid.keySet()));
        Long[] array = oids.toArray(Long[]::new);
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT d.classid::regclass::text, d.objid, d.objsubid, d.refclassid::regclass::text, d.refobjid,
                       d.refobjsubid
                FROM pg_depend d
                WHERE d.deptype IN ('n', 'a') AND d.objid = ANY (?::oid[])""")) {
            statement.setArray(1, connection.createArrayOf("bigint", array));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Key from = keyOf(rows.getString(1), rows.getLong(2), rows.getInt(3));
                    Key to = keyOf(rows.getString(4), rows.getLong(5), rows.getInt(6));
                    if (from == null || to == null || from.equals(to) || sameTable(from, to)
                            || from.kind() == Kind.SEQUENCE && to.kind() == Kind.COLUMN) {
                        // a sequence's owner column is its Sequence.owner, not something to create first
                        continue;
                    }
                    dependencies.computeIfAbsent(from, k -> new HashSet<>()).add(to);
                }
            }
        }
        // Objects on a table need the table, whatever pg_depend says (a constraint may name no column).
        for (Key key : objects.keySet()) {
            if (key.kind().onTable()) {
                dependencies.computeIfAbsent(key, k -> new HashSet<>()).add(tableOrView(key.table()));
            } else if (objects.get(key) instanceof Index index) {
                dependencies.computeIfAbsent(key, k -> new HashSet<>()).add(tableOrView(index.table()));
            }
        }
    }

    /** Columns and defaults of one table referring to each other: the table's own business. */
    private static boolean sameTable(Key from, Key to) {
        return (from.kind() == Kind.COLUMN || from.kind() == Kind.COLUMN_DEFAULT)
                && (to.kind() == Kind.COLUMN || to.kind() == Kind.TABLE) && from.table().equals(
                to.kind() == Kind.TABLE ? to.name() : to.table());
    }

    private Key tableOrView(String name) {
        Key table = Key.of(Kind.TABLE, name);
        if (objects.containsKey(table)) {
            return table;
        }
        Key view = Key.of(Kind.VIEW, name);
        return objects.containsKey(view) ? view : Key.of(Kind.MATERIALIZED_VIEW, name);
    }

    /** The model key a catalog row stands for, or null when it is outside the model. */
    private Key keyOf(String catalog, long oid, int subId) {
        if (catalog.equals("pg_class")) {
            Key key = keys.getOrDefault(catalog, Map.of()).get(oid);
            if (key != null && key.kind() == Kind.TABLE && subId > 0) {
                String column = columnNames.getOrDefault(oid, Map.of()).get(subId);
                return column == null ? key : Key.on(Kind.COLUMN, key.name(), column);
            }
            return key != null ? key : extensionMembers.getOrDefault(catalog, Map.of()).get(oid);
        }
        if (catalog.equals("pg_type")) {
            Long element = arrayTypes.get(oid);
            if (element != null) {
                return keyOf("pg_type", element, 0);
            }
            Long relation = rowTypes.get(oid);
            if (relation != null) {
                return keyOf("pg_class", relation, 0);
            }
        }
        Key key = keys.getOrDefault(catalog, Map.of()).get(oid);
        return key != null ? key : extensionMembers.getOrDefault(catalog, Map.of()).get(oid);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void add(DbObject object, String catalog, long oid) {
        objects.put(object.key(), object);
        map(catalog, oid, object.key());
    }

    private void map(String catalog, long oid, Key key) {
        keys.computeIfAbsent(catalog, c -> new HashMap<>()).put(oid, key);
    }

    /**
     * SQL for the privileges in {@code acl}, owner's left out, as text[] of {@code grantee SEP privilege SEP t|f}.
     * A NULL acl means the defaults, hence the callers' {@code coalesce(acl, acldefault(...))}.
     */
    private static String grants(String acl, String owner) {
        return "ARRAY(SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee))"
                + " END || chr(1) || a.privilege_type || chr(1) || a.is_grantable::text FROM aclexplode(" + acl
                + ") a WHERE a.grantee <> " + owner + " ORDER BY 1)";
    }

    private static List<Grant> parseGrants(Array array) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        for (String text : strings(array)) {
            String[] parts = text.split(String.valueOf(SEP));
            grants.add(new Grant(parts[0], parts[1], parts[2].equals("true")));
        }
        return grants;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static List<Long> longs(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<Long> values = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add(((Number) value).longValue());
        }
        return values;
    }

    private static Map<Key, Set<Key>> freeze(Map<Key, Set<Key>> map) {
        Map<Key, Set<Key>> frozen = new HashMap<>();
        map.forEach((key, value) -> frozen.put(key, Set.copyOf(value)));
        return frozen;
    }

    private interface RowHandler {
        void row(ResultSet rows) throws SQLException;
    }

    /** Runs a query whose only parameter is the schema's oid. */
    private void query(String sql, RowHandler handler) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, namespace);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    handler.row(rows);
                }
            }
        }
    }

    private Long single(String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
