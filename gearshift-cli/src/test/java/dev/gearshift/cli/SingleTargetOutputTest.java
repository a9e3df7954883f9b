package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Output of single-target commands that must neither hide nor mislead: paths, counts, states, partial runs. */
@ExtendWith(PostgresExtension.class)
class SingleTargetOutputTest {

    private TestDatabase db;
    private Path project;
    private Path core;
    private String schema;

    @BeforeEach
    void project(TestDatabase db, @TempDir Path temp) {
        this.db = db;
        this.project = temp;
        this.core = temp.resolve("migrations/core");
        this.schema = db.newSchema();
        Cli.write(temp.resolve("gearshift.yaml"), "create_schema: true\n");
        Cli.write(core.resolve("1_create_a.up.sql"), "CREATE TABLE a (id int);\n");
    }

    private Run in(String projectPath, String... args) {
        List<String> all = new ArrayList<>(List.of("-C", projectPath, "--url", db.url(), "--schema", schema));
        all.addAll(List.of(args));
        return Cli.run(all);
    }

    private Run cli(String... args) {
        return in(project.toString(), args);
    }

    @Test
    void migrationPathsHaveNoDotSegmentsAndStayRelativeWhenGivenRelative() {
        Cli.write(core.resolve("2_broken.up.sql"), "SELECT 1;\n\nSELECT * FROM no_such_table;\n");
        Run absolute = in(project.resolve(".").toString(), "up");
        assertThat(absolute.exit()).as(absolute.toString()).isEqualTo(1);
        assertThat(absolute.err()).contains(project.resolve("migrations/core/2_broken.up.sql") + ":3")
                .doesNotContain("/./");

        String relative = Path.of("").toAbsolutePath().relativize(project).toString();
        Run given = in(relative + "/.", "plan");
        assertThat(given.exit()).as(given.toString()).isZero();
        assertThat(given.out()).contains("from " + relative + "/migrations/core/2_broken.up.sql\n")
                .doesNotContain("/./");
    }

    @Test
    void oneOfAnythingIsCountedInTheSingular() throws Exception {
        Run up = cli("up");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).startsWith("Applied 1 migration in ");
        Run validate = cli("validate");
        assertThat(validate.out()).as(validate.toString()).startsWith("Valid: 1 module, 1 migration, schema ");

        Cli.write(core.resolve("2_half.up.sql"), "-- gearshift:no-transaction\nCREATE TABLE b (id int);\n"
                + "SELECT * FROM no_such_table;\n");
        assertThat(cli("up").exit()).isEqualTo(1);
        Cli.write(core.resolve("2_half.up.sql"), "-- gearshift:no-transaction\nCREATE TABLE IF NOT EXISTS b (id int);\n");
        Run repair = cli("repair");
        assertThat(repair.out()).as(repair.toString())
                .isEqualTo("Repaired [core/2_half]: the next `gearshift up` runs it again\n");

        Cli.write(core.resolve("3_verified.up.sql"), "CREATE TABLE c (id int);\n");
        Cli.write(core.resolve("3_verified.verify.sql"), "SELECT id FROM c;\n");
        assertThat(cli("up").exit()).isZero();
        Run verify = cli("verify");
        assertThat(verify.out()).as(verify.toString()).endsWith("core/3_verified\n1 verify script passed\n");

        db.execute("CREATE INDEX a_id ON " + schema + ".a (id)");
        Run drift = cli("drift", "--dev-url", db.url());
        assertThat(drift.exit()).as(drift.toString()).isEqualTo(1);
        assertThat(drift.out()).contains("Drift in schema " + schema + ": 1 object differs from");
    }
}
