package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inheritance children and partitions: each pair of schemas goes through the full {@link RoundTrip} (both
 * directions, and nothing left to do after either), and the DDL says what PostgreSQL needs, no more: a child's
 * columns from its parents are not declared again, a partitioned table's column changes are written once, on it.
 */
@ExtendWith(PostgresExtension.class)
class InheritanceAndPartitionsTest {

    private RoundTrip roundTrip;

    @BeforeEach
    void setUp(TestDatabase db) throws Exception {
        roundTrip = RoundTrip.inSchemasOf(db);
    }

    // ------------------------------------------------------------------------------------------ inheritance

    @Test
    void aChildDeclaresOnlyItsOwnColumnsAfterItsParent() throws Exception {
        SchemaChanges up = roundTrip.check("", "CREATE TABLE p (id int); CREATE TABLE c (x int) INHERITS (p)");
        assertThat(up.sql()).containsSubsequence("CREATE TABLE p (\n    id integer\n)",
                "CREATE TABLE c (\n    x integer\n) INHERITS (p)");
    }

    @Test
    void aColumnBothDeclaredAndInheritedIsDeclared() throws Exception {
        SchemaChanges up = roundTrip.check("", """
                CREATE TABLE p (id int, note text DEFAULT 'p');
                CREATE TABLE c (note text NOT NULL, x int) INHERITS (p);
                CREATE TABLE d (note text DEFAULT 'd') INHERITS (p);
                ALTER TABLE c ALTER COLUMN id SET DEFAULT 7""");
        // the declared column takes the parent's default, as PostgreSQL merges them
        assertThat(up.sql()).contains("CREATE TABLE c (\n    note text DEFAULT 'p'::text NOT NULL,\n    x integer\n)"
                        + " INHERITS (p)",
                "ALTER TABLE c ALTER COLUMN id SET DEFAULT 7");
    }

    @Test
    void droppingAParentsColumnTakesOnePass() throws Exception {
        // the child keeps its column (and its data): the parent drops its own alone
        SchemaChanges up = roundTrip.check("CREATE TABLE p (id int, x int); CREATE TABLE c (y int) INHERITS (p)",
                "CREATE TABLE p (id int); CREATE TABLE c (y int, x int) INHERITS (p)");
        assertThat(up.sql()).contains("ALTER TABLE ONLY p DROP COLUMN x").doesNotContain("ALTER TABLE c");
        // the child's column goes with the parent's
        up = roundTrip.check("CREATE TABLE p (id int, x int); CREATE TABLE c (y int) INHERITS (p)",
                "CREATE TABLE p (id int); CREATE TABLE c (y int) INHERITS (p)");
        assertThat(up.sql()).contains("ALTER TABLE p DROP COLUMN x").doesNotContain("ALTER TABLE c");
        // a column the child declares survives the parent's drop by itself
        up = roundTrip.check("CREATE TABLE p (id int, x int); CREATE TABLE c (x int) INHERITS (p)",
                "CREATE TABLE p (id int); CREATE TABLE c (x int) INHERITS (p)");
        assertThat(up.sql()).contains("ALTER TABLE p DROP COLUMN x").doesNotContain("ALTER TABLE c");
        // both go, the child's after the parent's
        up = roundTrip.check("CREATE TABLE p (id int, x int); CREATE TABLE c (x int) INHERITS (p)",
                "CREATE TABLE p (id int); CREATE TABLE c () INHERITS (p)");
        assertThat(up.sql()).containsSubsequence("ALTER TABLE p DROP COLUMN x", "ALTER TABLE c DROP COLUMN x");
    }

