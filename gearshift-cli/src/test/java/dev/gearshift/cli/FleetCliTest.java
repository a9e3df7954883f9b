package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gearshift fleet ...} end to end, in-process: up, status (text and JSON), runs, a failing tenant, a dry
 * run, filters, and the exit codes for bad input.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetCliTest {

    private static final String PASSWORD = "Cli-s3cret-7Hk";

    private static TestDatabase server;
    /**
     * Tenants live in a database of this class's own: the example's CREATE INDEX CONCURRENTLY waits for every
     * older transaction in its database, so no other test's transaction may hold it up. Runs are recorded there
     * too (the control database defaults to --url).
     */
    private static TestDatabase db;
    private static String database;

    private Path project;
    private String prefix;

    @BeforeAll
    static void database(TestDatabase test) throws SQLException {
        server = test;
        // The example's migration 6 creates this server-wide role when missing; tenants migrated in parallel on
        // a fresh server would race to create it.
        server.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'saas_app') THEN"
                + " CREATE ROLE saas_app NOLOGIN; END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN"
                + " NULL; END $$");
        database = "gs_fleet_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        server.execute("CREATE DATABASE " + database);
        db = new TestDatabase(server.url().replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + database));
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        server.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @BeforeEach
    void setUp(@TempDir Path temp) {
        project = Cli.copyExample(temp);
        prefix = "cli" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    }

    private List<String> schemas(int count) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
            db.execute("CREATE SCHEMA " + prefix + i);
        }
        return names;
    }

    private Run fleet(String... args) {
        List<String> all = new ArrayList<>(List.of("-C", project.toString(), "--url", db.url(), "fleet"));
        all.addAll(List.of(args));
        return Cli.run(all);
    }

    private List<String> applied(String schema) throws SQLException {
        if (!db.column("SELECT 1 FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = 'gearshift_history'")
                .isEmpty()) {
            return db.column("SELECT module || '/' || version FROM " + schema + ".gearshift_history"
                    + " WHERE action = 'up' AND outcome = 'success' ORDER BY module, version");
        }
        return List.of();
    }

    private List<String> relations(String schema) throws SQLException {
        return db.column("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = '" + schema + "'");
    }

    private static final List<String> ALL = List.of("auth/1", "auth/2", "core/1", "core/2", "core/3", "core/4",
            "core/5", "core/6");

    private static String runId(Run run) {
        Matcher matcher = Pattern.compile("Fleet \\w+ run (\\S+):").matcher(run.out());
        assertThat(matcher.find()).as(run.toString()).isTrue();
        return matcher.group(1);
    }

    @Test
    void upThenStatusAndRuns() throws Exception {
        List<String> schemas = schemas(5);

        Run before = fleet("status", "--schemas", prefix + "%", "--json");
        assertThat(before.exit()).as(before.toString()).isZero();
        JsonNode tenantsBefore = before.json().get("tenants");
        assertThat(tenantsBefore).hasSize(5);
        for (JsonNode tenant : tenantsBefore) {
            assertThat(tenant.get("modules").get("core").isNull()).as(tenant.toString()).isTrue();
            assertThat(tenant.get("modules").get("auth").isNull()).as(tenant.toString()).isTrue();
        }

        Run up = fleet("up", "--schemas", prefix + "%", "--parallel", "4");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).contains("5 done, 0 failed, 0 skipped of 5 tenants");
        String run = runId(up);
        for (String schema : schemas) {
            assertThat(applied(schema)).as(schema).isEqualTo(ALL);
        }

        Run status = fleet("status", "--schemas", prefix + "%", "--json");
        assertThat(status.exit()).as(status.toString()).isZero();
        JsonNode json = status.json();
        assertThat(json.get("tenants")).hasSize(5);
        List<String> names = new ArrayList<>();
        for (JsonNode tenant : json.get("tenants")) {
            names.add(tenant.get("tenant").asText());
            assertThat(tenant.get("schema").asText()).isEqualTo(tenant.get("tenant").asText());
            assertThat(tenant.get("modules").get("core").asLong()).isEqualTo(6);
            assertThat(tenant.get("modules").get("auth").asLong()).isEqualTo(2);
            assertThat(tenant.get("pending").asInt()).isZero();
            assertThat(tenant.get("current").asBoolean()).isTrue();
        }
        assertThat(names).containsExactlyElementsOf(schemas);
        assertThat(json.get("versions").get("core").get("6").asInt()).isEqualTo(5);
        assertThat(json.get("versions").get("auth").get("2").asInt()).isEqualTo(5);

        Run table = fleet("status", "--schemas", prefix + "%");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).contains("5 tenants, 5 current").contains(schemas.get(0));

        Run runs = fleet("runs", "--json");
        assertThat(runs.exit()).as(runs.toString()).isZero();
        JsonNode recorded = null;
        for (JsonNode entry : runs.json().get("runs")) {
            if (entry.get("run").asText().equals(run)) {
                recorded = entry;
            }
        }
        assertThat(recorded).as(runs.out()).isNotNull();
        assertThat(recorded.get("command").asText()).isEqualTo("up");
        assertThat(recorded.get("state").asText()).isEqualTo("finished");
        assertThat(recorded.get("tenants").asInt()).isEqualTo(5);
        assertThat(recorded.get("done").asInt()).isEqualTo(5);
        Run runsText = fleet("runs");
        assertThat(runsText.exit()).as(runsText.toString()).isZero();
        assertThat(runsText.out()).contains(run);

        // Again: nothing to do, still exit 0; a postgres:// URL with a password never shows it.
        Run again = Cli.run("-C", project.toString(), "--url", Cli.postgresUrl(db.url(), PASSWORD), "fleet", "up",
                "--schemas", prefix + "%", "--json");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().get("counts").get("done").asInt()).isEqualTo(5);
        assertThat(again.json().get("tenants")).allSatisfy(t -> assertThat(t.get("migrations").asInt()).isZero());
        assertThat(again.all()).doesNotContain(PASSWORD);
        assertThat(db.column("SELECT t::text FROM gearshift_fleet.tenants t WHERE run_id = '"
                + again.json().get("run").asText() + "'")).hasSize(5).allSatisfy(row ->
                assertThat(row).doesNotContain(PASSWORD));
    }

    @Test
    void aFailingTenantExitsOneAndTheSummaryNamesIt() throws Exception {
        List<String> schemas = schemas(4);
        String bad = schemas.get(1);
        db.execute("CREATE TABLE " + bad + ".plans (conflicting int)");

        Run stopped = fleet("up", "--schemas", prefix + "%", "--parallel", "1");
        assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(1);
        assertThat(stopped.out()).contains("1 done, 1 failed, 2 skipped of 4 tenants")
                .contains("Stopped early").contains("max failures: 1")
                .contains("First failure, " + bad).contains("relation \"plans\" already exists");
        assertThat(relations(schemas.get(2))).isEmpty();

        Run goOn = fleet("up", "--schemas", prefix + "%", "--parallel", "2", "--continue-on-error", "--json");
        assertThat(goOn.exit()).as(goOn.toString()).isEqualTo(1);
        JsonNode json = goOn.json();
        assertThat(json.get("counts").get("done").asInt()).isEqualTo(3);
        assertThat(json.get("counts").get("failed").asInt()).isEqualTo(1);
        assertThat(json.get("stop_reason").isNull()).isTrue();
        JsonNode failed = json.get("tenants").get(1);
        assertThat(failed.get("tenant").asText()).isEqualTo(bad);
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("error_code").asText()).isEqualTo("migration-failed");
        assertThat(failed.get("message").asText()).contains("relation \"plans\" already exists");
        for (String schema : List.of(schemas.get(0), schemas.get(2), schemas.get(3))) {
            assertThat(applied(schema)).as(schema).isEqualTo(ALL);
        }
        assertThat(applied(bad)).isEmpty();

        // Fixed, then resumed: the failed tenant is done, exit 0.
        db.execute("DROP TABLE " + bad + ".plans");
        Run resumed = fleet("resume", json.get("run").asText(), "--schemas", prefix + "%");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("4 done, 0 failed, 0 skipped of 4 tenants");
        assertThat(applied(bad)).isEqualTo(ALL);
    }

    @Test
    void withSingleTransactionAFailingTenantKeepsNoneOfItsMigrations() throws Exception {
        List<String> schemas = schemas(2);
        String bad = schemas.get(1);
        // core/3 creates tenants: here it fails, after core/1 and core/2 ran in the same transaction.
        db.execute("CREATE TABLE " + bad + ".tenants (conflicting int)");

        Run run = fleet("up", "--schemas", prefix + "%", "--module", "core", "--to", "3", "--single-transaction",
                "--continue-on-error");

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("1 done, 1 failed").contains("relation \"tenants\" already exists");
        assertThat(applied(schemas.get(0))).containsExactly("core/1", "core/2", "core/3");
        assertThat(applied(bad)).isEmpty();
        assertThat(relations(bad)).containsExactly("tenants");
    }

    @Test
    void aDryRunLeavesNoTrace() throws Exception {
        List<String> schemas = schemas(2);

        Run dry = fleet("up", "--schemas", prefix + "%", "--dry-run", "--json");

        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.json().get("counts").get("done").asInt()).isEqualTo(2);
        assertThat(dry.json().get("tenants")).allSatisfy(t -> assertThat(t.get("migrations").asInt())
                .as("migrations run, then rolled back: %s", t).isEqualTo(8));
        for (String schema : schemas) {
            assertThat(relations(schema)).as(schema).isEmpty();
        }
        Run status = fleet("status", "--schemas", prefix + "%", "--json");
        assertThat(status.json().get("versions").get("core").get("none").asInt()).isEqualTo(2);
    }

    @Test
    void statusShowsUnreachableTenantsWithTheReasonAndNoPassword(@TempDir Path temp) throws Exception {
        Path file = temp.resolve("tenants.csv");
        StringBuilder csv = new StringBuilder("name,schema,url\n").append("here,").append(prefix).append("here,")
                .append(db.url()).append('\n');
        for (int i = 1; i <= 4; i++) {
            int closed;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                closed = socket.getLocalPort();
            }
            csv.append("gone").append(i).append(',').append(prefix).append("gone,postgres://app:").append(PASSWORD)
                    .append("@127.0.0.1:").append(closed).append("/nothing\n");
        }
        Cli.write(file, csv.toString());

        long started = System.nanoTime();
        Run text = fleet("status", "--tenants-file", file.toString(), "--parallel", "1", "--connect-timeout", "2s");
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - started);
        assertThat(text.exit()).as(text.toString()).isZero();
        assertThat(text.out()).contains("5 tenants, 0 current, 4 unreachable").contains("Not read (4):")
                .containsPattern("gone1 +unreachable +cannot connect to gone1")
                .containsPattern("here +" + prefix + "here +- +- +8 +pending");
        assertThat(text.toString()).doesNotContain(PASSWORD);
        // Four databases of 2 s each, one after another, would take 8 s.
        assertThat(took).as("status took %s", took).isLessThan(java.time.Duration.ofSeconds(6));

        Run json = fleet("status", "--tenants-file", file.toString(), "--json", "--connect-timeout", "1s");
        java.util.Map<String, JsonNode> byName = new java.util.HashMap<>();
        json.json().get("tenants").forEach(t -> byName.put(t.get("tenant").asText(), t));
        assertThat(byName.get("gone1").get("state").asText()).isEqualTo("unreachable");
        assertThat(byName.get("gone1").get("error").asText()).contains("refused");
        assertThat(byName.get("here").get("state").asText()).isEqualTo("pending");
        assertThat(json.toString()).doesNotContain(PASSWORD);

        Run bad = fleet("status", "--tenants-file", file.toString(), "--connect-timeout", "soon");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("--connect-timeout: 'soon' is not a duration");
    }

    @Test
    void filtersFromATenantsFile(@TempDir Path temp) throws Exception {
        Path file = temp.resolve("tenants.csv");
        Cli.write(file, "name,schema,auth_version\n"
                + "live1," + prefix + "live1,live\n"
                + "beta1," + prefix + "beta1,beta\n"
                + "live2," + prefix + "live2,live\n");

        Run live = fleet("up", "--tenants-file", file.toString(), "--filter", "auth_version=live");
        assertThat(live.exit()).as(live.toString()).isZero();
        assertThat(live.out()).contains("2 done, 0 failed, 0 skipped of 2 tenants");
        assertThat(applied(prefix + "live1")).isEqualTo(ALL);
        assertThat(applied(prefix + "live2")).isEqualTo(ALL);
        assertThat(db.schemaExists(prefix + "beta1")).isFalse();

        Run one = fleet("status", "--tenants-file", file.toString(), "--tenant", "beta1", "--json");
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.json().get("tenants")).singleElement().satisfies(t ->
                assertThat(t.get("tenant").asText()).isEqualTo("beta1"));

        Run unknownKey = fleet("up", "--tenants-file", file.toString(), "--filter", "auth=live");
        assertThat(unknownKey.exit()).as(unknownKey.toString()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("unknown filter key 'auth'");

        Run unknownTenant = fleet("up", "--tenants-file", file.toString(), "--tenant", "nobody");
        assertThat(unknownTenant.exit()).as(unknownTenant.toString()).isEqualTo(2);
        assertThat(unknownTenant.err()).contains("nobody");

        Path twice = temp.resolve("twice.csv");
        Cli.write(twice, "name,schema\nsame," + prefix + "a\nsame," + prefix + "b\n");
        Run duplicate = fleet("up", "--tenants-file", twice.toString());
        assertThat(duplicate.exit()).as(duplicate.toString()).isEqualTo(2);
        assertThat(duplicate.err()).contains("unique").contains("same");
        assertThat(db.schemaExists(prefix + "a")).isFalse();
    }

    @Test
    void controlCharactersInNamesAreShownEscapedNotSentToTheTerminal(@TempDir Path temp) throws Exception {
        Path file = temp.resolve("tenants.csv");
        Cli.write(file, "name,schema\nesc\u001b[2J\u001b[31mFAKE," + prefix + "esc\n");
        Run status = fleet("status", "--tenants-file", file.toString());
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.all()).doesNotContain("\u001b").contains("esc\\x1b[2J\\x1b[31mFAKE");
        // an error quoting a name is escaped the same way
        Run unknown = fleet("up", "--tenants-file", file.toString(), "--tenant", "no\u001b[31mbody\r");
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).doesNotContain("\u001b").doesNotContain("\r").contains("no\\x1b[31mbody\\x0d");
        // JSON carries the name as it is: its own escaping makes it safe
        Run json = fleet("status", "--tenants-file", file.toString(), "--json");
        assertThat(json.json().get("tenants").get(0).get("tenant").asText()).isEqualTo("esc\u001b[2J\u001b[31mFAKE");
    }

    @Test
    void anEmptySelectionExitsTwoUnlessItWasExpected() {
        Run empty = fleet("up", "--schemas", prefix + "%");
        assertThat(empty.exit()).as(empty.toString()).isEqualTo(2);
        assertThat(empty.err()).contains("no tenants matched").contains("--allow-empty");

        Run json = fleet("up", "--schemas", prefix + "%", "--json");
        assertThat(json.exit()).as(json.toString()).isEqualTo(2);
        assertThat(json.json().get("error").get("code").asText()).isEqualTo("usage");

        Run allowed = fleet("up", "--schemas", prefix + "%", "--allow-empty");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        Run status = fleet("status", "--schemas", prefix + "%", "--allow-empty");
        assertThat(status.exit()).as(status.toString()).isZero();
    }

    @Test
    void resumingOrJoiningAnUnknownRunExitsTwo() throws Exception {
        schemas(1);
        Run resume = fleet("resume", "20000101-000000-beef", "--schemas", prefix + "%");
        assertThat(resume.exit()).as(resume.toString()).isEqualTo(2);
        assertThat(resume.err()).contains("unknown fleet run '20000101-000000-beef'");
        Run worker = fleet("worker", "--run", "20000101-000000-beef", "--schemas", prefix + "%", "--json");
        assertThat(worker.exit()).as(worker.toString()).isEqualTo(2);
        assertThat(worker.json().get("error").get("message").asText()).contains("unknown fleet run");
        assertThat(relations(prefix + "0")).isEmpty();
    }

    /** In CI logs (stderr not a terminal) a run says how far it got as it goes; --json keeps stdout pure. */
    @Test
    void aRunOutsideATerminalPrintsProgressLinesOnStderr() throws Exception {
        schemas(3);

        Run up = fleet("up", "--schemas", prefix + "%", "--parallel", "1", "--json");

        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.json().get("counts").get("done").asInt()).isEqualTo(3);
        // Three tenants: a tenth of them is less than one, so every tenant gets its line.
        assertThat(up.err()).contains("Progress: 1/3 finished, 0 failed, 2 remaining")
                .contains("Progress: 2/3 finished").contains("Progress: 3/3 finished, 0 failed, 0 remaining");
        assertThat(up.out()).doesNotContain("Progress");
    }

    @Test
    void aDryRunSaysItWasOne() throws Exception {
        List<String> schemas = schemas(2);

        Run dry = fleet("up", "--schemas", prefix + "%", "--dry-run");

        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("2 done, 0 failed, 0 skipped of 2 tenants")
                .contains("Dry run: 2 tenants would be migrated, nothing was committed");
        assertThat(dry.err()).contains("2 tenants (dry run: each tenant rolled back, nothing is committed)");
        assertThat(fleet("up", "--schemas", prefix + "%", "--dry-run", "--json").json().get("dry_run").asBoolean())
                .isTrue();
        for (String schema : schemas) {
            assertThat(relations(schema)).as(schema).isEmpty();
        }
        Run real = fleet("up", "--schemas", prefix + "%", "--module", "core", "--to", "1");
        assertThat(real.out()).doesNotContain("Dry run");
    }

    @Test
    void aFailedTenantCountsTheMigrationsThatCommittedBeforeItsFailure() throws Exception {
        List<String> schemas = schemas(2);
        String bad = schemas.get(1);
        // core/3 creates tenants: core/1 and core/2 commit, each on its own, then core/3 fails.
        db.execute("CREATE TABLE " + bad + ".tenants (conflicting int)");

        Run run = fleet("up", "--schemas", prefix + "%", "--continue-on-error", "--json");

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        JsonNode failed = run.json().get("tenants").get(1);
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(applied(bad)).containsExactly("core/1", "core/2");
        assertThat(failed.get("migrations").asInt()).as(failed.toString()).isEqualTo(2);
    }

    /** A run that starts needs a tenant source; one that resumes takes its run's (see the test below). */
    @Test
    void aRunWithoutTenantsNamesWhatIsMissingOnce() {
        Run up = fleet("up");

        assertThat(up.exit()).as(up.toString()).isEqualTo(2);
        assertThat(up.err()).startsWith("error: missing one of --schemas PATTERN, --tenants-file FILE,"
                + " --tenants-query SQL\n").doesNotContain("Error:").doesNotContain("--host-override");

        Run json = fleet("up", "--parallel", "2", "--json");
        assertThat(json.exit()).as(json.toString()).isEqualTo(2);
        assertThat(json.json().get("error").get("message").asText())
                .isEqualTo("missing one of --schemas PATTERN, --tenants-file FILE, --tenants-query SQL");

        Run resume = fleet("resume", "20000101-000000-beef", "--parallel", "2", "--json");
        assertThat(resume.exit()).as(resume.toString()).isEqualTo(2);
        assertThat(resume.json().get("error").get("message").asText())
                .contains("unknown fleet run '20000101-000000-beef'");
    }

    /**
     * A run records how its tenants were chosen: resuming it needs its id alone, and a selection given as well
     * must be the run's.
     */
    @Test
    void resumeNeedsOnlyTheRunId() throws Exception {
        List<String> schemas = schemas(3);
        db.execute("CREATE SCHEMA " + prefix + "other");
        String bad = schemas.get(1);
        db.execute("CREATE TABLE " + bad + ".plans (conflicting int)");
        Run failed = fleet("up", "--schemas", prefix + "%", "--tenant", schemas.get(0), "--tenant", bad,
                "--tenant", schemas.get(2), "--continue-on-error", "--json");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
        String run = failed.json().get("run").asText();
        db.execute("DROP TABLE " + bad + ".plans");

        Run other = fleet("resume", run, "--schemas", prefix + "%");
        assertThat(other.exit()).as(other.toString()).isEqualTo(2);
        assertThat(other.err()).contains("run " + run + " chose its tenants as the schemas like '" + prefix + "%'")
                .contains("named [" + schemas.get(0) + ", " + bad + ", " + schemas.get(2) + "]");

        Run resumed = fleet("resume", run);
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("3 done, 0 failed, 0 skipped of 3 tenants");
        assertThat(applied(bad)).isEqualTo(ALL);
        assertThat(relations(prefix + "other")).isEmpty();

        Run again = fleet("resume", run, "--schemas", prefix + "%", "--tenant", bad, "--tenant", schemas.get(2),
                "--tenant", schemas.get(0), "--json");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().get("counts").get("done").asInt()).isEqualTo(3);
    }

    @Test
    void statusNamesEachTenantsProblemsAndCountsInTheSingular() throws Exception {
        List<String> schemas = schemas(1);
        Run up = fleet("up", "--schemas", prefix + "%", "--module", "core", "--to", "1");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).contains("1 done, 0 failed, 0 skipped of 1 tenant in");
        assertThat(up.err()).contains(": 1 tenant\n");
        Path script = project.resolve("migrations/core/1_create_plans.up.sql");
        Cli.write(script, Cli.read(script) + "\n-- edited after it was applied\n");

        Run status = fleet("status", "--schemas", prefix + "%");

        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).contains("1 problem\n").contains("1 tenant, 0 current")
                .containsPattern("Problems \\(1\\):\n  " + schemas.get(0) + " +checksum-mismatch +\\S");
    }

    @Test
    void tenantsAreListedWithTheirNumbersInOrder() throws Exception {
        for (String suffix : List.of("10", "2", "1")) {
            db.execute("CREATE SCHEMA " + prefix + suffix);
        }

        Run status = fleet("status", "--schemas", prefix + "%", "--json");

        assertThat(status.exit()).as(status.toString()).isZero();
        List<String> names = new ArrayList<>();
        status.json().get("tenants").forEach(t -> names.add(t.get("tenant").asText()));
        assertThat(names).containsExactly(prefix + "1", prefix + "2", prefix + "10");
        Run text = fleet("status", "--schemas", prefix + "%");
        assertThat(text.out().indexOf(prefix + "2 ")).isLessThan(text.out().indexOf(prefix + "10 "));
    }
}
