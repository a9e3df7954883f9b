package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code gearshift import --from golang-migrate}: a golang-migrate project taken over from the command line. */
@ExtendWith(PostgresExtension.class)
class ImportCommandTest {

    @Test
    void importsGolangMigratesVersionThenUpRunsOnlyThePendingOne(TestDatabase db, @TempDir Path temp) throws Exception {
        Path migrations = temp.resolve("migrations");
        Cli.write(temp.resolve("gearshift.yaml"), "module: app\n");
        Cli.write(migrations.resolve("0001_init.up.sql"), "BEGIN;\nCREATE TABLE plans (id int);\nCOMMIT;\n");
        Cli.write(migrations.resolve("0110_2.8.0_schema.up.sql"), "CREATE TABLE orders (id int);\n");
        Cli.write(migrations.resolve("0120_invoices.up.sql"), "CREATE TABLE invoices (id int);\n");
        String schema = db.newSchema();
        db.execute("CREATE SCHEMA \"" + schema + "\"; SET search_path TO \"" + schema + "\";"
                + "CREATE TABLE plans (id int); CREATE TABLE orders (id int);"
                + "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + "INSERT INTO schema_migrations VALUES (110, true)");
        List<String> target = List.of("-C", temp.toString(), "--url", db.url(), "--schema", schema);

        Run dirty = run(Cli.args(target, "import", "--from", "golang-migrate"));
        assertThat(dirty.exit()).as(dirty.toString()).isEqualTo(2);
        assertThat(dirty.err()).contains("version 110 is dirty");

        db.execute("UPDATE \"" + schema + "\".schema_migrations SET dirty = false");
        Run dry = run(Cli.args(target, "import", "--from", "golang-migrate", "--dry-run"));
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("Would record 2 migrations as applied, from golang-migrate's"
                + " schema_migrations (dry run: nothing recorded)", "app/110_2.8.0_schema");
        Run status = run(Cli.args(target, "status", "--json"));
        assertThat(status.json().get("modules").get(0).get("pending").size()).isEqualTo(3);

        Run imported = run(Cli.args(target, "import", "--from", "golang-migrate", "--json"));
        assertThat(imported.exit()).as(imported.toString()).isZero();
        assertThat(imported.json().get("recorded").size()).isEqualTo(2);
        Run up = run(Cli.args(target, "up"));
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).contains("app/120_invoices").doesNotContain("app/1_init");
        assertThat(db.column("SELECT count(*) FROM \"" + schema + "\".invoices")).containsExactly("0");
    }

    /** A Flyway project with only its flyway.conf: the directory given by -C is read through it. */
    @Test
    void aFlywayProjectIsReadThroughItsFlywayConfAlone(TestDatabase db, @TempDir Path temp) throws Exception {
        String schema = db.newSchema();
        Path conf = temp.resolve("flyway.conf");
        Cli.write(conf, "flyway.password=s3cret-pw\nflyway.locations=filesystem:sql\nflyway.schemas=" + schema
                + "\nflyway.sqlMigrationPrefix=M\nflyway.placeholders.owner=alice\n");
        Cli.write(temp.resolve("sql/M1__init.sql"), "CREATE TABLE plans (id int);\n"
                + "COMMENT ON TABLE plans IS '${owner}';\n");
        db.execute("CREATE SCHEMA \"" + schema + "\"");
        List<String> target = List.of("-C", temp.toString(), "--url", db.url());

        Run up = run(Cli.args(target, "up"));
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(db.column("SELECT obj_description('\"" + schema + "\".plans'::regclass)"))
                .containsExactly("alice");

        Cli.write(conf, "flyway.password=s3cret-pw\nflyway.locations=filesystem:sql\nflyway.outOfOrder=true\n");
        Run refused = run(Cli.args(target, "status"));
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).contains("flyway.conf", "flyway.outOfOrder=true");
        assertThat(refused.out() + refused.err()).doesNotContain("s3cret-pw");
    }
}
