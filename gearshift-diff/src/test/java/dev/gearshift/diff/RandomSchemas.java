package dev.gearshift.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

/**
 * Writes random but valid schemas as SQL, from a small fixed vocabulary (tables t1..t3, columns c_int, c_text...,
 * one enum, one domain), so that two schemas drawn independently share many names and differ in details: the
 * same table with other columns, the same column with another type, a view over a column that changed type...
 *
 * <p>A schema is a pure function of its seed. {@link #near} makes a second schema from the same seed with a few
 * decisions drawn differently, which gives pairs that differ only a little.
 */
final class RandomSchemas {

    private static final String[] LABELS = {"a", "b", "c", "d", "e"};

    private final Random base;
    private final Random noise;
    private final double rate;
    private final StringBuilder sql = new StringBuilder();
    private final List<String> tables = new ArrayList<>();
    private final List<List<String>> columnsOf = new ArrayList<>();
    private String firstLabel;
    private boolean triggerFunction;
    private boolean pair;

    private RandomSchemas(long seed, long noiseSeed, double rate) {
        this.base = new Random(seed);
        this.noise = new Random(noiseSeed);
        this.rate = rate;
    }

    static String of(long seed) {
        return new RandomSchemas(seed, 0, 0).write();
    }

    /** The schema of {@code seed} with about {@code rate} of its decisions drawn again. */
    static String near(long seed, long noiseSeed, double rate) {
        return new RandomSchemas(seed, noiseSeed, rate).write();
    }

    private Random random() {
        return rate > 0 && noise.nextDouble() < rate ? noise : base;
    }

    private boolean chance(double p) {
        return random().nextDouble() < p;
    }

    private int number(int bound) {
        return random().nextInt(bound);
    }

    private <T> T pick(List<T> values) {
        return values.get(number(values.size()));
    }

    private String write() {
        types();
        if (chance(0.5)) {
            sql.append("CREATE SEQUENCE counter INCREMENT BY ").append(1 + number(3)).append(" START WITH ")
                    .append(1 + number(100)).append(chance(0.3) ? " CYCLE" : "").append(";\n");
        }
        functions();
        for (int i = 1; i <= 3; i++) {
            if (chance(0.8)) {
                table("t" + i);
            }
        }
        views();
        return sql.toString();
    }

