package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.args;
import static dev.gearshift.cli.Cli.run;
import static dev.gearshift.cli.Cli.versions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's flow on a copy of the example project: up, status, down to zero, plan, up again, verify, history. */
@ExtendWith(PostgresExtension.class)
class ReadmeFlowTest {

    private static final List<String> MIGRATIONS = List.of("core/1_create_plans", "core/2_seed_plans",
            "core/3_create_tenants", "core/4_tenant_email_index", "core/5_plan_features", "core/6_tenant_directory",
            "auth/1_create_users", "auth/2_create_sessions");

    @Test
    void upStatusDownPlanUpVerifyHistory(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema,
                "--create-schema");

        // plan before anything exists: the SQL of every pending migration, and not even the schema is created
        Run plan = run(args(target, "plan"));
        assertThat(plan.exit()).as(plan.toString()).isZero();
        assertThat(plan.out())
                .contains("-- core/1_create_plans (up, in a transaction) from ")
                .contains("CREATE TABLE plans (")
                .contains("COPY plans (code, name, price_cents) FROM stdin;")
                .contains("-- core/4_tenant_email_index (up, outside a transaction)")
                .contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS tenants_email_idx")
                .contains("-- core/5_plan_features (up, in a transaction)")
                .contains("GRANT SELECT (id, slug, plan_code, plan_name) ON tenant_directory TO saas_app")
                .contains("CREATE TABLE users (")
                .contains("CREATE TABLE sessions (");
        assertThat(plan.out().indexOf("CREATE TABLE plans")).isLessThan(plan.out().indexOf("CREATE TABLE users"));
        assertThat(db.schemaExists(schema)).as("plan must not create the schema").isFalse();

        // up: every migration, then the status table
        Run up = run(args(target, "up"));
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).startsWith("Applied 8 migrations in ");
        for (String migration : MIGRATIONS) {
            assertThat(up.out()).contains("  " + migration + " ");
        }
        assertThat(up.out()).contains("schema " + schema)
                .containsPattern("MODULE\\s+CURRENT\\s+APPLIED\\s+PENDING\\s+STATE")
                .containsPattern("core\\s+6\\s+6\\s+0\\s+up to date")
                .containsPattern("auth\\s+2\\s+2\\s+0\\s+up to date");
        assertThat(db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
                .contains("plans", "tenants", "users", "sessions", "tenant_directory", "gearshift_history");
        String migrated = db.snapshot(schema);

        // status --json: the documented shape
        JsonNode status = run(args(target, "status", "--json")).json();
        assertThat(status.get("schema").asText()).isEqualTo(schema);
        assertModule(status, 0, "core", 6L, List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of());
        assertModule(status, 1, "auth", 2L, List.of(1L, 2L), List.of());
        assertThat(status.get("problems")).isEmpty();

        // down --to 0: everything reverted, most recent first
        Run down = run(args(target, "down", "--to", "0"));
        assertThat(down.exit()).as(down.toString()).isZero();
        assertThat(down.out()).startsWith("Reverted 8 migrations in ");
        assertThat(down.out().indexOf("auth/2_create_sessions")).isLessThan(down.out().indexOf("core/1_create_plans"));
        assertThat(down.out()).containsPattern("core\\s+-\\s+0\\s+6\\s+pending \\[1, 2, 3, 4, 5, 6\\]");
        assertThat(db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
                .containsExactly("gearshift_history");
        JsonNode afterDown = run(args(target, "status", "--json")).json();
        assertModule(afterDown, 0, "core", null, List.of(), List.of(1L, 2L, 3L, 4L, 5L, 6L));
        assertModule(afterDown, 1, "auth", null, List.of(), List.of(1L, 2L));

        // plan writes nothing: the same schema and history afterwards
        String beforePlan = db.snapshot(schema);
        List<String> historyBeforePlan = db.column("SELECT id FROM " + schema + ".gearshift_history");
        Run planJson = run(args(target, "--json", "plan"));
        assertThat(planJson.exit()).as(planJson.toString()).isZero();
        JsonNode steps = planJson.json().get("steps");
        assertThat(planJson.json().get("direction").asText()).isEqualTo("up");
        assertThat(steps).hasSize(8);
        assertThat(steps.get(0).get("module").asText()).isEqualTo("core");
        assertThat(steps.get(0).get("sql").asText()).contains("CREATE TABLE plans (");
        assertThat(steps.get(3).get("transactional").asBoolean()).isFalse();
        assertThat(db.snapshot(schema)).isEqualTo(beforePlan);
        assertThat(db.column("SELECT id FROM " + schema + ".gearshift_history")).isEqualTo(historyBeforePlan);

        // up again: the very same schema as the first time
        Run again = run(args(target, "up"));
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("Applied 8 migrations");
        assertThat(db.snapshot(schema)).isEqualTo(migrated);
        Run nothing = run(args(target, "up"));
        assertThat(nothing.exit()).isZero();
        assertThat(nothing.out()).startsWith("Nothing to do: no pending migrations");

        // verify: both verify scripts of the example pass
        Run verify = run(args(target, "verify"));
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("ok     core/3_create_tenants", "ok     auth/2_create_sessions",
                "All 2 verify scripts passed");
        JsonNode verifyJson = run(args(target, "verify", "--json")).json();
        assertThat(verifyJson.get("passed").asBoolean()).isTrue();
        assertThat(verifyJson.get("checks")).hasSize(2);

        Run validate = run(args(target, "validate"));
        assertThat(validate.exit()).as(validate.toString()).isZero();
        assertThat(validate.out()).contains("Valid: 2 modules, 8 migrations, schema " + schema);

        // history: 8 ups, 8 downs, 8 ups, oldest first (a no-transaction migration may add a 'started' row first)
        Run history = run(args(target, "history", "--json"));
        assertThat(history.exit()).as(history.toString()).isZero();
        List<JsonNode> rows = new ArrayList<>();
        history.json().get("history").forEach(row -> {
            assertThat(row.get("outcome").asText()).as(row.toString()).isIn("success", "started");
            if (row.get("outcome").asText().equals("success")) {
                rows.add(row);
            }
        });
        assertThat(rows).hasSize(24);
        List<String> actions = rows.stream().map(row -> row.get("action").asText()).toList();
        assertThat(actions.subList(0, 8)).containsOnly("up");
        assertThat(actions.subList(8, 16)).containsOnly("down");
        assertThat(actions.subList(16, 24)).containsOnly("up");
        List<String> firstUps = rows.subList(0, 8).stream().map(row -> row.get("module").asText() + "/"
                + row.get("version").asLong() + "_" + row.get("name").asText()).toList();
        assertThat(firstUps).isEqualTo(MIGRATIONS);
        assertThat(rows.get(4).get("kind").asText()).isEqualTo("java");
        Run historyText = run(args(target, "history"));
        assertThat(historyText.out()).containsPattern("ID\\s+MIGRATION\\s+ACTION\\s+OUTCOME")
                .contains("auth/2_create_sessions");
    }

    private static void assertModule(JsonNode status, int index, String module, Long current, List<Long> applied,
                                     List<Long> pending) {
        JsonNode entry = status.get("modules").get(index);
        assertThat(entry.get("module").asText()).isEqualTo(module);
        if (current == null) {
            assertThat(entry.get("current").isNull()).as(module + " current").isTrue();
        } else {
            assertThat(entry.get("current").asLong()).as(module + " current").isEqualTo(current);
        }
        assertThat(versions(entry.get("applied"))).as(module + " applied").isEqualTo(applied);
        assertThat(versions(entry.get("pending"))).as(module + " pending").isEqualTo(pending);
    }
}
