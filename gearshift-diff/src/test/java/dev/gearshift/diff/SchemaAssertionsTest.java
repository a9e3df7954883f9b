package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The Lily seed's schema-is-current test, for JUnit users. */
@ExtendWith(PostgresExtension.class)
class SchemaAssertionsTest {

    @Test
    void aSchemaMigratedByTheMigrationsIsCurrentUntilSomeoneEditsIt(TestDatabase db, @TempDir Path temp) throws Exception {
        Path migrations = temp.resolve("migrations");
        Files.createDirectories(migrations.resolve("core"));
        Files.writeString(migrations.resolve("core/1_orders.up.sql"), """
                CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL, note text);
                CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
                """);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.url());
        String schema = db.newSchema();
        Gearshift.configure().dataSource(dataSource).schema(schema).createSchema(true).migrations(migrations).build()
                .up(Target.latest());
        try {
            SchemaAssertions.assertCurrent(dataSource, schema, migrations);

            db.execute("ALTER TABLE " + schema + ".orders ALTER COLUMN total DROP NOT NULL");
            db.execute("CREATE INDEX orders_note ON " + schema + ".orders (note)");
            assertThatThrownBy(() -> SchemaAssertions.assertCurrent(dataSource, schema, migrations))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("schema " + schema + " is not what the migrations produce: 2 objects differ")
                    .hasMessageContaining("table orders: different\n  the migrations make:\n    CREATE TABLE orders (")
                    .hasMessageContaining("total numeric NOT NULL")
                    .hasMessageContaining("index orders_note: not in the migrations")
                    .hasMessageContaining("To make it current:\n    -- DESTRUCTIVE: drops index orders_note\n"
                            + "    DROP INDEX orders_note;\n    ALTER TABLE orders ALTER COLUMN total SET NOT NULL;");
            assertThat(db.column("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'gearshift_check_%'")).isEmpty();
        } finally {
            new Schemas(db).drop(List.of(schema));
        }
    }
}
