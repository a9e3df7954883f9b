package dev.gearshift.diff;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * Not a test: a benchmark to run by hand (timed unit tests are not how Gearshift shows speed). Builds a schema of
 * 2,000 tables (primary key, foreign key, default, index each), 200 views and 200 functions, then times reading it
 * from the catalogs and diffing it, next to {@code pg_dump --schema-only} of the same schema as the floor.
 *
 * <pre>
 * ./mvnw -q -o -pl gearshift-diff test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp gearshift-diff/target/classes:gearshift-diff/target/test-classes:$(cat gearshift-diff/cp.txt) \
 *     dev.gearshift.diff.IntrospectionBenchmark 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' postgres://postgres@127.0.0.1/test
 * </pre>
 */
public final class IntrospectionBenchmark {

    private static final String SCHEMA = "gearshift_bench_diff";
    private static final int TABLES = 2000;

    private IntrospectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String jdbcUrl = args[0];
        String libpqUrl = args.length > 1 ? args[1] : null;
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute("SET search_path TO " + SCHEMA);
            StringBuilder sql = new StringBuilder();
            for (int i = 1; i <= TABLES; i++) {
                sql.append("CREATE TABLE t").append(i).append(" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                        + " name text NOT NULL, amount numeric(10,2) DEFAULT 0 CHECK (amount >= 0), created_at"
                        + " timestamptz NOT NULL DEFAULT now()").append(i > 1 ? ", parent bigint REFERENCES t"
                        + (i - 1) : "").append(");\nCREATE INDEX t").append(i).append("_name ON t").append(i)
                        .append(" (lower(name));\n");
                if (i % 10 == 0) {
                    sql.append("CREATE FUNCTION f").append(i).append("(x numeric) RETURNS numeric LANGUAGE sql"
                            + " IMMUTABLE AS 'SELECT x * ").append(i).append("';\n");
                    sql.append("CREATE VIEW v").append(i).append(" AS SELECT id, name, f").append(i)
                            .append("(amount) AS scaled FROM t").append(i).append(" WHERE amount > 0;\n");
                }
            }
            statement.execute(sql.toString());
            System.out.printf("built %d tables, %d views, %d functions in %.1f s%n", TABLES, TABLES / 10, TABLES / 10,
                    (System.nanoTime() - started) / 1e9);
            SchemaModel model = null;
            for (int run = 1; run <= 3; run++) {
                started = System.nanoTime();
                model = SchemaModel.read(connection, SCHEMA);
                System.out.printf("read (run %d): %d objects in %.2f s%n", run, model.objects().size(),
                        (System.nanoTime() - started) / 1e9);
            }
            started = System.nanoTime();
            SchemaChanges create = SchemaDiff.between(SchemaModel.empty(SCHEMA), model);
            System.out.printf("diff from nothing: %d statements in %.2f s%n", create.statements().size(),
                    (System.nanoTime() - started) / 1e9);
            started = System.nanoTime();
            SchemaChanges same = SchemaDiff.between(model, model);
            System.out.printf("diff with itself: %d statements in %.2f s%n", same.statements().size(),
                    (System.nanoTime() - started) / 1e9);
            if (libpqUrl != null) {
                started = System.nanoTime();
                Process dump = new ProcessBuilder(List.of("pg_dump", "--schema-only", "-n", SCHEMA, libpqUrl))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
                int exit = dump.waitFor();
                System.out.printf("pg_dump --schema-only: exit %d in %.2f s%n", exit, (System.nanoTime() - started) / 1e9);
            }
            // in steps: one DROP SCHEMA CASCADE of it all needs more locks than a default server has
            for (int i = TABLES; i >= 1; i -= 100) {
                StringBuilder drop = new StringBuilder("DROP TABLE ");
                for (int j = i; j > Math.max(0, i - 100); j--) {
                    drop.append(j == i ? "" : ", ").append('t').append(j);
                }
                statement.execute(drop + " CASCADE");
            }
            statement.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
        }
    }
}
