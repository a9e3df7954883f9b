package dev.gearshift.testkit;

import static dev.gearshift.testkit.Outcomes.failure;
import static dev.gearshift.testkit.Outcomes.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.HistoryEntry;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Plan;
import dev.gearshift.Problem;
import dev.gearshift.Repair;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
import dev.gearshift.Version;
import dev.gearshift.spi.Capability;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every command of the Java API: status, up, down, plan, validate, verify, baseline, repair, history. */
public abstract class CommandsContract extends StoreContract {

    protected CommandsContract(StoreFixture fixture) {
        super(fixture);
    }

    private KitProject threeObjects() {
        StoreFixture store = fixture();
        return project()
                .up("a/1_one", store.create("one")).down("a/1_one", store.drop("one"))
                .up("a/2_two", store.create("two")).down("a/2_two", store.drop("two"))
                .up("a/3_three", store.create("three")).down("a/3_three", store.drop("three"));
    }

    // ------------------------------------------------------------------ status

    @Test
    public void statusOfANewSchemaListsEverythingPendingAndCreatesNothing() {
        KitProject project = threeObjects();

        Status status = project.gearshift().status();

        ModuleStatus a = status.module("a").orElseThrow();
        assertThat(a.current()).isEmpty();
        assertThat(a.applied()).isEmpty();
        assertThat(a.pending()).containsExactly(Version.of(1), Version.of(2), Version.of(3));
        assertThat(status.isCurrent()).isFalse();
        assertThat(status.schema()).isEqualTo(project.target());
        assertThat(project.targetExists()).isFalse();
    }

