package dev.gearshift.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.GearshiftException;
import dev.gearshift.lint.MeasureReport.Lock;
import dev.gearshift.lint.MeasureReport.Measured;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** lint --measure on real PostgreSQL: the shadow database is made on the test server, the target only read. */
@ExtendWith(PostgresExtension.class)
class LockMeasureTest {

    private static String target(TestDatabase db) throws Exception {
        String schema = db.newSchema();
        db.execute("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".customers (id bigint PRIMARY KEY);"
                + " CREATE TABLE " + schema + ".orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL"
                + " REFERENCES " + schema + ".customers (id), total integer NOT NULL CHECK (total >= 0), note text)");
        return schema;
    }

    @Test
    void aRewriteOfAMillionRowTableIsCaughtWithItsAccessExclusiveLock(TestDatabase db) throws Exception {
        String schema = target(db);
        LintScript script = new LintScript("V2__widen.sql", "ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n"
                + "ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false;\n");
        LintScript concurrently = new LintScript("V3__note.sql", "-- gearshift:no-transaction\n"
                + "CREATE INDEX CONCURRENTLY orders_note ON orders (note)");
        MeasureReport report = LockMeasure.measure(db.url(), null, null, schema, List.of(script, concurrently),
                1_000_000L, db.url());

        assertThat(report.filled()).containsEntry("orders", 1_000_000L).containsEntry("customers", 1_000_000L);
        assertThat(report.notFilled()).isEmpty();
        Measured widen = report.statements().get(0);
        assertThat(widen.line()).isEqualTo(1);
        assertThat(widen.rewritten()).contains("orders");
        assertThat(widen.strongest()).isEqualTo(new Lock("orders", "AccessExclusiveLock"));
        assertThat(widen.plainWords()).startsWith("ACCESS EXCLUSIVE on orders for ").contains(": blocks reads and"
                + " writes (a second session waited for: reads of orders, writes to orders)");
        assertThat(widen.heldMillis()).isGreaterThanOrEqualTo(widen.millis());
        assertThat(widen.blocked()).containsExactly("reads of orders", "writes to orders");
        // a constant default has not rewritten the table since PostgreSQL 11
        Measured flag = report.statements().get(1);
        assertThat(flag.line()).isEqualTo(2);
        assertThat(flag.rewritten()).isEmpty();
        // outside a transaction, only the second session sees the locks: CONCURRENTLY's does not block writes
        Measured note = report.statements().get(2);
        assertThat(note.file()).isEqualTo("V3__note.sql");
        assertThat(note.strongest()).isEqualTo(new Lock("orders", "ShareUpdateExclusiveLock"));
        assertThat(note.plainWords()).endsWith("reads and writes go on");
        // measure never writes to the target
        assertThat(db.column("SELECT count(*)::text FROM " + schema + ".orders")).containsExactly("0");
        assertThat(db.column("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"
                + schema + ".orders'::regclass AND attname = 'total'")).containsExactly("integer");
    }

    @Test
    void anIndexWithoutConcurrentlyIsCaughtWithItsShareLockOnATableSizedFromTheTargetStatistics(TestDatabase db)
            throws Exception {
        String schema = target(db);
        db.execute("INSERT INTO " + schema + ".customers SELECT g FROM generate_series(1, 300) g;"
                + " INSERT INTO " + schema + ".orders SELECT g, g, g, 'n' FROM generate_series(1, 300) g;"
                + " ANALYZE " + schema + ".customers; ANALYZE " + schema + ".orders");
        LintScript script = new LintScript("V3__index.sql", "CREATE INDEX orders_note ON orders (note)");
        MeasureReport report = LockMeasure.measure(db.url(), null, null, schema, List.of(script), null, db.url());

        assertThat(report.filled()).containsEntry("orders", 300L);
        Measured index = report.statements().get(0);
        assertThat(index.locks()).contains(new Lock("orders", "ShareLock"));
        assertThat(index.strongest().mode()).isEqualTo("ShareLock");
        assertThat(index.rewritten()).isEmpty();
        assertThat(index.plainWords()).contains("SHARE on orders", "blocks writes");
        assertThat(index.blocked()).containsExactly("writes to orders");
        assertThat(db.column("SELECT indexname::text FROM pg_indexes WHERE schemaname = '" + schema
                + "' AND indexname = 'orders_note'")).isEmpty();
    }

    @Test
    void aTableWhoseConstraintsTheGeneratorCannotMeetIsNamedAndLeftEmpty(TestDatabase db) throws Exception {
        String schema = target(db);
        db.execute("CREATE TABLE " + schema + ".refunds (id bigint PRIMARY KEY, amount integer NOT NULL"
                + " CHECK (amount < 0)); CREATE TABLE " + schema + ".shapes (id bigint PRIMARY KEY, p point NOT NULL)");
        LintScript script = new LintScript("V5__index.sql", "CREATE INDEX refunds_amount ON refunds (amount)");
        MeasureReport report = LockMeasure.measure(db.url(), null, null, schema, List.of(script), 50L, db.url());
        assertThat(report.filled()).containsEntry("orders", 50L).doesNotContainKeys("refunds", "shapes");
        assertThat(report.notFilled().get("refunds")).contains("check constraint");
        assertThat(report.notFilled().get("shapes")).contains("NOT NULL column p (point)");
        assertThat(report.statements().get(0).locks()).contains(new Lock("refunds", "ShareLock"));
    }

    @Test
    void aStatementThatFailsOnTheShadowIsNamedAndTheShadowIsDropped(TestDatabase db) throws Exception {
        String schema = target(db);
        LintScript script = new LintScript("V4__bad.sql", "SELECT 1;\nALTER TABLE no_such_table ADD COLUMN x int");
        assertThatThrownBy(() -> LockMeasure.measure(db.url(), null, null, schema, List.of(script), 10L, db.url()))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("V4__bad.sql:2:1")
                .hasMessageContaining("no_such_table");
        assertThat(db.column("SELECT datname::text FROM pg_database WHERE datname LIKE 'gearshift_measure_%'"))
                .isEmpty();
        // a shadow server that cannot be reached: a clear error, and the target untouched
        assertThatThrownBy(() -> LockMeasure.measure(db.url(), null, null, schema, List.of(script), 10L,
                "jdbc:postgresql://127.0.0.1:1/nowhere?user=postgres&connectTimeout=2"))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("cannot create the shadow database");
    }
}
