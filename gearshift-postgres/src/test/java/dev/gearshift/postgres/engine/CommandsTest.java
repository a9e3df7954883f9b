package dev.gearshift.postgres.engine;

import static dev.gearshift.postgres.engine.TestProject.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.HistoryEntry;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Plan;
import dev.gearshift.Problem;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every command of the Java API against a real PostgreSQL. */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class CommandsTest {

    @TempDir
    Path dir;

    private TestProject threeTables(TestDatabase db) {
        return new TestProject(db, dir)
                .write("a/1_one.up.sql", "CREATE TABLE one (id int);")
                .write("a/1_one.down.sql", "DROP TABLE one;")
                .write("a/2_two.up.sql", "CREATE TABLE two (id int);")
                .write("a/2_two.down.sql", "DROP TABLE two;")
                .write("a/3_three.up.sql", "CREATE TABLE three (id int);")
                .write("a/3_three.down.sql", "DROP TABLE three;");
    }

    private static List<String> ids(Result result) {
        return result.applied().stream().map(a -> a.module() + "/" + a.version().orElseThrow()).toList();
    }

    // ------------------------------------------------------------------ status

    @Test
    void statusOfANewSchemaListsEverythingPendingAndCreatesNothing(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);

        Status status = project.gearshift().status();

        ModuleStatus a = status.module("a").orElseThrow();
        assertThat(a.current()).isEmpty();
        assertThat(a.applied()).isEmpty();
        assertThat(a.pending()).containsExactly(Version.of(1), Version.of(2), Version.of(3));
        assertThat(status.isCurrent()).isFalse();
        assertThat(status.schema()).isEqualTo(project.schema);
        assertThat(db.schemaExists(project.schema)).isFalse();
    }

    @Test
    void statusListsAppliedPendingChangedMissingAndFailed(TestDatabase db) throws Exception {
        TestProject project = threeTables(db)
                .write("a/3_three.up.sql", "-- gearshift:no-transaction\nCREATE INDEX CONCURRENTLY three_idx ON nowhere (id);")
                .write("b/1_bee.up.sql", "CREATE TABLE bee (id int);");
        failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        Status afterFailure = project.gearshift().status();
        ModuleStatus a = afterFailure.module("a").orElseThrow();
        assertThat(a.current()).contains(Version.of(2));
        assertThat(a.applied()).containsExactly(Version.of(1), Version.of(2));
        assertThat(a.failed()).containsExactly(Version.of(3));
        assertThat(a.pending()).isEmpty();
        assertThat(afterFailure.module("b").orElseThrow().pending()).containsExactly(Version.of(1));

        project.write("a/1_one.up.sql", "CREATE TABLE one (id bigint);")
                .delete("a/2_two.up.sql").delete("a/2_two.down.sql");
        Status status = project.gearshift().status();

        a = status.module("a").orElseThrow();
        assertThat(a.current()).contains(Version.of(2));
        assertThat(a.applied()).containsExactly(Version.of(1), Version.of(2));
        assertThat(a.changed()).containsExactly(Version.of(1));
        assertThat(a.missing()).containsExactly(Version.of(2));
        assertThat(a.failed()).containsExactly(Version.of(3));
        ModuleStatus b = status.module("b").orElseThrow();
        assertThat(b.current()).isEmpty();
        assertThat(b.pending()).containsExactly(Version.of(1));
        assertThat(status.problems()).extracting(Problem::code).containsExactlyInAnyOrder(
                Problem.CHECKSUM_MISMATCH, Problem.MISSING_APPLIED, Problem.FAILED_MIGRATION);
        assertThat(status.isCurrent()).isFalse();
    }

    // ------------------------------------------------------------------ up

    @Test
    void upToAVersionStopsThere(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);

        Result result = project.gearshift().up(Target.version(2));

        assertThat(ids(result)).containsExactly("a/1", "a/2");
        assertThat(project.tableExists("two")).isTrue();
        assertThat(project.tableExists("three")).isFalse();
        assertThat(project.gearshift().status().module("a").orElseThrow().pending()).containsExactly(Version.of(3));
    }

    @Test
    void upOfAModuleAppliesTheModulesItRequiresAndNoOthers(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .yaml("modules:\n  core: {}\n  billing: {}\n  auth: { requires: [core] }\n")
                .write("auth/1_users.up.sql", "CREATE TABLE users (id int, tenant int REFERENCES tenants (id));")
                .write("core/1_tenants.up.sql", "CREATE TABLE tenants (id int PRIMARY KEY);")
                .write("core/2_plans.up.sql", "CREATE TABLE plans (id int);")
                .write("billing/1_invoices.up.sql", "CREATE TABLE invoices (id int);");

        Result result = project.gearshift().up(Target.latest().module("auth"));

        assertThat(ids(result)).containsExactly("core/1", "core/2", "auth/1");
        assertThat(project.tableExists("invoices")).isFalse();
        assertThat(project.gearshift().status().module("billing").orElseThrow().pending()).containsExactly(Version.of(1));
    }

    @Test
    void upStepsAppliesThatManyMigrations(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);

        assertThat(ids(project.gearshift().up(Target.steps(2)))).containsExactly("a/1", "a/2");
        assertThat(project.tableExists("three")).isFalse();
        assertThat(ids(project.gearshift().up(Target.steps(5)))).containsExactly("a/3");
    }

    // ------------------------------------------------------------------ down

    @Test
    void downRevertsOneStepMostRecentlyAppliedFirst(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir)
                .write("a/1_a1.up.sql", "CREATE TABLE a1 (id int);").write("a/1_a1.down.sql", "DROP TABLE a1;")
                .write("a/2_a2.up.sql", "CREATE TABLE a2 (id int);").write("a/2_a2.down.sql", "DROP TABLE a2;")
                .write("b/1_b1.up.sql", "CREATE TABLE b1 (id int);").write("b/1_b1.down.sql", "DROP TABLE b1;");
        Gearshift gs = project.gearshift();
        gs.up(Target.version(1).module("a"));
        gs.up(Target.latest().module("b"));
        gs.up(Target.latest());
        // Applied in the order a/1, b/1, a/2.

        assertThat(ids(gs.down(Target.latest()))).containsExactly("a/2");
        assertThat(project.tableExists("a2")).isFalse();
        assertThat(project.tableExists("b1")).isTrue();
        assertThat(ids(gs.down(Target.latest()))).containsExactly("b/1");
        assertThat(project.tableExists("b1")).isFalse();
        assertThat(project.tableExists("a1")).isTrue();
        assertThat(ids(gs.down(Target.latest()))).containsExactly("a/1");
        assertThat(gs.down(Target.latest()).applied()).isEmpty();
    }

    @Test
    void downToAVersionRevertsEverythingAboveIt(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);
        Gearshift gs = project.gearshift();
        gs.up();

        assertThat(ids(gs.down(Target.version(1)))).containsExactly("a/3", "a/2");
        assertThat(project.tableExists("one")).isTrue();
        assertThat(project.tableExists("two")).isFalse();
        assertThat(gs.status().module("a").orElseThrow().current()).contains(Version.of(1));
        assertThat(gs.status().module("a").orElseThrow().pending()).containsExactly(Version.of(2), Version.of(3));
    }

    @Test
    void downStepsRevertsThatManyMigrations(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);
        Gearshift gs = project.gearshift();
        gs.up();

        assertThat(ids(gs.down(Target.steps(2)))).containsExactly("a/3", "a/2");
        assertThat(project.tableExists("one")).isTrue();
        assertThat(project.tableExists("two")).isFalse();
    }

    @Test
    void downOfAModuleLeavesOtherModulesAlone(TestDatabase db) throws Exception {
        TestProject project = threeTables(db)
                .write("b/1_bee.up.sql", "CREATE TABLE bee (id int);").write("b/1_bee.down.sql", "DROP TABLE bee;");
        Gearshift gs = project.gearshift();
        gs.up(Target.latest().module("a"));
        gs.up(Target.latest().module("b"));

        assertThat(ids(gs.down(Target.latest().module("a")))).containsExactly("a/3");
        assertThat(project.tableExists("bee")).isTrue();
        assertThat(ids(gs.down(Target.zero().module("a")))).containsExactly("a/2", "a/1");
        assertThat(project.tableExists("bee")).isTrue();
        assertThat(gs.status().module("b").orElseThrow().current()).contains(Version.of(1));
    }

    // ------------------------------------------------------------------ plan

    @Test
    void planningWritesNothingNotEvenTheSchema(TestDatabase db) throws Exception {
        TestProject project = threeTables(db)
                .write("a/2_two.up.sql", "CREATE TABLE ${table} (id int);")
                .write("a/3_three.up.sql", "-- gearshift:no-transaction\nCREATE INDEX CONCURRENTLY one_idx ON one (id);");
        Gearshift gs = project.configure().placeholder("table", "deux").build();

        Plan plan = gs.planUp(Target.latest());

        assertThat(plan.steps()).extracting(Plan.Step::id).containsExactly("a/1_one", "a/2_two", "a/3_three");
        assertThat(plan.steps().get(1).sql()).isEqualTo("CREATE TABLE deux (id int);");
        assertThat(plan.steps().get(1).location()).isEqualTo(project.location("a/2_two.up.sql"));
        assertThat(plan.steps()).extracting(Plan.Step::transactional).containsExactly(true, true, false);
        assertThat(gs.planDown(Target.zero()).isEmpty()).isTrue();
        assertThat(db.schemaExists(project.schema)).isFalse();
    }

    @Test
    void planDownListsRevertsInOrderAndChangesNothing(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);
        Gearshift gs = project.gearshift();
        gs.up();
        String before = project.snapshot();
        List<String> history = project.historyRows();

        Plan plan = gs.planDown(Target.version(1));

        assertThat(plan.steps()).extracting(Plan.Step::id).containsExactly("a/3_three", "a/2_two");
        assertThat(plan.steps().get(0).sql()).isEqualTo("DROP TABLE three;");
        assertThat(plan.steps().get(0).location()).isEqualTo(project.location("a/3_three.down.sql"));
        assertThat(gs.planUp(Target.latest()).isEmpty()).isTrue();
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).isEqualTo(history);
    }

    // ------------------------------------------------------------------ validate

    @Test
    void validateReportsEveryProblemAtOnce(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);
        assertThat(project.gearshift().validate().problems()).isEmpty();
        project.gearshift().up(Target.version(1));
        project.write("a/1_one.up.sql", "CREATE TABLE one (id int, edited int);")
                .write("a/4-four.up.sql", "SELECT 1;")
                .write("a/5_five.up.sql", "SELECT 5;")
                .write("a/5_cinq.up.sql", "SELECT 5;");

        var e = failure(() -> project.gearshift().validate(), ErrorCode.VALIDATION, null);

        assertThat(TestProject.codes(e)).containsExactlyInAnyOrder(
                Problem.CHECKSUM_MISMATCH, Problem.BAD_FILE_NAME, Problem.DUPLICATE_VERSION);
        assertThat(e.getMessage()).contains("3 problems", project.location("a/1_one.up.sql"),
                project.location("a/4-four.up.sql"), "5_five.up.sql", "5_cinq.up.sql");
    }

    // ------------------------------------------------------------------ verify

    @Test
    void verifyReportsAFailingScriptAndChangesNothing(TestDatabase db) throws Exception {
        TestProject project = threeTables(db)
                .write("a/1_one.verify.sql", "INSERT INTO one VALUES (1);\nSELECT 1 / count(*) FROM one;")
                .write("a/2_two.verify.sql", "SELECT 1;\nDO $$ BEGIN RAISE EXCEPTION 'two is broken'; END $$;")
                .write("a/3_three.verify.sql", "SELECT no_such_thing;");
        Gearshift gs = project.gearshift();
        gs.up(Target.version(2));
        String before = project.snapshot();
        List<String> history = project.historyRows();

        Verification verification = gs.verify();

        assertThat(verification.passed()).isFalse();
        assertThat(verification.checks()).extracting(c -> c.module() + "/" + c.version().orElseThrow() + " " + c.passed())
                .containsExactly("a/1 true", "a/2 false"); // 3 is not applied: not verified
        Verification.Check failed = verification.checks().get(1);
        assertThat(failed.location()).isEqualTo(project.location("a/2_two.verify.sql"));
        assertThat(failed.message()).contains("two is broken");
        assertThat(project.column("SELECT count(*) FROM <schema>.one")).containsExactly("0");
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).isEqualTo(history);
    }

    // ------------------------------------------------------------------ baseline

    @Test
    void baselineAdoptsAnExistingDatabaseOnce(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);
        db.execute("CREATE SCHEMA \"" + project.schema + "\"; CREATE TABLE \"" + project.schema + "\".one (id int);"
                + " CREATE TABLE \"" + project.schema + "\".two (id int);");
        Gearshift gs = project.gearshift();

        assertThat(gs.baseline(Optional.empty(), 2)).containsExactly("a");
        Status baselined = gs.status();
        assertThat(baselined.module("a").orElseThrow().applied()).containsExactly(Version.of(1), Version.of(2));
        assertThat(baselined.module("a").orElseThrow().pending()).containsExactly(Version.of(3));

        assertThat(ids(gs.up())).containsExactly("a/3");
        assertThat(project.tableExists("three")).isTrue();
        assertThat(gs.status().module("a").orElseThrow().current()).contains(Version.of(3));
        assertThat(gs.status().isCurrent()).isTrue();

        var e = failure(() -> gs.baseline(Optional.empty(), 3), ErrorCode.USAGE, null);
        assertThat(e.getMessage()).contains("already");
        assertThat(project.historyRows()).containsExactly("a/2 baseline success", "a/3 up success");
    }

    // ------------------------------------------------------------------ target schema and history table

    @Test
    void aMissingSchemaIsCreatedOnlyWhenAsked(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);

        var e = failure(() -> project.configure().createSchema(false).build().up(), ErrorCode.USAGE, null);

        assertThat(e.getMessage()).contains(project.schema, "does not exist");
        assertThat(db.schemaExists(project.schema)).isFalse();
        db.execute("CREATE SCHEMA \"" + project.schema + "\"");
        assertThat(project.configure().createSchema(false).build().up().applied()).hasSize(3);
    }

    @Test
    void theHistoryTableNameIsConfigurable(TestDatabase db) throws Exception {
        TestProject project = threeTables(db).yaml("history_table: from_yaml_history\n");

        project.gearshift().up(Target.version(2));

        assertThat(project.tableExists("from_yaml_history")).isTrue();
        assertThat(project.tableExists(Gearshift.HISTORY_TABLE)).isFalse();
        assertThat(project.column("SELECT version FROM <schema>.from_yaml_history ORDER BY id"))
                .containsExactly("1", "2");
        assertThat(project.gearshift().status().module("a").orElseThrow().applied()).containsExactly(Version.of(1), Version.of(2));

        // An explicit setting wins over the project file.
        String other = db.newSchema();
        TestProject.DropSchemas.later(db, other);
        project.configure().schema(other).historyTable("schema_log").build().up();
        assertThat(db.column("SELECT count(*) FROM \"" + other + "\".schema_log")).containsExactly("3");
        assertThat(db.column("SELECT count(*) FROM pg_tables WHERE schemaname = '" + other
                + "' AND tablename = 'from_yaml_history'")).containsExactly("0");
    }

    // ------------------------------------------------------------------ repair

    @Test
    void repairRealignsTheChecksumsOfEditedAppliedMigrationsAndNothingElse(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);
        project.gearshift().up(Target.version(2));
        String one = Files.readString(project.file("a/1_one.up.sql"));
        String edited = "-- a deliberate edit: the table holds one row per tenant\nCREATE TABLE one (id int);";
        project.write("a/1_one.up.sql", edited)
                .write("a/3_three.up.sql", "CREATE TABLE three (id int, note text);"); // pending: not repaired
        assertThat(failure(() -> project.gearshift().validate(), ErrorCode.VALIDATION, Problem.CHECKSUM_MISMATCH)
                .getMessage()).contains("gearshift repair");

        dev.gearshift.Repair repair = project.gearshift().repair();

        assertThat(repair.cleared()).isEmpty();
        assertThat(repair.realigned()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("a/1_one");
            assertThat(r.location()).isEqualTo(project.location("a/1_one.up.sql"));
            assertThat(r.previousChecksum()).isEqualTo(sha256(one));
            assertThat(r.checksum()).isEqualTo(sha256(edited));
        });
        List<HistoryEntry> history = project.gearshift().history();
        assertThat(TestProject.outcomes(history)).containsExactly("a/1 up success", "a/2 up success",
                "a/1 repair success");
        HistoryEntry row = history.get(2);
        assertThat(row.checksum()).isEqualTo(sha256(edited));
        assertThat(row.installedBy()).isEqualTo(db.column("SELECT current_user").get(0));
        assertThat(row.installedAt()).isAfterOrEqualTo(history.get(1).installedAt());

        Status status = project.gearshift().validate();
        assertThat(status.module("a").orElseThrow().applied()).containsExactly(Version.of(1), Version.of(2));
        assertThat(status.module("a").orElseThrow().changed()).isEmpty();
        assertThat(project.gearshift().repair().isEmpty()).as("a second repair has nothing to do").isTrue();
        assertThat(ids(project.gearshift().up())).containsExactly("a/3");
        // The realigned migration keeps its place in the order of application: it is reverted last.
        assertThat(ids(project.gearshift().down(Target.zero()))).containsExactly("a/3", "a/2", "a/1");
    }

    @Test
    void repairLeavesRenamedAndMissingAppliedMigrationsAlone(TestDatabase db) throws Exception {
        TestProject project = threeTables(db);
        project.gearshift().up();
        project.delete("a/2_two.up.sql").delete("a/2_two.down.sql")
                .delete("a/3_three.up.sql").delete("a/3_three.down.sql")
                .write("a/3_renamed.up.sql", "CREATE TABLE three (id int, x int);");

        assertThat(project.gearshift().repair().isEmpty()).isTrue();

        assertThat(project.gearshift().status().problems()).extracting(Problem::code)
                .containsExactlyInAnyOrder(Problem.MISSING_APPLIED, Problem.NAME_MISMATCH);
    }

    // ------------------------------------------------------------------ history

    @Test
    void historyRecordsEveryUpAndDown(TestDatabase db) throws Exception {
        String slow = "SELECT pg_sleep(0.05);\nCREATE TABLE one (id int);";
        TestProject project = threeTables(db).write("a/1_one.up.sql", slow);
        Gearshift gs = project.gearshift();
        gs.up(Target.version(2));
        gs.down(Target.latest());

        List<HistoryEntry> history = gs.history();

        assertThat(TestProject.outcomes(history)).containsExactly("a/1 up success", "a/2 up success",
                "a/2 down success");
        HistoryEntry first = history.get(0);
        assertThat(first.name()).isEqualTo("one");
        assertThat(first.kind()).isEqualTo("sql");
        assertThat(first.checksum()).isEqualTo(sha256(slow));
        assertThat(history.get(1).checksum())
                .isEqualTo(sha256(Files.readString(project.file("a/2_two.up.sql"))));
        assertThat(first.toolVersion()).isEqualTo(Gearshift.version()).isNotBlank();
        assertThat(first.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(first.installedBy()).isEqualTo(db.column("SELECT current_user").get(0));
        assertThat(first.installedAt()).isNotNull();
        assertThat(first.error()).isNull();
        assertThat(history).extracting(HistoryEntry::id).isSorted().doesNotHaveDuplicates();
        assertThat(project.historyRows()).isEqualTo(TestProject.outcomes(history));
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
