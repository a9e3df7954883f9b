package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lily example (examples/lily) through the CLI, as the README shows it: patches of major 0 moved along with
 * {@code up --to} and {@code down --to}, a new patch from {@code new}, the refused patch of the example refused by
 * {@code up} and {@code validate}, and major 1 refused on a database at major 0. Shadows on the test server.
 */
@ExtendWith(PostgresExtension.class)
class MajorPatchCliTest {

    @Test
    void theLilyWorkflowFromNewToUp(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = temp.resolve("lily");
        Cli.copyTree(Path.of("..", "examples", "lily"), project);
        Path v1 = project.resolve("migrations/visor/v1/base.sql");
        String v1Base = Cli.read(v1);
        Files.delete(v1);
        Files.delete(v1.getParent());
        String schema = db.newSchema();
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema);

        Run to = run(Cli.args(target, "up", "--to", "0.2", "--dev-url", db.url()));
        assertThat(to.exit()).as(to.toString()).isZero();
        assertThat(to.out()).contains("visor/0_base", "visor/0.1_reports", "visor/0.2_failing_hosts")
                .doesNotContain("0.3_comments");
        Run status = run(Cli.args(target, "status"));
        assertThat(status.out()).as(status.toString()).contains("0.2");
        Run down = run(Cli.args(target, "down", "--to", "0.1"));
        assertThat(down.exit()).as(down.toString()).isZero();
        assertThat(down.out()).contains("visor/0.2_failing_hosts");

        // new writes the next patch of the latest major; a new table is allowed
        Run created = run(Cli.args(target, "new", "visor", "alerts"));
        assertThat(created.exit()).as(created.toString()).isZero();
        Path patch = project.resolve("migrations/visor/v0/patches/4_alerts.up.sql");
        assertThat(created.out()).contains(patch.toString());
        Cli.write(patch, "CREATE TABLE alerts (id int PRIMARY KEY, host_id bigint REFERENCES hosts);\n");
        Cli.write(project.resolve("migrations/visor/v0/patches/4_alerts.down.sql"), "DROP TABLE alerts;\n");
        Run latest = run(Cli.args(target, "up", "--dev-url", db.url()));
        assertThat(latest.exit()).as(latest.toString()).isZero();
        assertThat(latest.out()).contains("visor/0.2_failing_hosts", "visor/0.3_comments", "visor/0.4_alerts");

        // drift compares with the latest base plus its patches, and prints the CREATE TABLE a differing table needs
        db.execute("ALTER TABLE \"" + schema + "\".reports ADD COLUMN stray int");
        Run drift = run(Cli.args(target, "drift", "--dev-url", db.url()));
        assertThat(drift.exit()).as(drift.toString()).isEqualTo(1);
        assertThat(drift.out()).contains("table reports: different", "CREATE TABLE reports (")
                .doesNotContain("stray int,");
        db.execute("ALTER TABLE \"" + schema + "\".reports DROP COLUMN stray");

        // the example's refused patch: a new column on an existing table, refused by up and validate
        Files.copy(project.resolve("refused/4_host_owner.up.sql"),
                project.resolve("migrations/visor/v0/patches/5_host_owner.up.sql"));
        Run refused = run(Cli.args(target, "up", "--dev-url", db.url()));
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).contains("visor/0.5: table hosts adds column owner");
        assertThat(db.column("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                + "' AND column_name = 'owner'")).containsExactly("0");
        Run validate = run(Cli.args(target, "validate", "--dev-url", db.url()));
        assertThat(validate.exit()).as(validate.toString()).isNotZero();
        assertThat(validate.err()).contains("visor/0.5: table hosts adds column owner");
        Files.delete(project.resolve("migrations/visor/v0/patches/5_host_owner.up.sql"));

        // major 1 is never reached from major 0 by Gearshift
        Cli.write(v1, v1Base);
        Run crossing = run(Cli.args(target, "up", "--dev-url", db.url()));
        assertThat(crossing.exit()).as(crossing.toString()).isNotZero();
        assertThat(crossing.err()).contains("the database is at major 0; major 1 needs a manual data migration"
                + " (database at 0.4, the project's latest major is 1)");

        // an empty database gets the latest major's base
        List<String> fresh = List.of("-C", project.toString(), "--url", db.url(), "--schema", db.newSchema());
        Run empty = run(Cli.args(fresh, "up", "--dev-url", db.url()));
        assertThat(empty.exit()).as(empty.toString()).isZero();
        assertThat(empty.out()).contains("visor/1_base").doesNotContain("0.1_reports");
    }
}
