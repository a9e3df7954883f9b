package dev.gearshift.diff;

import static dev.gearshift.diff.ObjectKind.AGGREGATE;
import static dev.gearshift.diff.ObjectKind.CHECK;
import static dev.gearshift.diff.ObjectKind.COLLATION;
import static dev.gearshift.diff.ObjectKind.COLUMN_COLLATION;
import static dev.gearshift.diff.ObjectKind.COMMENT;
import static dev.gearshift.diff.ObjectKind.COMPOSITE_TYPE;
import static dev.gearshift.diff.ObjectKind.DOMAIN;
import static dev.gearshift.diff.ObjectKind.ENUM;
import static dev.gearshift.diff.ObjectKind.TYPE_WITHOUT_CAST;
import static dev.gearshift.diff.ObjectKind.EXCLUSION;
import static dev.gearshift.diff.ObjectKind.EXTENSION;
import static dev.gearshift.diff.ObjectKind.EXTENSION_VERSION;
import static dev.gearshift.diff.ObjectKind.FOREIGN_KEY;
import static dev.gearshift.diff.ObjectKind.FUNCTION;
import static dev.gearshift.diff.ObjectKind.GENERATED;
import static dev.gearshift.diff.ObjectKind.GRANT;
import static dev.gearshift.diff.ObjectKind.IDENTITY;
import static dev.gearshift.diff.ObjectKind.INDEX;
import static dev.gearshift.diff.ObjectKind.INHERITANCE;
import static dev.gearshift.diff.ObjectKind.INHERITED_COLUMN_MERGE;
import static dev.gearshift.diff.ObjectKind.MATERIALIZED_VIEW;
import static dev.gearshift.diff.ObjectKind.NOT_NULL;
import static dev.gearshift.diff.ObjectKind.PARTITION;
import static dev.gearshift.diff.ObjectKind.POLICY;
import static dev.gearshift.diff.ObjectKind.PRIMARY_KEY;
import static dev.gearshift.diff.ObjectKind.PROCEDURE;
import static dev.gearshift.diff.ObjectKind.SCHEMAS;
import static dev.gearshift.diff.ObjectKind.SEQUENCE;
import static dev.gearshift.diff.ObjectKind.TABLE;
import static dev.gearshift.diff.ObjectKind.TRIGGER;
import static dev.gearshift.diff.ObjectKind.UNIQUE;
import static dev.gearshift.diff.ObjectKind.VIEW;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Writes random but valid schemas as SQL, from a small fixed vocabulary (tables t1..t3, columns c_int, c_text...,
 * one enum, one domain, a partitioned table events...), so that two schemas drawn independently share many names
 * and differ in details: the same table with other columns, the same column with another type, a view over a
 * column that changed type, a partitioned table with another strategy...
 *
 * <p>Each {@link ObjectKind} has its own small method, and is written only when switched on. A schema is a pure
 * function of its seed and its kinds. {@link #near} makes a second schema from the same seed with a few decisions
 * drawn differently, which gives pairs that differ only a little.
 *
 * <p>The SQL runs with its schema first on the search path; objects of {@link ObjectKind#SCHEMAS} go to the schema
 * {@value #OTHER_SCHEMA}, so a pair with them needs a database per side.
 */
final class RandomSchemas {

    /** A generated schema: its SQL, and the kinds of objects it holds. */
    record Schema(String sql, Set<ObjectKind> kinds) {
        Schema {
            kinds = Collections.unmodifiableSet(kinds.isEmpty() ? EnumSet.noneOf(ObjectKind.class)
                    : EnumSet.copyOf(kinds));
        }
    }

    static final String OTHER_SCHEMA = "aux";

    private static final String[] LABELS = {"a", "b", "c", "d", "e"};
    /** Versions that both PostgreSQL 15 and 17 can install directly (each has its own install script or path). */
    private static final Map<String, List<String>> EXTENSION_VERSIONS = Map.of(
            "citext", List.of("1.4", "1.5", "1.6"),
            "hstore", List.of("1.4", "1.5", "1.6", "1.7", "1.8"),
            "pg_trgm", List.of("1.3", "1.4", "1.5", "1.6"));

    private final Random base;
    private final Random noise;
    private final double rate;
    private final Set<ObjectKind> enabled;
    private final Set<ObjectKind> used = EnumSet.noneOf(ObjectKind.class);
    private final StringBuilder sql = new StringBuilder();
    private final List<TableShape> tables = new ArrayList<>();
    /** The extensions installed at their default version: the ones columns and indexes may use. */
    private final List<String> extensions = new ArrayList<>();
    private String firstLabel = "a";
    private boolean enums;
    private boolean tone;
    private boolean amount;
    private boolean pair;
    private boolean counter;
    private boolean calc;
    private boolean touch;
    private boolean glue;
    private boolean collation;
    private boolean accounts;

    /** What later objects need to know about a table: its name, its columns, whether it has a primary key. */
    private record TableShape(String name, List<String> columns, boolean keyed) {
    }

    private RandomSchemas(long seed, long noiseSeed, double rate, Set<ObjectKind> kinds) {
        this.base = new Random(seed);
        this.noise = new Random(noiseSeed);
        this.rate = rate;
        this.enabled = kinds;
    }

    static Schema of(long seed, Set<ObjectKind> kinds) {
        return new RandomSchemas(seed, 0, 0, kinds).write();
    }

    /** The schema of {@code seed} with about {@code rate} of its decisions drawn again. */
    static Schema near(long seed, long noiseSeed, double rate, Set<ObjectKind> kinds) {
        return new RandomSchemas(seed, noiseSeed, rate, kinds).write();
    }

    // ------------------------------------------------------------------------------------------ drawing

    private Random random() {
        return rate > 0 && noise.nextDouble() < rate ? noise : base;
    }

    private boolean chance(double p) {
        return random().nextDouble() < p;
    }

    private int number(int bound) {
        return random().nextInt(bound);
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[number(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(number(values.size()));
    }

    /** True when {@code kind} is switched on and the draw says yes. */
    private boolean maybe(ObjectKind kind, double p) {
        return enabled.contains(kind) && chance(p);
    }

    /** Writes one statement that makes an object of {@code kind}. */
    private void emit(ObjectKind kind, String statement) {
        used.add(kind);
        sql.append(statement).append(";\n");
    }

    // ------------------------------------------------------------------------------------------ the schema

    private Schema write() {
        extensions();
        collation();
        enums();
        domain();
        compositeType();
        sequence();
        functions();
        procedure();
        aggregate();
        triggerFunction();
        otherSchemaTables();
        if (enabled.contains(TABLE)) {
            for (int i = 1; i <= 3; i++) {
                if (chance(0.8)) {
                    table("t" + i);
                }
            }
        }
        inheritance();
        partitions();
        views();
        materializedView();
        otherSchemaViews();
        return new Schema(sql.toString(), used);
    }

    private void extensions() {
        for (String name : List.of("citext", "hstore", "pg_trgm")) {
            if (!maybe(EXTENSION, 0.25)) {
                continue;
            }
            String statement = "CREATE EXTENSION " + name;
            if (maybe(EXTENSION_VERSION, 0.7)) {
                statement += " VERSION '" + pick(EXTENSION_VERSIONS.get(name)) + "'";
                used.add(EXTENSION_VERSION);
            } else {
                // only an extension at its default version gets users: PostgreSQL has no way back to an older
                // version while a column or index uses it (the diff warns), so such a pair cannot round-trip
                extensions.add(name);
            }
            emit(EXTENSION, statement);
        }
    }

    private void collation() {
        if (maybe(COLLATION, 0.5)) {
            collation = true;
            emit(COLLATION, "CREATE COLLATION plain (" + pick("locale = 'C'", "provider = libc, locale = 'POSIX'",
                    "lc_collate = 'C', lc_ctype = 'POSIX'") + ")");
            if (maybe(COMMENT, 0.3)) {
                emit(COMMENT, "COMMENT ON COLLATION plain IS 'bytes " + number(2) + "'");
            }
        }
    }

    private void enums() {
        if (maybe(ENUM, 0.9)) {
            enums = true;
            List<String> labels = new ArrayList<>();
            for (String label : LABELS) {
                if (chance(0.6)) {
                    labels.add(label);
                }
            }
            if (labels.isEmpty()) {
                labels.add("a");
            }
            if (chance(0.2)) {
                Collections.reverse(labels);
            }
            firstLabel = labels.get(0);
            StringJoiner values = new StringJoiner(", ");
            labels.forEach(l -> values.add("'" + l + "'"));
            emit(ENUM, "CREATE TYPE mood AS ENUM (" + values + ")");
            if (maybe(COMMENT, 0.3)) {
                emit(COMMENT, "COMMENT ON TYPE mood IS 'how it feels " + number(2) + "'");
            }
            if (maybe(GRANT, 0.2)) {
                emit(GRANT, "REVOKE USAGE ON TYPE mood FROM PUBLIC");
            }
        }
        if (maybe(TYPE_WITHOUT_CAST, 0.7)) {
            // every label, so that a column's default fits both enums
            tone = true;
            emit(ENUM, "CREATE TYPE tone AS ENUM ('a', 'b', 'c', 'd', 'e')");
        }
    }

    private void domain() {
        if (maybe(DOMAIN, 0.9)) {
            amount = true;
            emit(DOMAIN, "CREATE DOMAIN amount AS " + pick("numeric(10,2)", "numeric(12,2)", "integer")
                    + (chance(0.5) ? " CHECK (VALUE >= 0)" : "") + (chance(0.3) ? " DEFAULT 0" : "")
                    + (chance(0.2) ? " CONSTRAINT amount_small CHECK (VALUE < 1000000)" : ""));
            if (maybe(COMMENT, 0.2)) {
                emit(COMMENT, "COMMENT ON DOMAIN amount IS 'money " + number(2) + "'");
            }
        }
    }

    private void compositeType() {
        if (maybe(COMPOSITE_TYPE, 0.5)) {
            pair = true;
            emit(COMPOSITE_TYPE, "CREATE TYPE pair AS (x integer, y " + pick("text", "integer")
                    + (chance(0.5) ? ", z date" : "") + ")");
        }
    }

    private void sequence() {
        if (maybe(SEQUENCE, 0.5)) {
            counter = true;
            emit(SEQUENCE, "CREATE SEQUENCE counter" + (chance(0.3) ? " AS " + pick("smallint", "bigint") : "")
                    + " INCREMENT BY " + (1 + number(3)) + " START WITH " + (1 + number(100))
                    + (chance(0.2) ? " CACHE " + (1 + number(20)) : "") + (chance(0.3) ? " CYCLE" : ""));
            if (maybe(COMMENT, 0.2)) {
                emit(COMMENT, "COMMENT ON SEQUENCE counter IS 'numbers " + number(2) + "'");
            }
            if (maybe(GRANT, 0.3)) {
                emit(GRANT, "GRANT USAGE ON SEQUENCE counter TO gs_writer");
            }
        }
    }

    private void functions() {
        if (!maybe(FUNCTION, 0.9)) {
            return;
        }
        calc = true;
        emit(FUNCTION, "CREATE FUNCTION calc(x integer) RETURNS " + pick("integer", "bigint") + " LANGUAGE sql "
                + pick("IMMUTABLE", "STABLE", "VOLATILE") + (chance(0.2) ? " STRICT" : "")
                + (chance(0.2) ? " PARALLEL SAFE" : "") + " AS 'SELECT x + " + number(3) + "'");
        if (chance(0.3)) {
            emit(FUNCTION, "CREATE FUNCTION label(x integer DEFAULT " + number(2) + ", prefix text DEFAULT 'n')"
                    + " RETURNS text LANGUAGE plpgsql" + (chance(0.3) ? " SECURITY DEFINER" : "")
                    + " AS $$ BEGIN RETURN prefix || x; END $$");
        }
        if (maybe(COMMENT, 0.2)) {
            emit(COMMENT, "COMMENT ON FUNCTION calc(integer) IS 'adds " + number(2) + "'");
        }
        if (maybe(GRANT, 0.3)) {
            emit(GRANT, "REVOKE EXECUTE ON FUNCTION calc(integer) FROM PUBLIC");
            emit(GRANT, "GRANT EXECUTE ON FUNCTION calc(integer) TO gs_reader");
        }
    }

    private void procedure() {
        if (maybe(PROCEDURE, 0.4)) {
            emit(PROCEDURE, "CREATE PROCEDURE tidy(n integer) LANGUAGE sql AS 'SELECT " + number(2) + "'");
        }
    }

    /** An aggregate over a function of the schema, as pagila's group_concat: the order its drops need is real. */
    private void aggregate() {
        if (!maybe(AGGREGATE, 0.5)) {
            return;
        }
        glue = true;
        emit(FUNCTION, "CREATE FUNCTION glue(acc text, item text) RETURNS text LANGUAGE sql IMMUTABLE AS"
                + " $$SELECT CASE WHEN acc IS NULL THEN item ELSE acc || '" + pick(",", ";") + "' || item END$$");
        emit(AGGREGATE, "CREATE AGGREGATE glue_all(text) (SFUNC = glue, STYPE = text"
                + (chance(0.3) ? ", INITCOND = ''" : "") + ")");
        if (chance(0.3)) {
            emit(AGGREGATE, "CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '"
                    + number(2) + "')");
        }
    }

    private void triggerFunction() {
        if (maybe(TRIGGER, 0.7)) {
            touch = true;
            emit(FUNCTION, "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN "
                    + pick("NEW", "NULL") + "; END $$");
        }
    }

    private void otherSchemaTables() {
        if (!maybe(SCHEMAS, 0.6)) {
            return;
        }
        accounts = true;
        emit(SCHEMAS, "CREATE SCHEMA " + OTHER_SCHEMA);
        emit(SCHEMAS, "CREATE TABLE " + OTHER_SCHEMA + ".accounts (id integer PRIMARY KEY, name "
                + pick("text", "varchar(40)") + (chance(0.5) ? ", since date" : "") + ")");
        if (chance(0.3)) {
            emit(SCHEMAS, "CREATE FUNCTION " + OTHER_SCHEMA + ".twice(x integer) RETURNS integer LANGUAGE sql"
                    + " IMMUTABLE AS 'SELECT x * 2'");
        }
    }

    // ------------------------------------------------------------------------------------------ tables

    private void table(String name) {
        List<String> columns = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        boolean keyed = maybe(PRIMARY_KEY, 0.9);
        if (keyed) {
            used.add(PRIMARY_KEY);
        }
        definitions.add("id integer" + (keyed ? " PRIMARY KEY" : notNull()));
        columns.add("id");
        List<String> intDefaults = new ArrayList<>(List.of("0"));
        if (calc) {
            intDefaults.add("calc(1)");
        }
        if (counter) {
            intDefaults.add("nextval('counter')");
        }
        column(columns, definitions, "c_int", List.of("integer", "bigint", "smallint"), pick(intDefaults));
        column(columns, definitions, "c_text", textTypes(), "'x'");
        column(columns, definitions, "c_num", amount ? List.of("numeric(10,2)", "amount") : List.of("numeric(10,2)"),
                "1");
        column(columns, definitions, "c_bool", List.of("boolean"), "true");
        column(columns, definitions, "c_ts", List.of("timestamptz", "timestamp"), "now()");
        column(columns, definitions, "c_mood", moodTypes(), "'" + firstLabel + "'");
        column(columns, definitions, "c_arr", List.of("integer[]", "text[]"), "'{}'");
        if (!extensions.isEmpty() && !extensions.equals(List.of("pg_trgm")) && chance(0.5)) {
            String type = extensions.contains("citext") && (!extensions.contains("hstore") || chance(0.5))
                    ? "citext" : "hstore";
            columns.add("c_ext");
            definitions.add("c_ext " + type);
        }
        if (pair && chance(0.3)) {
            columns.add("c_pair");
            definitions.add("c_pair pair");
        }
        generated(columns, definitions);
        identityOrSerial(columns, definitions);
        foreignKeys(name, keyed, columns, definitions);
        boolean idCheck = checks(name, columns, definitions);
        unique(columns, definitions);
        exclusion(name, columns, definitions);
        emit(TABLE, "CREATE TABLE " + name + " (\n    " + String.join(",\n    ", definitions) + "\n)");
        indexes(name, columns);
        tableComments(name, columns, idCheck);
        tableGrants(name, columns);
        policies(name);
        triggers(name, columns);
        if (calc && chance(0.2)) {
            emit(FUNCTION, "CREATE FUNCTION count_" + name + "() RETURNS bigint LANGUAGE sql STABLE"
                    + " BEGIN ATOMIC SELECT count(*) FROM " + name + " WHERE id > " + number(2) + "; END");
        }
        tables.add(new TableShape(name, columns, keyed));
    }

    private String notNull() {
        if (maybe(NOT_NULL, 0.3)) {
            used.add(NOT_NULL);
            return " NOT NULL";
        }
        return "";
    }

    private List<String> textTypes() {
        List<String> types = new ArrayList<>(List.of("text", "varchar(30)", "varchar(60)"));
        if (enabled.contains(COLUMN_COLLATION)) {
            types.add("text COLLATE \"C\"");
            types.add("varchar(30) COLLATE \"POSIX\"");
        }
        if (collation) {
            types.add("text COLLATE plain");
        }
        return types;
    }

    private List<String> moodTypes() {
        List<String> types = new ArrayList<>(List.of("text"));
        if (enums) {
            types.add("mood");
        }
        if (tone) {
            types.add("tone");
        }
        return types;
    }

    private void column(List<String> columns, List<String> definitions, String name, List<String> types,
                        String defaultValue) {
        if (!chance(0.6)) {
            return;
        }
        String type = pick(types);
        StringBuilder definition = new StringBuilder(name + " " + type);
        if (chance(0.3)) {
            definition.append(" DEFAULT ").append(type.endsWith("[]") ? defaultValue + "::" + type : defaultValue);
        }
        definition.append(notNull());
        columns.add(name);
        definitions.add(definition.toString());
        if (type.contains("COLLATE \"")) {
            used.add(COLUMN_COLLATION);
        } else if (type.contains("COLLATE plain")) {
            used.add(COLLATION);
        } else if (type.equals("tone")) {
            used.add(TYPE_WITHOUT_CAST);
        }
    }

    private void generated(List<String> columns, List<String> definitions) {
        if (maybe(GENERATED, 0.3)) {
            used.add(GENERATED);
            columns.add("c_gen");
            definitions.add("c_gen integer GENERATED ALWAYS AS (id * " + (1 + number(3)) + ") STORED");
        }
    }

    private void identityOrSerial(List<String> columns, List<String> definitions) {
        if (maybe(IDENTITY, 0.3)) {
            used.add(IDENTITY);
            columns.add("c_ident");
            definitions.add("c_ident bigint GENERATED " + pick("ALWAYS", "BY DEFAULT") + " AS IDENTITY"
                    + (chance(0.3) ? " (START WITH " + (1 + number(20)) + " INCREMENT BY " + (1 + number(2)) + ")"
                    : ""));
        } else if (maybe(SEQUENCE, 0.3)) {
            used.add(SEQUENCE);
            columns.add("c_serial");
            definitions.add("c_serial " + pick("serial", "bigserial", "integer"));
        }
    }

    private void foreignKeys(String name, boolean keyed, List<String> columns, List<String> definitions) {
        if (!enabled.contains(FOREIGN_KEY)) {
            return;
        }
        List<String> targets = new ArrayList<>();
        tables.stream().filter(TableShape::keyed).forEach(t -> targets.add(t.name()));
        if (keyed && chance(0.2)) {
            targets.add(name); // a tree
        }
        if (accounts) {
            targets.add(OTHER_SCHEMA + ".accounts");
        }
        for (String target : targets) {
            if (!chance(0.4)) {
                continue;
            }
            used.add(FOREIGN_KEY);
            String column = "ref_" + target.replace(OTHER_SCHEMA + ".", "");
            columns.add(column);
            String onDelete = pick("", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON DELETE RESTRICT",
                    " ON DELETE SET DEFAULT", " ON DELETE SET NULL (" + column + ")");
            definitions.add(column + " integer REFERENCES " + target + (chance(0.2) ? " MATCH FULL" : "") + onDelete
                    + (chance(0.2) ? " ON UPDATE CASCADE" : "")
                    + (chance(0.2) ? " DEFERRABLE" + pick("", " INITIALLY DEFERRED") : ""));
        }
    }

    /** @return whether the check on id was written (it may get a comment) */
    private boolean checks(String name, List<String> columns, List<String> definitions) {
        if (calc && columns.contains("c_int") && maybe(CHECK, 0.2)) {
            definitions.add("CONSTRAINT " + name + "_c_int_limit CHECK (c_int < calc(" + (100 + number(2)) + "))");
            used.add(CHECK);
        }
        if (maybe(CHECK, 0.4)) {
            definitions.add("CONSTRAINT " + name + "_id_check CHECK (id < " + (1000 + number(2)) + ")");
            used.add(CHECK);
            return true;
        }
        return false;
    }

    private void unique(List<String> columns, List<String> definitions) {
        if (columns.contains("c_text") && maybe(UNIQUE, 0.3)) {
            used.add(UNIQUE);
            definitions.add(pick("UNIQUE (c_text)", "UNIQUE NULLS NOT DISTINCT (c_text)")
                    + (chance(0.2) ? " DEFERRABLE" : ""));
        }
        if (columns.contains("c_int") && columns.contains("c_bool") && maybe(UNIQUE, 0.2)) {
            used.add(UNIQUE);
            definitions.add("UNIQUE (c_int, c_bool)");
        }
    }

    private void exclusion(String name, List<String> columns, List<String> definitions) {
        if (maybe(EXCLUSION, 0.3)) {
            used.add(EXCLUSION);
            columns.add("c_span");
            String type = maybe(TYPE_WITHOUT_CAST, 0.5) ? "tsrange" : "int4range";
            if (type.equals("tsrange")) {
                used.add(TYPE_WITHOUT_CAST);
            }
            definitions.add("c_span " + type);
            definitions.add("CONSTRAINT " + name + "_no_overlap EXCLUDE USING gist (c_span WITH &&)"
                    + (chance(0.3) ? " WHERE (id > " + number(3) + ")" : ""));
        }
    }

    private void indexes(String name, List<String> columns) {
        if (columns.contains("c_int") && maybe(INDEX, 0.5)) {
            emit(INDEX, "CREATE " + (chance(0.2) ? "UNIQUE " : "") + "INDEX " + name + "_c_int ON " + name + " (c_int"
                    + (chance(0.3) ? " DESC" : "") + ")" + (chance(0.2) ? " INCLUDE (id)" : "")
                    + (columns.contains("c_bool") && chance(0.3) ? " WHERE c_bool" : ""));
            if (maybe(COMMENT, 0.2)) {
                emit(COMMENT, "COMMENT ON INDEX " + name + "_c_int IS 'by number'");
            }
        }
        if (columns.contains("c_text") && maybe(INDEX, 0.4)) {
            emit(INDEX, "CREATE INDEX " + name + "_lower ON " + name + pick(" (lower(c_text))", " USING hash (c_text)",
                    " (c_text text_pattern_ops)"));
        }
        if (columns.contains("c_text") && extensions.contains("pg_trgm") && maybe(INDEX, 0.5)) {
            emit(INDEX, "CREATE INDEX " + name + "_trgm ON " + name + " USING gin (c_text gin_trgm_ops)");
        }
    }

    private void tableComments(String name, List<String> columns, boolean idCheck) {
        if (maybe(COMMENT, 0.3)) {
            emit(COMMENT, "COMMENT ON TABLE " + name + " IS 'table " + number(2) + "'");
        }
        if (columns.contains("c_text") && maybe(COMMENT, 0.3)) {
            emit(COMMENT, "COMMENT ON COLUMN " + name + ".c_text IS 'text " + number(2) + "'");
        }
        if (idCheck && maybe(COMMENT, 0.2)) {
            emit(COMMENT, "COMMENT ON CONSTRAINT " + name + "_id_check ON " + name + " IS 'small ids'");
        }
    }

    private void tableGrants(String name, List<String> columns) {
        if (maybe(GRANT, 0.4)) {
            emit(GRANT, "GRANT " + pick("SELECT", "SELECT, INSERT", "ALL") + " ON " + name + " TO "
                    + pick("gs_reader", "gs_writer") + (chance(0.2) ? " WITH GRANT OPTION" : ""));
        }
        if (columns.contains("c_text") && maybe(GRANT, 0.3)) {
            emit(GRANT, "GRANT UPDATE (c_text) ON " + name + " TO gs_writer");
        }
    }

    private void policies(String name) {
        if (!maybe(POLICY, 0.3)) {
            return;
        }
        emit(POLICY, "ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY");
        if (chance(0.2)) {
            emit(POLICY, "ALTER TABLE " + name + " FORCE ROW LEVEL SECURITY");
        }
        String command = pick("", " FOR SELECT", " FOR INSERT", " FOR UPDATE", " FOR DELETE");
        String using = " USING (id > " + number(3) + ")";
        String check = " WITH CHECK (id < " + (100 + number(3)) + ")";
        String clauses = switch (command) {
            case " FOR SELECT", " FOR DELETE" -> using;
            case " FOR INSERT" -> check;
            default -> chance(0.5) ? using : using + check;
        };
        emit(POLICY, "CREATE POLICY " + name + "_policy ON " + name + (chance(0.2) ? " AS RESTRICTIVE" : "")
                + command + (chance(0.3) ? " TO gs_reader" : "") + clauses);
        if (maybe(COMMENT, 0.2)) {
            emit(COMMENT, "COMMENT ON POLICY " + name + "_policy ON " + name + " IS 'who sees'");
        }
    }

    private void triggers(String name, List<String> columns) {
        if (!touch) {
            return;
        }
        if (chance(0.4)) {
            List<String> events = new ArrayList<>(List.of("INSERT", "UPDATE", "INSERT OR DELETE"));
            if (columns.contains("c_text")) {
                events.add("UPDATE OF c_text");
            }
            String event = pick(events);
            emit(TRIGGER, "CREATE TRIGGER " + name + "_touch BEFORE " + event + " ON " + name + " FOR EACH ROW"
                    + (!event.contains("DELETE") && chance(0.2) ? " WHEN (NEW.id > " + number(3) + ")" : "")
                    + " EXECUTE FUNCTION touch()");
            if (chance(0.15)) {
                emit(TRIGGER, "ALTER TABLE " + name + " DISABLE TRIGGER " + name + "_touch");
            }
            if (maybe(COMMENT, 0.2)) {
                emit(COMMENT, "COMMENT ON TRIGGER " + name + "_touch ON " + name + " IS 'stamps'");
            }
        }
        if (chance(0.2)) {
            emit(TRIGGER, "CREATE TRIGGER " + name + "_added AFTER INSERT ON " + name
                    + " REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION touch()");
        }
        if (chance(0.15)) {
            emit(TRIGGER, "CREATE CONSTRAINT TRIGGER " + name + "_late AFTER UPDATE ON " + name
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION touch()");
        }
    }

    /**
     * A child of one of the tables. It may declare a column of its parent's again (merged: the child's own, kept when
     * the parent drops it), and have a grandchild.
     */
    private void inheritance() {
        if (tables.isEmpty() || !maybe(INHERITANCE, 0.5)) {
            return;
        }
        TableShape parent = pick(tables);
        String child = parent.name() + "_child";
        List<String> definitions = new ArrayList<>();
        definitions.add("note text" + (chance(0.3) ? " DEFAULT 'n'" : ""));
        // drawn first either way, so that switching the kind changes nothing else
        if (chance(0.4) && enabled.contains(INHERITED_COLUMN_MERGE)) {
            definitions.add("c_bool boolean"); // the parent's own, if it has one: merged
            if (parent.columns().contains("c_bool")) {
                used.add(INHERITED_COLUMN_MERGE);
            }
        }
        if (chance(0.3)) {
            definitions.add("CONSTRAINT " + child + "_note CHECK (note <> '')" + (chance(0.3) ? " NO INHERIT" : ""));
        }
        emit(INHERITANCE, "CREATE TABLE " + child + " (" + String.join(", ", definitions) + ") INHERITS ("
                + parent.name() + ")");
        if (chance(0.3)) {
            emit(INHERITANCE, "CREATE TABLE " + child + "_more (extra integer) INHERITS (" + child + ")");
        }
        if (maybe(INDEX, 0.3)) {
            emit(INDEX, "CREATE INDEX " + child + "_note ON " + child + " (note)");
        }
    }

    /** A partitioned table {@code events}: by range, list or hash, with a default partition and sub-partitions. */
    private void partitions() {
        if (!maybe(PARTITION, 0.6)) {
            return;
        }
        String strategy = pick("RANGE (at)", "LIST (kind)", "HASH (id)");
        boolean keyed = maybe(PRIMARY_KEY, 0.5);
        emit(PARTITION, "CREATE TABLE events (id integer NOT NULL, kind text NOT NULL, at date NOT NULL, note "
                + pick("text", "varchar(80)") + (chance(0.3) ? ", extra integer" : "")
                + (keyed ? ", PRIMARY KEY (id, kind, at)" : "") + ") PARTITION BY " + strategy);
        switch (strategy) {
            case "RANGE (at)" -> {
                for (int year = 2024; year <= 2025 + number(2); year++) {
                    partition("events_" + year, "events", "FROM ('" + year + "-01-01') TO ('" + (year + 1) + "-01-01')",
                            year == 2025 && chance(0.4) ? "LIST (kind)" : null);
                }
                defaultPartition("events");
            }
            case "LIST (kind)" -> {
                partition("events_ab", "events", "IN ('a', 'b')", null);
                partition("events_c", "events", "IN ('c'" + (chance(0.3) ? ", 'd'" : "") + ")",
                        chance(0.4) ? "HASH (id)" : null);
                defaultPartition("events");
            }
            default -> {
                int modulus = 2 + number(2);
                for (int remainder = 0; remainder < modulus; remainder++) {
                    partition("events_" + remainder, "events", "WITH (MODULUS " + modulus + ", REMAINDER " + remainder
                            + ")", remainder == 0 && chance(0.3) ? "RANGE (at)" : null);
                }
            }
        }
        if (maybe(INDEX, 0.4)) {
            emit(INDEX, "CREATE INDEX events_at ON events (at" + (chance(0.3) ? " DESC" : "") + ")");
        }
        if (maybe(COMMENT, 0.2)) {
            emit(COMMENT, "COMMENT ON TABLE events IS 'what happened'");
        }
    }

    /** One partition; {@code subStrategy} not null makes it partitioned in turn, with partitions of its own. */
    private void partition(String name, String parent, String bounds, String subStrategy) {
        emit(PARTITION, "CREATE TABLE " + name + " PARTITION OF " + parent + " FOR VALUES " + bounds
                + (subStrategy == null ? "" : " PARTITION BY " + subStrategy));
        if (subStrategy == null) {
            return;
        }
        switch (subStrategy) {
            case "LIST (kind)" -> {
                partition(name + "_a", name, "IN ('a')", null);
                defaultPartition(name);
            }
            case "HASH (id)" -> {
                partition(name + "_0", name, "WITH (MODULUS 2, REMAINDER 0)", null);
                partition(name + "_1", name, "WITH (MODULUS 2, REMAINDER 1)", null);
            }
            default -> {
                partition(name + "_old", name, "FROM (MINVALUE) TO ('2025-01-01')", null);
                defaultPartition(name);
            }
        }
    }

    private void defaultPartition(String parent) {
        if (chance(0.6)) {
            emit(PARTITION, "CREATE TABLE " + parent + "_other PARTITION OF " + parent + " DEFAULT");
        }
    }

    // ------------------------------------------------------------------------------------------ views

    private void views() {
        if (tables.isEmpty() || !enabled.contains(VIEW)) {
            return;
        }
        String previous = null;
        for (int i = 1; i <= 2; i++) {
            if (!chance(0.6)) {
                continue;
            }
            String view = "v" + i;
            if (previous != null && chance(0.3)) {
                emit(VIEW, "CREATE VIEW " + view + " AS SELECT * FROM " + previous + " WHERE id > 1");
            } else {
                TableShape table = pick(tables);
                List<String> selected = new ArrayList<>();
                for (String column : table.columns()) {
                    if (column.equals("id") || chance(0.5)) {
                        selected.add(column);
                    }
                }
                boolean calculated = calc && chance(0.3);
                String options = chance(0.2) ? " WITH (security_barrier)" : "";
                emit(VIEW, "CREATE VIEW " + view + options + " AS SELECT " + String.join(", ", selected)
                        + (calculated ? ", calc(id) AS calculated" : "") + " FROM " + table.name() + " WHERE id > "
                        + number(5) + (!calculated && chance(0.2) ? " WITH " + pick("LOCAL", "CASCADED")
                        + " CHECK OPTION" : ""));
            }
            if (maybe(GRANT, 0.3)) {
                emit(GRANT, "GRANT SELECT (id) ON " + view + " TO gs_reader");
            }
            if (maybe(COMMENT, 0.2)) {
                emit(COMMENT, "COMMENT ON VIEW " + view + " IS 'a view " + number(2) + "'");
            }
            if (maybe(COMMENT, 0.1)) {
                emit(COMMENT, "COMMENT ON COLUMN " + view + ".id IS 'the id'");
            }
            previous = view;
        }
        if (glue && chance(0.6)) {
            TableShape table = pick(tables);
            if (table.columns().contains("c_text")) {
                emit(VIEW, "CREATE VIEW glued AS SELECT glue_all(c_text::text) AS texts FROM " + table.name());
            }
        }
    }

    private void materializedView() {
        if (tables.isEmpty() || !maybe(MATERIALIZED_VIEW, 0.4)) {
            return;
        }
        emit(MATERIALIZED_VIEW, "CREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n"
                + (chance(0.3) ? ", max(id) AS top" : "") + " FROM " + pick(tables).name());
        if (maybe(INDEX, 0.3)) {
            emit(INDEX, "CREATE UNIQUE INDEX counts_n ON counts (n)");
        }
    }

    private void otherSchemaViews() {
        if (accounts && !tables.isEmpty() && chance(0.5)) {
            emit(SCHEMAS, "CREATE VIEW " + OTHER_SCHEMA + ".recent AS SELECT id FROM " + pick(tables).name()
                    + " WHERE id > " + number(3));
        }
    }
}
