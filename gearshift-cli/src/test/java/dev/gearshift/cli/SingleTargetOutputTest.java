package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
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
                .isEqualTo("Cleared 1 failed migration: core/2_half; the next `gearshift up` runs it again\n");

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

    @Test
    void statusNamesEachModulesProblemsAndExitsTwo() throws Exception {
        assertThat(cli("up").exit()).isZero();
        // neither edits an applied script nor removes one, so neither shows as changed or missing
        Files.move(core.resolve("1_create_a.up.sql"), core.resolve("1_create_aa.up.sql"));
        Cli.write(core.resolve("notes.sql"), "-- not a migration\n");

        Run status = cli("status");
        assertThat(status.exit()).as(status.toString()).isEqualTo(2);
        assertThat(status.out()).containsPattern("core\\s+1\\s+1\\s+0\\s+2 problems \\(bad-file-name, name-mismatch\\)\n")
                .doesNotContain("up to date").contains("Problems (2):");

        Run json = cli("status", "--json");
        assertThat(json.exit()).as(json.toString()).isEqualTo(2);
        JsonNode module = json.json().get("modules").get(0);
        assertThat(module.get("module").asText()).isEqualTo("core");
        List<String> codes = new ArrayList<>();
        module.get("problems").forEach(problem -> codes.add(problem.get("code").asText()));
        assertThat(codes).containsExactly("bad-file-name", "name-mismatch");
        assertThat(json.json().get("problems")).hasSize(2);
    }

    @Test
    void aFailedUpListsWhatItAppliedBeforeTheFailure() {
        Cli.write(core.resolve("2_create_b.up.sql"), "CREATE TABLE b (id int);\n");
        Cli.write(core.resolve("3_broken.up.sql"), "SELECT * FROM no_such_table;\n");

        Run text = cli("up");
        assertThat(text.exit()).as(text.toString()).isEqualTo(1);
        assertThat(text.out()).startsWith("Applied 2 migrations in ").containsSubsequence("core/1_create_a",
                "core/2_create_b").doesNotContain("3_broken");
        assertThat(text.err()).startsWith("error: core/3_broken failed at ");

        schema = db.newSchema();
        Run json = cli("up", "--json");
        assertThat(json.exit()).as(json.toString()).isEqualTo(1);
        JsonNode error = json.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("migration-failed");
        assertThat(error.get("applied")).hasSize(2);
        assertThat(error.get("applied").get(1).get("module").asText()).isEqualTo("core");
        assertThat(error.get("applied").get(1).get("version").asLong()).isEqualTo(2);
        assertThat(error.get("applied").get(1).get("name").asText()).isEqualTo("create_b");

        Run nothingBefore = cli("up", "--json");
        assertThat(nothingBefore.exit()).isEqualTo(1);
        assertThat(nothingBefore.json().get("error").get("applied")).isEmpty();
    }
}