    @Test
    void columnChangesOfAParentRecurseIntoItsChildren() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE g (a int, b int DEFAULT 1, c text);
                CREATE TABLE p (d int) INHERITS (g);
                CREATE TABLE ch (e int) INHERITS (p);
                ALTER TABLE ch ALTER COLUMN b SET DEFAULT 5""", """
                CREATE TABLE g (a bigint NOT NULL, b int DEFAULT 2, added text DEFAULT 'x');
                CREATE TABLE p (d int) INHERITS (g);
                CREATE TABLE ch (e int) INHERITS (p);
                ALTER TABLE ch ALTER COLUMN b SET DEFAULT 5""");
        assertThat(up.sql()).contains("ALTER TABLE g ADD COLUMN added", "ALTER TABLE g DROP COLUMN c",
                        "ALTER TABLE ch ALTER COLUMN b SET DEFAULT 5")
                .doesNotContain("ALTER TABLE p ", "ALTER TABLE ch ADD", "ALTER TABLE ch DROP", "ALTER TABLE ch ALTER COLUMN a");
    }

    @Test
    void multipleParentsJoinedAndLeft() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE p1 (a int, CONSTRAINT a_positive CHECK (a > 0));
                CREATE TABLE p2 (b int NOT NULL);
                CREATE TABLE p3 (c int CHECK (c < 10), d int DEFAULT 4);
                CREATE TABLE ch (x int) INHERITS (p1, p2)""", """
                CREATE TABLE p1 (a int, CONSTRAINT a_positive CHECK (a > 0));
                CREATE TABLE p2 (b int NOT NULL);
                CREATE TABLE p3 (c int CHECK (c < 10), d int DEFAULT 4);
                CREATE TABLE ch (x int) INHERITS (p1, p3)""");
        assertThat(up.sql()).containsSubsequence("ALTER TABLE ch NO INHERIT p2", "ALTER TABLE ch INHERIT p3");
    }

    @Test
    void aParentDroppedUnderAChildThatStays() throws Exception {
        roundTrip.check("CREATE TABLE p (id int CHECK (id > 0)); CREATE TABLE c (x int) INHERITS (p)",
                "CREATE TABLE c (id int, x int)");
        roundTrip.check("CREATE TABLE p (id int CHECK (id > 0)); CREATE TABLE c (x int) INHERITS (p)",
                "CREATE TABLE c (id int CONSTRAINT p_id_check CHECK (id > 0), x int)");
    }

    @Test
    void inheritedChecksAndNotNullAreNotRepeated() throws Exception {
        SchemaChanges up = roundTrip.check("", """
                CREATE TABLE p (id int NOT NULL CHECK (id > 0), CONSTRAINT p_pkey PRIMARY KEY (id));
                CREATE TABLE c (x int CHECK (x < 5)) INHERITS (p)""");
        assertThat(up.sql()).contains("ALTER TABLE c ADD CONSTRAINT c_x_check CHECK (x < 5)")
                .doesNotContain("ALTER TABLE c ADD CONSTRAINT p_id_check", "ALTER TABLE c ALTER COLUMN id");
    }

    // ------------------------------------------------------------------------------------------ partitions

    @Test
    void aPartitionedTableAndItsPartitions() throws Exception {
        SchemaChanges up = roundTrip.check("", """
                CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')""");
        assertThat(up.sql()).containsSubsequence("CREATE TABLE m (\n    id integer,\n    at date\n) PARTITION BY RANGE (at)",
                "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    }

    @Test
    void columnChangesOfAPartitionedTableAreWrittenOnceOnIt() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE m (id int, at date, gone text, n int) PARTITION BY RANGE (at);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')""", """
                CREATE TABLE m (id bigint NOT NULL, at date, n int DEFAULT 3, extra text) PARTITION BY RANGE (at);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                ALTER TABLE m2 ALTER COLUMN n SET DEFAULT 4""");
        assertThat(up.sql()).contains("ALTER TABLE m ADD COLUMN extra text", "ALTER TABLE m DROP COLUMN gone",
                "ALTER TABLE m2 ALTER COLUMN n SET DEFAULT 4").doesNotContain("ALTER TABLE m1");
    }

    @Test
    void listHashDefaultAndSubPartitions() throws Exception {
        roundTrip.check("CREATE TABLE other (id int)", """
                CREATE TABLE l (region text, n int) PARTITION BY LIST (region);
                CREATE TABLE l_eu PARTITION OF l FOR VALUES IN ('de', 'fr');
                CREATE TABLE l_rest PARTITION OF l DEFAULT;
                CREATE TABLE h (id int) PARTITION BY HASH (id);
                CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0);
                CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 1);
                CREATE TABLE r (at date, kind int) PARTITION BY RANGE (at);
                CREATE TABLE r24 PARTITION OF r FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind);
                CREATE TABLE r24_1 PARTITION OF r24 FOR VALUES IN (1);
                CREATE TABLE r24_other PARTITION OF r24 DEFAULT;
                CREATE TABLE other (id int)""");
    }

    @Test
    void indexesKeysAndTriggersOfAPartitionedTableAreItsOwnOnly() throws Exception {
        String base = """
                CREATE TABLE ref (id int PRIMARY KEY);
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE TABLE m (id int, at date, ref_id int, n int) PARTITION BY RANGE (at);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                """;
        SchemaChanges up = roundTrip.check(base, base + """
                ALTER TABLE m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at);
                ALTER TABLE m ADD CONSTRAINT m_ref FOREIGN KEY (ref_id) REFERENCES ref;
                ALTER TABLE m ADD CONSTRAINT m_n CHECK (n > 0);
                CREATE INDEX m_n_idx ON m (n);
                CREATE INDEX m1_own ON m1 (ref_id);
                CREATE TRIGGER m_touch BEFORE INSERT ON m FOR EACH ROW EXECUTE FUNCTION touch();
                CREATE TABLE pointing (id int, at date, FOREIGN KEY (id, at) REFERENCES m)""");
        assertThat(up.sql()).contains("CREATE INDEX m_n_idx ON m USING btree (n)", "CREATE INDEX m1_own ON m1")
                .doesNotContain("ON ONLY", "ALTER TABLE m1 ADD", "ALTER TABLE m2", "ON m2");
        assertThat(up.sql().lines().filter(l -> l.startsWith("CREATE TRIGGER"))).hasSize(1);
    }

    @Test
    void aChangedBoundIsDetachedAndAttached() throws Exception {
        String m = "CREATE TABLE m (id int PRIMARY KEY, at int) PARTITION BY LIST (id); CREATE INDEX ON m (at);";
        SchemaChanges up = roundTrip.check(m + "CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1, 2)",
                m + "CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1, 2, 3)");
        assertThat(up.sql()).containsSubsequence("ALTER TABLE m DETACH PARTITION m1",
                "ALTER TABLE m ATTACH PARTITION m1 FOR VALUES IN (1, 2, 3)");
    }

    @Test
    void aPartitionBecomesAPlainTableAndBack() throws Exception {
        String m = "CREATE TABLE m (id int PRIMARY KEY, at int CHECK (at > 0)) PARTITION BY LIST (id);"
                + " CREATE INDEX m_at ON m (at);";
        roundTrip.check(m + "CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1)", m + "CREATE TABLE m1 (id int, at int)");
        // what it had from m stays, as its own, when the plain table has it too
        roundTrip.check(m + "CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1)", m + """
                CREATE TABLE m1 (id int NOT NULL, at int, CONSTRAINT m_at_check CHECK (at > 0),
                    CONSTRAINT m1_pkey PRIMARY KEY (id));
                CREATE INDEX m1_at_idx ON m1 (at)""");
        // a plain table that differs from the parent becomes a partition
        roundTrip.check(m + "CREATE TABLE m1 (at int, id int, other text)", m
                + "CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1)");
    }

    @Test
    void columnChangesRecurseThroughSubPartitions() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE r (at date, kind int, n int DEFAULT 1, gone text) PARTITION BY RANGE (at);
                CREATE TABLE r24 PARTITION OF r FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind);
                CREATE TABLE r24_1 PARTITION OF r24 FOR VALUES IN (1);
                CREATE TABLE r24_other PARTITION OF r24 DEFAULT""", """
                CREATE TABLE r (at date, kind int, n bigint DEFAULT 2 NOT NULL, added text) PARTITION BY RANGE (at);
                CREATE TABLE r24 PARTITION OF r FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind);
                CREATE TABLE r24_1 PARTITION OF r24 FOR VALUES IN (1);
                CREATE TABLE r24_other PARTITION OF r24 DEFAULT""");
        assertThat(up.sql()).doesNotContain("ALTER TABLE r24");
    }

    @Test
    void aRenamedParentKeepsItsChildren() throws Exception {
        SchemaChanges up = roundTrip.check("CREATE TABLE p (id int); CREATE TABLE c (x int) INHERITS (p)",
                "CREATE TABLE q (id int); CREATE TABLE c (x int) INHERITS (q)", List.of(Rename.parse("p=q")));
        assertThat(up.sql()).isEqualTo("ALTER TABLE p RENAME TO q;\n");
    }

    @Test
    void aChildsOwnSettingsOnInheritedColumnsSurviveItsParentsChanges() throws Exception {
        roundTrip.check("""
                CREATE TABLE p (id int, n int, note text);
                CREATE TABLE c (x int) INHERITS (p);
                ALTER TABLE c ALTER COLUMN n SET NOT NULL;
                ALTER TABLE c ALTER COLUMN note SET DEFAULT 'child';
                CREATE TABLE m (id int, at date, ref int) PARTITION BY RANGE (at);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE target (id int PRIMARY KEY)""", """
                CREATE TABLE target (id int PRIMARY KEY);
                CREATE TABLE p (id int, n int DEFAULT 0, note text DEFAULT 'parent', added int NOT NULL DEFAULT 1);
                CREATE TABLE c (x int) INHERITS (p);
                ALTER TABLE c ALTER COLUMN n SET NOT NULL;
                ALTER TABLE c ALTER COLUMN note SET DEFAULT 'child';
                CREATE TABLE m (id int, at date, ref int REFERENCES target, added int NOT NULL DEFAULT 1)
                    PARTITION BY RANGE (at);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')""");
    }

    @Test
    void aChangedPartitionKeyMakesTheTableAnew() throws Exception {
        SchemaChanges up = roundTrip.check("""
                CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE VIEW v AS SELECT id FROM m""", """
                CREATE TABLE m (id int, at date) PARTITION BY LIST (id);
                CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);
                CREATE VIEW v AS SELECT id FROM m""");
        assertThat(up.destructive()).isTrue();
        roundTrip.check("CREATE TABLE m (id int, at date)", """
                CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
                CREATE TABLE m_all PARTITION OF m DEFAULT""");
    }
}