    @Test
    @Requires(Capability.NON_TRANSACTIONAL)
    public void statusListsAppliedPendingChangedMissingAndFailed() {
        StoreFixture store = fixture();
        KitProject project = threeObjects()
                .up("a/3_three", store.nonTransactional(store.failure().script()))
                .up("b/1_bee", store.create("bee"));
        failure(() -> project.gearshift().up(), ErrorCode.MIGRATION_FAILED, null);

        Status afterFailure = project.gearshift().status();
        ModuleStatus a = afterFailure.module("a").orElseThrow();
        assertThat(a.current()).contains(Version.of(2));
        assertThat(a.applied()).containsExactly(Version.of(1), Version.of(2));
        assertThat(a.failed()).containsExactly(Version.of(3));
        assertThat(a.pending()).isEmpty();
        assertThat(afterFailure.module("b").orElseThrow().pending()).containsExactly(Version.of(1));

        project.up("a/1_one", store.sequence(store.create("one"), store.add("one", 1)))
                .delete("a/2_two.up").delete("a/2_two.down");
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
    public void upToAVersionStopsThere() {
        KitProject project = threeObjects();

        Result result = project.gearshift().up(Target.version(2));

        assertThat(ids(result)).containsExactly("a/1", "a/2");
        assertThat(project.exists("two")).isTrue();
        assertThat(project.exists("three")).isFalse();
        assertThat(project.gearshift().status().module("a").orElseThrow().pending()).containsExactly(Version.of(3));
    }

    @Test
    public void upOfAModuleAppliesTheModulesItRequiresAndNoOthers() {
        StoreFixture store = fixture();
        KitProject project = project()
                .yaml("modules:\n  core: {}\n  billing: {}\n  auth: { requires: [core] }\n")
                // auth's migration fails unless core's ran first.
                .up("auth/1_users", store.sequence(store.create("users"), store.add("tenants", 1)))
                .up("core/1_tenants", store.create("tenants"))
                .up("core/2_plans", store.create("plans"))
                .up("billing/1_invoices", store.create("invoices"));

        Result result = project.gearshift().up(Target.latest().module("auth"));

        assertThat(ids(result)).containsExactly("core/1", "core/2", "auth/1");
        assertThat(project.exists("invoices")).isFalse();
        assertThat(project.gearshift().status().module("billing").orElseThrow().pending()).containsExactly(Version.of(1));
    }

    @Test
    public void upStepsAppliesThatManyMigrations() {
        KitProject project = threeObjects();

        assertThat(ids(project.gearshift().up(Target.steps(2)))).containsExactly("a/1", "a/2");
        assertThat(project.exists("three")).isFalse();
        assertThat(ids(project.gearshift().up(Target.steps(5)))).containsExactly("a/3");
    }

    // ------------------------------------------------------------------ down

    @Test
    public void downRevertsOneStepMostRecentlyAppliedFirst() {
        StoreFixture store = fixture();
        KitProject project = project()
                .up("a/1_a1", store.create("a1")).down("a/1_a1", store.drop("a1"))
                .up("a/2_a2", store.create("a2")).down("a/2_a2", store.drop("a2"))
                .up("b/1_b1", store.create("b1")).down("b/1_b1", store.drop("b1"));
        Gearshift gs = project.gearshift();
        gs.up(Target.version(1).module("a"));
        gs.up(Target.latest().module("b"));
        gs.up(Target.latest());
        // Applied in the order a/1, b/1, a/2.

        assertThat(ids(gs.down(Target.latest()))).containsExactly("a/2");
        assertThat(project.exists("a2")).isFalse();
        assertThat(project.exists("b1")).isTrue();
        assertThat(ids(gs.down(Target.latest()))).containsExactly("b/1");
        assertThat(project.exists("b1")).isFalse();
        assertThat(project.exists("a1")).isTrue();
        assertThat(ids(gs.down(Target.latest()))).containsExactly("a/1");
        assertThat(gs.down(Target.latest()).applied()).isEmpty();
    }

    @Test
    public void downToAVersionRevertsEverythingAboveIt() {
        KitProject project = threeObjects();
        Gearshift gs = project.gearshift();
        gs.up();

        assertThat(ids(gs.down(Target.version(1)))).containsExactly("a/3", "a/2");
        assertThat(project.exists("one")).isTrue();
        assertThat(project.exists("two")).isFalse();
        assertThat(gs.status().module("a").orElseThrow().current()).contains(Version.of(1));
        assertThat(gs.status().module("a").orElseThrow().pending()).containsExactly(Version.of(2), Version.of(3));
    }

    @Test
    public void downStepsRevertsThatManyMigrations() {
        KitProject project = threeObjects();
        Gearshift gs = project.gearshift();
        gs.up();

        assertThat(ids(gs.down(Target.steps(2)))).containsExactly("a/3", "a/2");
        assertThat(project.exists("one")).isTrue();
        assertThat(project.exists("two")).isFalse();
    }

    @Test
    public void downOfAModuleLeavesOtherModulesAlone() {
        StoreFixture store = fixture();
        KitProject project = threeObjects()
                .up("b/1_bee", store.create("bee")).down("b/1_bee", store.drop("bee"));
        Gearshift gs = project.gearshift();
        gs.up(Target.latest().module("a"));
        gs.up(Target.latest().module("b"));

        assertThat(ids(gs.down(Target.latest().module("a")))).containsExactly("a/3");
        assertThat(project.exists("bee")).isTrue();
        assertThat(ids(gs.down(Target.zero().module("a")))).containsExactly("a/2", "a/1");
        assertThat(project.exists("bee")).isTrue();
        assertThat(gs.status().module("b").orElseThrow().current()).contains(Version.of(1));
    }

    // ------------------------------------------------------------------ plan

    @Test
    @Requires(Capability.NON_TRANSACTIONAL)
    public void planningWritesNothingNotEvenTheSchema() {
        StoreFixture store = fixture();
        KitProject project = threeObjects()
                .up("a/2_two", store.create("${table}"))
                .up("a/3_three", store.nonTransactional(store.create("three")));
        Gearshift gs = project.configure().placeholder("table", "deux").build();

        Plan plan = gs.planUp(Target.latest());

        assertThat(plan.steps()).extracting(Plan.Step::id).containsExactly("a/1_one", "a/2_two", "a/3_three");
        assertThat(plan.steps().get(1).sql()).isEqualTo(store.create("deux"));
        assertThat(plan.steps().get(1).location()).isEqualTo(project.location("a/2_two.up"));
        assertThat(plan.steps()).extracting(Plan.Step::transactional).containsExactly(true, true, false);
        assertThat(gs.planDown(Target.zero()).isEmpty()).isTrue();
        assertThat(project.targetExists()).isFalse();
    }

    @Test
    public void planDownListsRevertsInOrderAndChangesNothing() {
        KitProject project = threeObjects();
        Gearshift gs = project.gearshift();
        gs.up();
        String before = project.snapshot();
        List<String> history = project.historyRows();

        Plan plan = gs.planDown(Target.version(1));

        assertThat(plan.steps()).extracting(Plan.Step::id).containsExactly("a/3_three", "a/2_two");
        assertThat(plan.steps().get(0).sql()).isEqualTo(fixture().drop("three"));
        assertThat(plan.steps().get(0).location()).isEqualTo(project.location("a/3_three.down"));
        assertThat(gs.planUp(Target.latest()).isEmpty()).isTrue();
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).isEqualTo(history);
    }