    private void types() {
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
            java.util.Collections.reverse(labels);
        }
        firstLabel = labels.get(0);
        StringJoiner values = new StringJoiner(", ");
        labels.forEach(l -> values.add("'" + l + "'"));
        sql.append("CREATE TYPE mood AS ENUM (").append(values).append(");\n");
        sql.append("CREATE DOMAIN amount AS ").append(pick(List.of("numeric(10,2)", "numeric(12,2)", "integer")))
                .append(chance(0.5) ? " CHECK (VALUE >= 0)" : "").append(chance(0.3) ? " DEFAULT 0" : "").append(";\n");
        if (chance(0.5)) {
            pair = true;
            sql.append("CREATE TYPE pair AS (x integer, y ").append(pick(List.of("text", "integer"))).append(
                    chance(0.5) ? ", z date" : "").append(");\n");
        }
        if (chance(0.3)) {
            sql.append("COMMENT ON TYPE mood IS 'how it feels ").append(number(2)).append("';\n");
        }
    }

    private void functions() {
        String type = pick(List.of("integer", "bigint"));
        sql.append("CREATE FUNCTION calc(x integer) RETURNS ").append(type).append(" LANGUAGE sql ")
                .append(pick(List.of("IMMUTABLE", "STABLE", "VOLATILE"))).append(" AS 'SELECT x + ").append(number(3))
                .append("';\n");
        if (chance(0.6)) {
            triggerFunction = true;
            sql.append("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN ")
                    .append(pick(List.of("NEW", "NULL"))).append("; END $$;\n");
        }
        if (chance(0.4)) {
            sql.append("CREATE PROCEDURE tidy(n integer) LANGUAGE sql AS 'SELECT ").append(number(2)).append("';\n");
        }
        if (chance(0.3)) {
            sql.append("REVOKE EXECUTE ON FUNCTION calc(integer) FROM PUBLIC;\n");
            sql.append("GRANT EXECUTE ON FUNCTION calc(integer) TO gs_reader;\n");
        }
    }

    private void table(String name) {
        List<String> columns = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        definitions.add("id integer PRIMARY KEY");
        columns.add("id");
        column(columns, definitions, "c_int", List.of("integer", "bigint", "smallint"), pick(List.of("0", "calc(1)")));
        if (columns.contains("c_int") && chance(0.2)) {
            definitions.add("CONSTRAINT " + name + "_c_int_limit CHECK (c_int < calc(" + (100 + number(2)) + "))");
        }
        column(columns, definitions, "c_text", List.of("text", "varchar(30)", "varchar(60)"), "'x'");
        column(columns, definitions, "c_num", List.of("numeric(10,2)", "amount"), "1");
        column(columns, definitions, "c_bool", List.of("boolean"), "true");
        column(columns, definitions, "c_ts", List.of("timestamptz", "timestamp"), "now()");
        column(columns, definitions, "c_mood", List.of("mood", "text"), "'" + firstLabel + "'");
        column(columns, definitions, "c_arr", List.of("integer[]", "text[]"), "'{}'");
        if (pair && chance(0.3)) {
            columns.add("c_pair");
            definitions.add("c_pair pair");
        }
        if (chance(0.3)) {
            columns.add("c_gen");
            definitions.add("c_gen integer GENERATED ALWAYS AS (id * " + (1 + number(3)) + ") STORED");
        }
        if (chance(0.3)) {
            columns.add("c_ident");
            definitions.add("c_ident bigint GENERATED " + pick(List.of("ALWAYS", "BY DEFAULT")) + " AS IDENTITY");
        } else if (chance(0.3)) {
            columns.add("c_serial");
            definitions.add("c_serial " + pick(List.of("serial", "bigserial", "integer")));
        }
        for (String other : tables) {
            if (chance(0.4)) {
                columns.add("ref_" + other);
                definitions.add("ref_" + other + " integer REFERENCES " + other + (chance(0.5)
                        ? " ON DELETE " + pick(List.of("CASCADE", "SET NULL", "RESTRICT")) : ""));
            }
        }
        if (chance(0.4)) {
            definitions.add("CONSTRAINT " + name + "_id_check CHECK (id < " + (1000 + number(2)) + ")");
        }
        if (columns.contains("c_text") && chance(0.3)) {
            definitions.add("UNIQUE (c_text)");
        }
        sql.append("CREATE TABLE ").append(name).append(" (\n    ").append(String.join(",\n    ", definitions))
                .append("\n);\n");
        if (columns.contains("c_int") && chance(0.5)) {
            sql.append("CREATE INDEX ").append(name).append("_c_int ON ").append(name).append(" (c_int")
                    .append(chance(0.3) ? " DESC" : "").append(")").append(columns.contains("c_bool") && chance(0.3)
                            ? " WHERE c_bool" : "").append(";\n");
        }
        if (columns.contains("c_text") && chance(0.4)) {
            sql.append("CREATE INDEX ").append(name).append("_lower ON ").append(name)
                    .append(pick(List.of(" (lower(c_text))", " USING hash (c_text)"))).append(";\n");
        }
        if (chance(0.3)) {
            sql.append("COMMENT ON TABLE ").append(name).append(" IS 'table ").append(number(2)).append("';\n");
        }
        if (columns.contains("c_text") && chance(0.3)) {
            sql.append("COMMENT ON COLUMN ").append(name).append(".c_text IS 'text ").append(number(2)).append("';\n");
        }
        if (chance(0.4)) {
            sql.append("GRANT ").append(pick(List.of("SELECT", "SELECT, INSERT", "ALL"))).append(" ON ").append(name)
                    .append(" TO ").append(pick(List.of("gs_reader", "gs_writer"))).append(";\n");
        }
        if (columns.contains("c_text") && chance(0.3)) {
            sql.append("GRANT UPDATE (c_text) ON ").append(name).append(" TO gs_writer;\n");
        }
        if (chance(0.3)) {
            sql.append("ALTER TABLE ").append(name).append(" ENABLE ROW LEVEL SECURITY;\n");
            sql.append("CREATE POLICY ").append(name).append("_policy ON ").append(name)
                    .append(chance(0.3) ? " TO gs_reader" : "").append(" USING (id > ").append(number(3))
                    .append(");\n");
        }
        if (triggerFunction && chance(0.4)) {
            List<String> events = new ArrayList<>(List.of("INSERT", "UPDATE", "INSERT OR DELETE"));
            if (columns.contains("c_text")) {
                events.add("UPDATE OF c_text");
            }
            sql.append("CREATE TRIGGER ").append(name).append("_touch BEFORE ").append(pick(events)).append(" ON ")
                    .append(name).append(" FOR EACH ROW EXECUTE FUNCTION touch();\n");
        }
        if (chance(0.2)) {
            sql.append("CREATE FUNCTION count_").append(name).append("() RETURNS bigint LANGUAGE sql STABLE")
                    .append(" BEGIN ATOMIC SELECT count(*) FROM ").append(name).append(" WHERE id > ")
                    .append(number(2)).append("; END;\n");
        }
        tables.add(name);
        columnsOf.add(columns);
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
        if (chance(0.3)) {
            definition.append(" NOT NULL");
        }
        columns.add(name);
        definitions.add(definition.toString());
    }

    private void views() {
        String previous = null;
        for (int i = 1; i <= 2; i++) {
            if (tables.isEmpty() || !chance(0.6)) {
                continue;
            }
            String view = "v" + i;
            if (previous != null && chance(0.3)) {
                sql.append("CREATE VIEW ").append(view).append(" AS SELECT * FROM ").append(previous)
                        .append(" WHERE id > 1;\n");
            } else {
                int table = number(tables.size());
                List<String> selected = new ArrayList<>();
                for (String column : columnsOf.get(table)) {
                    if (column.equals("id") || chance(0.5)) {
                        selected.add(column);
                    }
                }
                sql.append("CREATE VIEW ").append(view).append(" AS SELECT ").append(String.join(", ", selected))
                        .append(chance(0.3) ? ", calc(id) AS calculated" : "").append(" FROM ")
                        .append(tables.get(table)).append(" WHERE id > ").append(number(5)).append(";\n");
            }
            if (chance(0.3)) {
                sql.append("GRANT SELECT (id) ON ").append(view).append(" TO gs_reader;\n");
            }
            previous = view;
        }
        if (!tables.isEmpty() && chance(0.3)) {
            sql.append("CREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n FROM ").append(tables.get(0))
                    .append(";\n");
        }
    }
}
