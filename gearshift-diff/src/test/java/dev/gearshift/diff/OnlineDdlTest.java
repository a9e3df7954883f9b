package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DDL that is safe online: what changes a table that exists on both sides (and holds rows) goes to a part that
 * runs outside a transaction, in a form that holds no strong lock while it scans or builds. Each pair round-trips
 * on PostgreSQL with its parts applied as they declare, and each part leaves the schema it says it leaves.
 */
@ExtendWith(PostgresExtension.class)
class OnlineDdlTest {

    private RoundTrip roundTrip;

    @BeforeEach
    void setUp(TestDatabase db) {
        roundTrip = new RoundTrip(new Schemas(db), false, SchemaDiff.Options.ONLINE);
    }

    @Test
    void foreignKeysAndChecksOnAnExistingTableAreAddedNotValidThenValidated() throws Exception {
        String rows = "INSERT INTO p VALUES (1); INSERT INTO t VALUES (1, 1, 5);";
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE t (id int, pid int, x int);
                """ + rows, """
                CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE t (id int, pid int REFERENCES p, x int CONSTRAINT t_x_check CHECK (x > 0));
                CREATE TABLE n (pid int REFERENCES p, y int CHECK (y <> 0));
                COMMENT ON CONSTRAINT t_x_check ON t IS 'positive';
                """ + rows);
        assertThat(up.parts()).extracting(SchemaChanges.Part::transactional).containsExactly(true, false);
        // a new table needs none of it: nobody uses it yet
        assertThat(up.parts().get(0).sql()).contains("CREATE TABLE n (",
                "ALTER TABLE n ADD CONSTRAINT n_pid_fkey FOREIGN KEY (pid) REFERENCES p(id);",
                "ALTER TABLE n ADD CONSTRAINT n_y_check CHECK (y <> 0);").doesNotContain("NOT VALID")
                .doesNotContain("ALTER TABLE t");
        assertThat(sqls(up.parts().get(1))).containsExactly(
                "ALTER TABLE t ADD CONSTRAINT t_pid_fkey FOREIGN KEY (pid) REFERENCES p(id) NOT VALID",
                "ALTER TABLE t VALIDATE CONSTRAINT t_pid_fkey",
                "ALTER TABLE t ADD CONSTRAINT t_x_check CHECK (x > 0) NOT VALID",
                "ALTER TABLE t VALIDATE CONSTRAINT t_x_check",
                "COMMENT ON CONSTRAINT t_x_check ON t IS 'positive'");
        assertThat(up.sql()).containsSubsequence("-- ==== part 1 of 2: in one transaction ====\n",
                "CREATE TABLE n", "\n-- ==== part 2 of 2: outside a transaction", "VALIDATE CONSTRAINT t_x_check;");

        // a constraint that is NOT VALID on purpose is added as it is: there is nothing to validate
        SchemaChanges notValid = roundTrip.check("CREATE TABLE t (x int)",
                "CREATE TABLE t (x int); ALTER TABLE t ADD CONSTRAINT t_x CHECK (x > 0) NOT VALID");
        assertThat(notValid.parts()).hasSize(1);
        assertThat(notValid.sql()).isEqualTo("ALTER TABLE t ADD CONSTRAINT t_x CHECK (x > 0) NOT VALID;\n");
    }

    @Test
    void keysOnAnExistingTableAreMadeFromAnIndexBuiltConcurrently() throws Exception {
        String rows = "INSERT INTO t VALUES (1, 'a', 'x', 10), (2, 'b', NULL, 20);";
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE t (id int, code text, note text, k int NOT NULL);
                """ + rows, """
                CREATE TABLE t (id int, code text UNIQUE, note text, k int NOT NULL, added text,
                    PRIMARY KEY (id, k),
                    CONSTRAINT t_note_key UNIQUE NULLS NOT DISTINCT (note) INCLUDE (k) DEFERRABLE INITIALLY DEFERRED);
                CREATE TABLE r (code text REFERENCES t (code));
                """ + rows);
        assertThat(up.parts()).extracting(SchemaChanges.Part::transactional).containsExactly(true, false);
        assertThat(sqls(up.parts().get(0))).containsExactly("CREATE TABLE r (\n    code text\n)",
                "ALTER TABLE t ADD COLUMN added text");
        assertThat(sqls(up.parts().get(1))).containsExactly(
                "CREATE UNIQUE INDEX CONCURRENTLY t_code_key ON t (code)",
                "ALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE USING INDEX t_code_key",
                // the new table's foreign key needs the new key: it waits for it
                "ALTER TABLE r ADD CONSTRAINT r_code_fkey FOREIGN KEY (code) REFERENCES t(code)",
                "CREATE UNIQUE INDEX CONCURRENTLY t_note_key ON t (note) INCLUDE (k) NULLS NOT DISTINCT",
                "ALTER TABLE t ADD CONSTRAINT t_note_key UNIQUE USING INDEX t_note_key DEFERRABLE INITIALLY DEFERRED",
                // only id was nullable: k is NOT NULL already
                "ALTER TABLE t ADD CONSTRAINT id_gearshift_not_null CHECK (id IS NOT NULL) NOT VALID",
                "ALTER TABLE t VALIDATE CONSTRAINT id_gearshift_not_null",
                "ALTER TABLE t ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE t DROP CONSTRAINT id_gearshift_not_null",
                "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON t (id, k)",
                "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey");
    }

    @Test
    void indexesOnAnExistingTableAreBuiltAndDroppedConcurrently() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE FUNCTION twice(int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT $1 * 2';
                CREATE TABLE t (a int, b text);
                CREATE INDEX t_old ON t (b);
                CREATE INDEX t_changed ON t (a);
                CREATE INDEX t_twice ON t (twice(a));
                CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
                INSERT INTO t VALUES (1, 'x');
                """, """
                CREATE TABLE t (a int, b text);
                CREATE INDEX t_new ON t (a, b) WHERE a > 0;
                CREATE INDEX t_changed ON t (a DESC);
                CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
                CREATE UNIQUE INDEX mv_a ON mv (a);
                CREATE TABLE u (x int);
                CREATE INDEX u_x ON u (x);
                INSERT INTO t VALUES (1, 'x');
                """);
        assertThat(up.parts()).extracting(SchemaChanges.Part::transactional).containsExactly(true, false);
        // an index on what the first part drops goes before it, in that part
        assertThat(sqls(up.parts().get(0))).containsSubsequence("DROP INDEX t_twice", "DROP FUNCTION twice(integer)")
                .contains("CREATE INDEX u_x ON u USING btree (x)").noneMatch(s -> s.contains("CONCURRENTLY"));
        assertThat(sqls(up.parts().get(1))).containsExactly(
                "DROP INDEX CONCURRENTLY t_changed",
                "DROP INDEX CONCURRENTLY t_old",
                "CREATE UNIQUE INDEX CONCURRENTLY mv_a ON mv USING btree (a)",
                "CREATE INDEX CONCURRENTLY t_changed ON t USING btree (a DESC)",
                "CREATE INDEX CONCURRENTLY t_new ON t USING btree (a, b) WHERE a > 0");
        assertThat(up.parts().get(1).statements()).filteredOn(s -> s.sql().contains("t_old"))
                .allMatch(SchemaChanges.Statement::destructive);
        assertThat(up.parts().get(1).sql()).contains("-- DESTRUCTIVE: drops index t_old\nDROP INDEX CONCURRENTLY t_old;");
    }

    @Test
    void offByDefaultTheSameChangesAreOneTransaction(TestDatabase db) throws Exception {
        SchemaChanges plain = new RoundTrip(new Schemas(db), false).check(
                "CREATE TABLE t (id int, x int)",
                "CREATE TABLE t (id int PRIMARY KEY, x int CHECK (x > 0)); CREATE INDEX t_x ON t (x)");
        assertThat(plain.parts()).hasSize(1);
        assertThat(plain.parts().get(0).transactional()).isTrue();
        assertThat(plain.sql()).doesNotContain("CONCURRENTLY", "NOT VALID", "-- ====")
                .contains("ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id);");
    }

    /**
     * PostgreSQL builds no index CONCURRENTLY on a partitioned table and adds no foreign key of it NOT VALID: the
     * plain forms, with a warning that says so and what to do instead (a check may still be added NOT VALID).
     */
    @Test
    void partitionedTablesGetThePlainFormsAndAWarning() throws Exception {
        String partitioned = """
                CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE m (id int%s, k int%s) PARTITION BY RANGE (id);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (100);
                """;
        SchemaChanges up = roundTrip.check(partitioned.formatted("", ""), partitioned.formatted(" NOT NULL",
                " CHECK (k > 0)") + """
                ALTER TABLE m ADD CONSTRAINT m_pkey PRIMARY KEY (id);
                ALTER TABLE m ADD CONSTRAINT m_k_fkey FOREIGN KEY (k) REFERENCES p (id);
                CREATE INDEX m_k ON m (k);
                """);
        assertThat(up.parts()).extracting(SchemaChanges.Part::transactional).containsExactly(true, false);
        assertThat(sqls(up.parts().get(0))).contains(
                "ALTER TABLE m ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE m ADD CONSTRAINT m_pkey PRIMARY KEY (id)",
                "ALTER TABLE m ADD CONSTRAINT m_k_fkey FOREIGN KEY (k) REFERENCES p(id)",
                "CREATE INDEX m_k ON m USING btree (k)");
        assertThat(sqls(up.parts().get(1))).containsExactly(
                "ALTER TABLE m ADD CONSTRAINT m_k_check CHECK (k > 0) NOT VALID",
                "ALTER TABLE m VALIDATE CONSTRAINT m_k_check");
        assertThat(up.warnings()).anySatisfy(w -> assertThat(w).startsWith("index m_k on partitioned table m is"
                + " written in its plain form")).anySatisfy(w -> assertThat(w).startsWith("primary key m_pkey on"
                + " partitioned table m")).anySatisfy(w -> assertThat(w).startsWith("foreign key m_k_fkey on"
                + " partitioned table m"));
    }

    private static List<String> sqls(SchemaChanges.Part part) {
        return part.statements().stream().map(SchemaChanges.Statement::sql).toList();
    }
}
