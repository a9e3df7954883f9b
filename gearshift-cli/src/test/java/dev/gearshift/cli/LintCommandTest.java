package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code gearshift lint} on the example project: new migrations only, the output shapes, exit codes, up --lint. */
@ExtendWith(PostgresExtension.class)
class LintCommandTest {

    private static final String NEW_INDEX = "-- an index for the tenant list\n"
            + "CREATE INDEX tenants_plan ON tenants (plan_code);\n";

    @Test
    void theExampleProjectIsCleanAndEveryMigrationIsLintedWithAll(@TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        Run all = run("-C", project.toString(), "lint", "--all");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out()).contains("Linted 7 migrations: 0 errors");
    }

    @Test
    void onlyMigrationsPendingInTheTargetAreLintedAndUpLintRunsNothingOnErrors(TestDatabase db, @TempDir Path temp)
            throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema);
        assertThat(run(Cli.args(target, "up")).exit()).isZero();
        Cli.write(project.resolve("migrations/core/7_tenant_plan_index.up.sql"), NEW_INDEX);

        Run lint = run(Cli.args(target, "lint"));
        assertThat(lint.exit()).as(lint.toString()).isEqualTo(2);
        assertThat(lint.out()).contains("migrations/core/7_tenant_plan_index.up.sql:2:1: error"
                + " [require-concurrent-index-creation]", "why: ", "fix: CREATE INDEX CONCURRENTLY",
                "Linted 1 migration: 1 error");

        JsonNode json = run(Cli.args(target, "--json", "lint")).json();
        assertThat(json.get("errors").asInt()).isEqualTo(1);
        assertThat(json.get("findings").get(0).get("line").asInt()).isEqualTo(2);

        Run sarif = run(Cli.args(target, "lint", "--format", "sarif"));
        JsonNode doc = new ObjectMapper().readTree(sarif.out());
        assertThat(doc.get("version").asText()).isEqualTo("2.1.0");
        assertThat(doc.at("/runs/0/results/0/ruleId").asText()).isEqualTo("require-concurrent-index-creation");
        assertThat(doc.at("/runs/0/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(2);

        Run github = run(Cli.args(target, "lint", "--format", "github"));
        assertThat(github.out()).startsWith("::error file=migrations/core/7_tenant_plan_index.up.sql,line=2,col=1,"
                + "title=require-concurrent-index-creation::");

        Run up = run(Cli.args(target, "up", "--lint"));
        assertThat(up.exit()).as(up.toString()).isEqualTo(2);
        assertThat(up.err()).contains("lint found 1 error(s)", "nothing was run");
        assertThat(db.column("SELECT indexname::text FROM pg_indexes WHERE schemaname = '" + schema
                + "' AND indexname = 'tenants_plan'")).isEmpty();
        Run validate = run(Cli.args(target, "validate", "--lint"));
        assertThat(validate.exit()).as(validate.toString()).isEqualTo(2);

        Cli.write(project.resolve("migrations/core/7_tenant_plan_index.up.sql"),
                "-- gearshift:lint-ignore require-concurrent-index-creation tenants has 40 rows\n" + NEW_INDEX);
        Run ignored = run(Cli.args(target, "lint"));
        assertThat(ignored.exit()).as(ignored.toString()).isZero();
        assertThat(ignored.out()).contains("ignored because: tenants has 40 rows");
        assertThat(run(Cli.args(target, "up", "--lint")).exit()).isZero();
    }

    @Test
    void measureRunsThePendingMigrationsOnAShadowAndReportsTheirLocks(TestDatabase db, @TempDir Path temp)
            throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema);
        assertThat(run(Cli.args(target, "up")).exit()).isZero();
        Cli.write(project.resolve("migrations/core/7_tenant_plan_index.up.sql"), NEW_INDEX);

        Run measure = run(Cli.args(target, "lint", "--measure", "--rows", "2000", "--dev-url", db.url()));
        assertThat(measure.exit()).as(measure.toString()).isZero();
        assertThat(measure.out()).contains("filled tenants with 2000 rows",
                "migrations/core/7_tenant_plan_index.up.sql:2:1: CREATE INDEX tenants_plan ON tenants (plan_code)",
                "SHARE on tenants for ", "blocks writes (INSERT, UPDATE, DELETE); reads go on",
                "lock ShareLock on tenants");
        JsonNode json = run(Cli.args(target, "--json", "lint", "--measure", "--rows", "10", "--dev-url", db.url()))
                .json();
        assertThat(json.at("/statements/0/locks").toString()).contains("ShareLock");
        // the target is only read
        assertThat(db.column("SELECT indexname::text FROM pg_indexes WHERE schemaname = '" + schema
                + "' AND indexname = 'tenants_plan'")).isEmpty();

        Run noTarget = run("-C", project.toString(), "lint", "--measure");
        assertThat(noTarget.exit()).isEqualTo(2);
        assertThat(noTarget.err()).contains("lint --measure needs a target");
    }

    @Test
    void lintAndMeasureChangeNothingOnATargetNeverMigrated(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema);
        Run lint = run(Cli.args(target, "lint"));
        assertThat(lint.exit()).as(lint.toString()).isZero();
        assertThat(lint.out()).contains("Linted 7 migrations: 0 errors");
        Run measure = run(Cli.args(target, "lint", "--measure", "--rows", "5", "--dev-url", db.url()));
        assertThat(measure.exit()).as(measure.toString()).isZero();
        assertThat(db.schemaExists(schema)).isFalse();
    }

    @Test
    void withoutATargetTheFilesAddedSinceAGitBaseAreLinted(@TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        git(project, "init", "-q");
        git(project, "add", "-A");
        git(project, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "base");
        Cli.write(project.resolve("migrations/core/7_tenant_plan_index.up.sql"), NEW_INDEX);
        Run lint = run("-C", project.toString(), "lint", "--git-base", "HEAD");
        assertThat(lint.exit()).as(lint.toString()).isEqualTo(2);
        assertThat(lint.out()).contains("Linted 1 migration: 1 error", "7_tenant_plan_index.up.sql:2:1");
        Run bad = run("-C", project.toString(), "lint", "--git-base", "no-such-ref");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("git diff");
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