    // ------------------------------------------------------------------ validate

    @Test
    public void validateReportsEveryProblemAtOnce() {
        StoreFixture store = fixture();
        KitProject project = threeObjects();
        assertThat(project.gearshift().validate().problems()).isEmpty();
        project.gearshift().up(Target.version(1));
        project.up("a/1_one", store.sequence(store.create("one"), store.add("one", 1)))
                .write("a/4-four.up", store.create("four"))
                .up("a/5_five", store.create("five"))
                .up("a/5_cinq", store.create("five"));

        var e = failure(() -> project.gearshift().validate(), ErrorCode.VALIDATION, null);

        assertThat(Outcomes.codes(e)).containsExactlyInAnyOrder(
                Problem.CHECKSUM_MISMATCH, Problem.BAD_FILE_NAME, Problem.DUPLICATE_VERSION);
        assertThat(e.getMessage()).contains("3 problems", project.location("a/1_one.up"),
                project.location("a/4-four.up"), project.fileName("a/5_five.up"), project.fileName("a/5_cinq.up"));
    }

    // ------------------------------------------------------------------ verify

    /** A verify script's work is rolled back, as a dry run's is. */
    @Test
    @Requires(Capability.DRY_RUN)
    public void verifyReportsAFailingScriptAndChangesNothing() {
        StoreFixture store = fixture();
        StoreFixture.Failure broken = store.failure();
        KitProject project = threeObjects()
                .verify("a/1_one", store.add("one", 1))
                .verify("a/2_two", broken.script())
                .verify("a/3_three", broken.script());
        Gearshift gs = project.gearshift();
        gs.up(Target.version(2));
        String before = project.snapshot();
        List<String> history = project.historyRows();

        Verification verification = gs.verify();

        assertThat(verification.passed()).isFalse();
        assertThat(verification.checks()).extracting(c -> c.module() + "/" + c.version().orElseThrow() + " " + c.passed())
                .containsExactly("a/1 true", "a/2 false"); // 3 is not applied: not verified
        Verification.Check failed = verification.checks().get(1);
        assertThat(failed.location()).isEqualTo(project.location("a/2_two.verify"));
        assertThat(failed.message()).contains(broken.reason());
        assertThat(project.values("one")).isEmpty();
        assertThat(project.snapshot()).isEqualTo(before);
        assertThat(project.historyRows()).isEqualTo(history);
    }

    // ------------------------------------------------------------------ baseline

    @Test
    public void baselineAdoptsAnExistingDatabaseOnce() {
        StoreFixture store = fixture();
        KitProject project = threeObjects();
        store.createTarget(project.target());
        store.run(project.target(), store.sequence(store.create("one"), store.create("two")));
        Gearshift gs = project.gearshift();

        assertThat(gs.baseline(Optional.empty(), 2)).containsExactly("a");
        Status baselined = gs.status();
        assertThat(baselined.module("a").orElseThrow().applied()).containsExactly(Version.of(1), Version.of(2));
        assertThat(baselined.module("a").orElseThrow().pending()).containsExactly(Version.of(3));

        assertThat(ids(gs.up())).containsExactly("a/3");
        assertThat(project.exists("three")).isTrue();
        assertThat(gs.status().module("a").orElseThrow().current()).contains(Version.of(3));
        assertThat(gs.status().isCurrent()).isTrue();

        var e = failure(() -> gs.baseline(Optional.empty(), 3), ErrorCode.USAGE, null);
        assertThat(e.getMessage()).contains("already");
        assertThat(project.historyRows()).containsExactly("a/2 baseline success", "a/3 up success");
    }

    // ------------------------------------------------------------------ target schema and history table

    @Test
    @Requires(Capability.SCHEMAS)
    public void aMissingSchemaIsCreatedOnlyWhenAsked() {
        KitProject project = threeObjects();

        var e = failure(() -> project.configure().createSchema(false).build().up(), ErrorCode.USAGE, null);

        assertThat(e.getMessage()).contains(project.target(), "does not exist");
        assertThat(project.targetExists()).isFalse();
        fixture().createTarget(project.target());
        assertThat(project.configure().createSchema(false).build().up().applied()).hasSize(3);
    }

    @Test
    public void theHistoryTableNameIsConfigurable() {
        StoreFixture store = fixture();
        KitProject project = threeObjects().yaml("history_table: from_yaml_history\n");

        project.gearshift().up(Target.version(2));

        assertThat(project.exists("from_yaml_history")).isTrue();
        assertThat(project.exists(Gearshift.HISTORY_TABLE)).isFalse();
        assertThat(store.storedHistory(project.target(), "from_yaml_history"))
                .containsExactly("a/1 up success", "a/2 up success");
        assertThat(project.gearshift().status().module("a").orElseThrow().applied()).containsExactly(Version.of(1), Version.of(2));

        // An explicit setting wins over the project file.
        String other = store.newTarget();
        project.configure().schema(other).historyTable("schema_log").build().up();
        assertThat(store.storedHistory(other, "schema_log")).hasSize(3);
        assertThat(store.objectExists(other, "from_yaml_history")).isFalse();
    }

    // ------------------------------------------------------------------ repair

    @Test
    public void repairRealignsTheChecksumsOfEditedAppliedMigrationsAndNothingElse() throws Exception {
        StoreFixture store = fixture();
        KitProject project = threeObjects();
        project.gearshift().up(Target.version(2));
        String one = project.read("a/1_one.up");
        // A deliberate edit that leaves what the migration does as it was.
        String edited = store.sequence(store.create("one"), store.sleep(Duration.ZERO));
        project.up("a/1_one", edited)
                .up("a/3_three", store.sequence(store.create("three"), store.add("three", 3))); // pending: not repaired
        assertThat(failure(() -> project.gearshift().validate(), ErrorCode.VALIDATION, Problem.CHECKSUM_MISMATCH)
                .getMessage()).contains("gearshift repair");

        Repair repair = project.gearshift().repair();

        assertThat(repair.cleared()).isEmpty();
        assertThat(repair.realigned()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("a/1_one");
            assertThat(r.location()).isEqualTo(project.location("a/1_one.up"));
            assertThat(r.previousChecksum()).isEqualTo(sha256(one));
            assertThat(r.checksum()).isEqualTo(sha256(edited));
        });
        List<HistoryEntry> history = project.gearshift().history();
        assertThat(Outcomes.outcomes(history)).containsExactly("a/1 up success", "a/2 up success",
                "a/1 repair success");
        HistoryEntry row = history.get(2);
        assertThat(row.checksum()).isEqualTo(sha256(edited));
        assertThat(row.installedBy()).isEqualTo(store.user());
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
    public void repairLeavesRenamedAndMissingAppliedMigrationsAlone() {
        StoreFixture store = fixture();
        KitProject project = threeObjects();
        project.gearshift().up();
        project.delete("a/2_two.up").delete("a/2_two.down")
                .delete("a/3_three.up").delete("a/3_three.down")
                .up("a/3_renamed", store.sequence(store.create("three"), store.add("three", 3)));

        assertThat(project.gearshift().repair().isEmpty()).isTrue();

        assertThat(project.gearshift().status().problems()).extracting(Problem::code)
                .containsExactlyInAnyOrder(Problem.MISSING_APPLIED, Problem.NAME_MISMATCH);
    }

    // ------------------------------------------------------------------ history

    @Test
    public void historyRecordsEveryUpAndDown() throws Exception {
        StoreFixture store = fixture();
        String slow = store.sequence(store.sleep(Duration.ofMillis(50)), store.create("one"));
        KitProject project = threeObjects().up("a/1_one", slow);
        Gearshift gs = project.gearshift();
        gs.up(Target.version(2));
        gs.down(Target.latest());

        List<HistoryEntry> history = gs.history();

        assertThat(Outcomes.outcomes(history)).containsExactly("a/1 up success", "a/2 up success",
                "a/2 down success");
        HistoryEntry first = history.get(0);
        assertThat(first.name()).isEqualTo("one");
        assertThat(first.kind()).isEqualTo(store.scriptExtension());
        assertThat(first.checksum()).isEqualTo(sha256(slow));
        assertThat(history.get(1).checksum()).isEqualTo(sha256(project.read("a/2_two.up")));
        assertThat(first.toolVersion()).isEqualTo(Gearshift.version()).isNotBlank();
        assertThat(first.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(first.installedBy()).isEqualTo(store.user());
        assertThat(first.installedAt()).isNotNull();
        assertThat(first.error()).isNull();
        assertThat(history).extracting(HistoryEntry::id).isSorted().doesNotHaveDuplicates();
        assertThat(project.historyRows()).isEqualTo(Outcomes.outcomes(history));
    }

    /** The checksum Gearshift records for a script: the SHA-256 of its text. */
    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
