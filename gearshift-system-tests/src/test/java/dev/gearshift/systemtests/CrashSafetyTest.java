package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code gearshift up} at random moments: after every crash the status tells the truth, nothing is
 * half applied, a re-run finishes, and the schema ends up identical to a clean run's.
 *
 * <p>Trials: system property {@code gearshift.crash.trials} (12 by default, 100 with {@code -Preliability});
 * {@code gearshift.crash.seed} replays the same kill plan. A sixth of the kills land before the first write
 * (JVM start, validation: one random moment in each equal slice of that time); the others are spread evenly
 * over the migrations, each at a random moment inside one (after k migrations committed, within the time the
 * next one took in a clean run), so every phase is hit: schema creation, each migration, the commit between
 * two, the no-transaction index build before, during and after its CREATE INDEX CONCURRENTLY.
 */
@ExtendWith(PostgresExtension.class)
class CrashSafetyTest {

    private static final Report REPORT = Report.of(CrashSafetyTest.class);

    /** Appended to every SQL migration of the project copy, to give kills a wide window inside migrations. */
    private static final String SLEEP = "SELECT pg_sleep(0.05);";
    /** The no-transaction index build sleeps longer on both sides of its CREATE INDEX CONCURRENTLY. */
    private static final String LONG_SLEEP = "SELECT pg_sleep(0.25);";
    private static final int SLOW_MIGRATIONS = 4;

    /**
     * What each migration leaves in the schema, present exactly when the migration is applied: a relation,
     * optionally with a number of rows matching a condition.
     */
    private record Work(String relation, String rowsWhere, long rows) {
        boolean present(TestDatabase db, String schema) throws Exception {
            if (db.column("SELECT to_regclass('" + schema + "." + relation + "')").get(0) == null) {
                return false;
            }
            return rowsWhere == null
                    || Db.count(db, "SELECT count(*) FROM " + schema + "." + relation + " WHERE " + rowsWhere) == rows;
        }
    }

    private static final Map<String, Work> WORK = new LinkedHashMap<>();

    static {
        WORK.put("core/1", new Work("plans", null, 0));
        WORK.put("core/2", new Work("plans", "true", 3));
        WORK.put("core/3", new Work("tenants", null, 0));
        WORK.put("core/4", new Work("tenants_email_idx", null, 0));
        WORK.put("core/5", new Work("plans", "features <> '{}'::jsonb", 3));
        WORK.put("core/6", new Work("tenant_directory", null, 0));
        WORK.put("auth/1", new Work("users", null, 0));
        WORK.put("auth/2", new Work("sessions", null, 0));
        for (int version = 1; version <= SLOW_MIGRATIONS; version++) {
            WORK.put("zslow/" + version, new Work("slow_" + version, "true", 1000));
        }
    }

    @Test
    void killNineAtAnyMomentLeavesNothingHalfDoneAndARerunFinishes(TestDatabase db, @TempDir Path dir) throws Exception {
        int trials = Integer.getInteger("gearshift.crash.trials", 12);
        long seed = Long.getLong("gearshift.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path project = slowedExample(dir.resolve("project"));

        // The reference: a clean run, and how long it takes (the second one: the first warms the disk cache).
        String reference = db.newSchema();
        Cli.Outcome clean = up(db, project, reference, "gs-crash-ref");
        assertThat(clean.exit()).as("%s", clean).isZero();
        Db.dropSchema(db, reference);
        Cli.Running measured = Cli.start(upArgs(db, project, reference, "gs-crash-ref"));
        // When the run first writes (creates the schema): before it, the JVM starts and the sources are checked.
        Db.await("the reference run to create its schema", Duration.ofMinutes(1),
                () -> Db.schemaExistsQuietly(db, reference) || !measured.process.isAlive());
        long firstWriteMs = (System.nanoTime() - measured.started) / 1_000_000;
        clean = measured.await();
        assertThat(clean.exit()).as("%s", clean).isZero();
        String cleanSnapshot = db.snapshot(reference);
        String cleanData = Db.data(db, reference);
        assertThat(Db.stateFromHistory(Db.history(db, reference))).as("the clean run")
                .containsOnlyKeys(WORK.keySet()).allSatisfy((migration, state) -> assertThat(state).isEqualTo("applied"));
        Duration window = clean.took();
        List<Long> durations = db.column("SELECT duration_ms FROM " + reference + ".gearshift_history"
                + " WHERE outcome = 'success' ORDER BY id").stream().map(Long::valueOf).toList();
        // A sixth of the kills land before the first write (JVM start, validation), at moments spread over that
        // time; the others are spread evenly over the migrations, each at a random moment inside one: after k
        // migrations have committed, within the time the next one took in the clean run. Pinned to progress
        // rather than to the clock, the plan holds however busy the machine is.
        int early = Math.max(1, trials / 6);

        Map<String, Integer> killPoints = new TreeMap<>();
        int repaired = 0;
        int finishedFirst = 0;
        long started = System.nanoTime();
        for (int trial = 0; trial < trials; trial++) {
            KillAt killAt;
            if (trial < early) {
                killAt = new KillAt(-1, (long) ((trial + random.nextDouble()) / early * firstWriteMs));
            } else {
                int committed = (trial - early) * WORK.size() / (trials - early);
                killAt = new KillAt(committed, (long) (random.nextDouble() * (durations.get(committed) + 10)));
            }
            Trial result = trial(db, project, trial, killAt);
            killPoints.merge(result.killPoint, 1, Integer::sum);
            repaired += result.repaired ? 1 : 0;
            finishedFirst += result.finishedBeforeKill ? 1 : 0;
            assertThat(db.snapshot(result.schema)).as("trial %d: the schema after the crash and the re-run", trial)
                    .isEqualTo(cleanSnapshot.replace(reference, result.schema));
            assertThat(Db.data(db, result.schema)).as("trial %d: the rows after the crash and the re-run", trial)
                    .isEqualTo(cleanData);
            Db.dropSchema(db, result.schema);
        }
        Db.dropSchema(db, reference);
        Duration all = Duration.ofNanos(System.nanoTime() - started);

        REPORT.line("crash trials: " + trials + " (seed " + seed + "), clean run " + window.toMillis() + " ms (first"
                + " write after " + firstWriteMs + " ms; " + early + " kills before it, " + (trials - early)
                + " spread over the migrations), "
                + WORK.size() + " migrations (example project, every SQL script slowed by " + SLEEP + ", plus "
                + SLOW_MIGRATIONS + " generated ones)");
        REPORT.line("kill points (state found after the kill): " + killPoints);
        REPORT.line("no-transaction migration interrupted, repaired as instructed: " + repaired
                + "; runs that finished before the kill: " + finishedFirst);
        REPORT.line("outcome: every trial re-ran to exit 0, schema and rows identical to the clean run,"
                + " no migration applied twice; " + all.toMillis() + " ms in all, "
                + all.toMillis() / trials + " ms per trial");
    }

    private record Trial(String schema, String killPoint, boolean repaired, boolean finishedBeforeKill) {
    }

    /** When to kill: {@code delayMs} after the start ({@code committed} -1) or after that many migrations committed. */
    private record KillAt(int committed, long delayMs) {
        @Override
        public String toString() {
            return delayMs + " ms after " + (committed < 0 ? "the start" : committed + " migrations committed");
        }
    }

    private Trial trial(TestDatabase db, Path project, int trial, KillAt killAt) throws Exception {
        String schema = db.newSchema();
        String app = "gs-crash-" + schema;
        Cli.Running running = Cli.start(upArgs(db, project, schema, app));
        if (killAt.committed() >= 0) {
            awaitCommitted(db, schema, killAt.committed(), running.process);
        }
        Thread.sleep(killAt.delayMs()); // the kill moment, not an assertion
        Cli.Outcome killed = running.kill();
        boolean finishedBeforeKill = killed.exit() == 0;
        String context = "trial " + trial + " (killed " + killAt + ", schema " + schema + ")";
        // A backend busy with a statement ends (and lets go of its locks) only when that statement is over.
        Db.awaitBackendsGone(db, app, Duration.ofMinutes(1));

        // 1. The truth, read from the database directly.
        List<Db.Row> history = Db.history(db, schema);
        Map<String, String> state = Db.stateFromHistory(history);
        assertThat(Db.appliedTwice(history)).as("%s: applied twice", context).isEmpty();
        for (Map.Entry<String, Work> work : WORK.entrySet()) {
            String migration = work.getKey();
            boolean present = work.getValue().present(db, schema);
            String recorded = state.getOrDefault(migration, "pending");
            if (recorded.equals("failed")) {
                assertThat(migration).as("%s: only the no-transaction migration can be left failed", context)
                        .isEqualTo("core/4");
                continue;
            }
            assertThat(present).as("%s: %s is %s in the history, so its work must %sbe there", context, migration,
                    recorded, recorded.equals("applied") ? "" : "not ").isEqualTo(recorded.equals("applied"));
        }
        if (state.getOrDefault("core/4", "").equals("applied")) {
            assertThat(Db.invalidIndexes(db, schema)).as("%s: core/4 is applied", context).isEmpty();
        }

        String killPoint = killPoint(db, schema, history, state, finishedBeforeKill);

        // 2. status --json says the same.
        Cli.Running validating = Cli.start(common(db, schema, app, project, "validate", "--json"));
        Cli.Outcome status = Cli.run(common(db, schema, app, project, "status", "--json"));
        // an interrupted no-transaction migration is a problem, which status reports with exit 2
        assertThat(status.exit()).as("%s", status).isEqualTo(state.containsValue("failed") ? 2 : 0);
        Map<String, TreeSet<Long>> applied = new TreeMap<>();
        Map<String, TreeSet<Long>> failed = new TreeMap<>();
        for (JsonNode module : status.json().get("modules")) {
            applied.put(module.get("module").asText(), versions(module.get("applied")));
            failed.put(module.get("module").asText(), versions(module.get("failed")));
        }
        for (String module : List.of("core", "auth", "zslow")) {
            assertThat(applied.get(module)).as("%s: status --json applied of %s\n%s", context, module, status)
                    .isEqualTo(inState(state, module, "applied"));
            assertThat(failed.get(module)).as("%s: status --json failed of %s\n%s", context, module, status)
                    .isEqualTo(inState(state, module, "failed"));
        }

        // 3. validate passes, or names the interrupted no-transaction migration and says how to repair it.
        Cli.Outcome validate = validating.await();
        boolean repaired = false;
        if (state.containsValue("failed")) {
            assertThat(validate.exit()).as("%s", validate).isEqualTo(2);
            JsonNode problems = validate.json().get("error").get("problems");
            assertThat(problems).as("%s", validate).hasSize(1);
            assertThat(problems.get(0).get("code").asText()).isEqualTo("failed-migration");
            assertThat(problems.get(0).get("location").asText()).contains("core/4");
            assertThat(problems.get(0).get("message").asText()).contains("gearshift repair");
            // As the instructions say: undo the partial work by hand, then repair.
            for (String index : Db.invalidIndexes(db, schema)) {
                db.execute("DROP INDEX " + schema + "." + index);
            }
            Cli.Outcome repair = Cli.run(common(db, schema, app, project, "repair"));
            assertThat(repair.exit()).as("%s", repair).isZero();
            assertThat(repair.out()).as("%s", repair).contains("core/4_tenant_email_index");
            repaired = true;
        } else {
            assertThat(validate.exit()).as("%s", validate).isZero();
        }

        // 4. A re-run finishes.
        Cli.Outcome rerun = up(db, project, schema, app);
        assertThat(rerun.exit()).as("%s: the re-run\n%s", context, rerun).isZero();
        List<Db.Row> finalHistory = Db.history(db, schema);
        assertThat(Db.appliedTwice(finalHistory)).as("%s: applied twice", context).isEmpty();
        assertThat(new TreeSet<>(Db.stateFromHistory(finalHistory).entrySet().stream()
                .filter(e -> e.getValue().equals("applied")).map(Map.Entry::getKey).toList()))
                .as("%s: everything applied", context).isEqualTo(new TreeSet<>(WORK.keySet()));
        assertThat(Db.invalidIndexes(db, schema)).as(context).isEmpty();
        return new Trial(schema, killPoint, repaired, finishedBeforeKill);
    }

    /** Polls (bounded) until {@code committed} migrations have committed (0: the schema exists) or the run ended. */
    private static void awaitCommitted(TestDatabase db, String schema, int committed, Process run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (java.sql.Connection connection = db.connect(); java.sql.Statement statement = connection.createStatement()) {
            while (run.isAlive()) {
                boolean reached;
                boolean hasTable;
                try (java.sql.ResultSet found = statement.executeQuery("SELECT to_regnamespace('" + schema + "'),"
                        + " to_regclass('" + schema + ".gearshift_history')")) {
                    found.next();
                    reached = committed == 0 && found.getString(1) != null;
                    hasTable = found.getString(2) != null;
                }
                if (!reached && hasTable) {
                    try (java.sql.ResultSet count = statement.executeQuery("SELECT count(*) FROM " + schema
                            + ".gearshift_history WHERE outcome = 'success'")) {
                        count.next();
                        reached = count.getLong(1) >= committed;
                    }
                }
                if (reached) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the run never committed " + committed + " migrations");
                }
                Thread.sleep(2);
            }
        }
    }

    private static String killPoint(TestDatabase db, String schema, List<Db.Row> history, Map<String, String> state,
                                    boolean finished) throws Exception {
        if (finished) {
            return "z: after the run ended";
        }
        if (history.isEmpty()) {
            return "a: before the first migration (" + (Db.schemaExistsQuietly(db, schema) ? "schema created"
                    : "nothing written yet") + ")";
        }
        long applied = state.values().stream().filter("applied"::equals).count();
        if (state.containsValue("failed")) {
            return "c: inside the no-transaction core/4, after " + applied + " applied";
        }
        return String.format("b: after %02d of %d applied", applied, WORK.size());
    }

    private static TreeSet<Long> inState(Map<String, String> state, String module, String wanted) {
        TreeSet<Long> versions = new TreeSet<>();
        state.forEach((migration, value) -> {
            if (migration.startsWith(module + "/") && value.equals(wanted)) {
                versions.add(Long.parseLong(migration.substring(module.length() + 1)));
            }
        });
        return versions;
    }

    private static TreeSet<Long> versions(JsonNode array) {
        TreeSet<Long> versions = new TreeSet<>();
        array.forEach(v -> versions.add(v.asLong()));
        return versions;
    }

    private static Cli.Outcome up(TestDatabase db, Path project, String schema, String app) {
        return Cli.run(upArgs(db, project, schema, app));
    }

    private static List<String> upArgs(TestDatabase db, Path project, String schema, String app) {
        return common(db, schema, app, project, "--create-schema", "up");
    }

    private static List<String> common(TestDatabase db, String schema, String app, Path project, String... command) {
        List<String> args = new ArrayList<>(List.of("--url", Db.withApplicationName(db.url(), app), "--schema", schema,
                "-C", project.toString()));
        args.addAll(List.of(command));
        return args;
    }

    /**
     * The example project with a wider window for kills inside migrations: every SQL script also sleeps (the
     * no-transaction index build before and after its CREATE INDEX CONCURRENTLY), and a generated module
     * {@code zslow} adds migrations that load rows between sleeps.
     */
    private static Path slowedExample(Path into) throws Exception {
        Path project = Projects.copyExample(into);
        try (Stream<Path> files = Files.walk(project.resolve("migrations"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".up.sql")).toList()) {
                String text = Files.readString(file);
                boolean indexBuild = text.contains("CREATE INDEX CONCURRENTLY");
                text = text.replace("CREATE INDEX CONCURRENTLY", LONG_SLEEP + "\nCREATE INDEX CONCURRENTLY");
                Files.writeString(file, text + (text.endsWith("\n") ? "" : "\n") + (indexBuild ? LONG_SLEEP : SLEEP) + "\n");
            }
        }
        for (int version = 1; version <= SLOW_MIGRATIONS; version++) {
            Projects.write(project.resolve("migrations/zslow/" + version + "_slow_" + version + ".up.sql"),
                    "CREATE TABLE slow_" + version + " (id integer PRIMARY KEY, note text);\n" + SLEEP + "\n"
                            + "INSERT INTO slow_" + version + " SELECT g, md5(g::text) FROM generate_series(1, 1000) g;\n"
                            + SLEEP + "\n");
        }
        return project;
    }
}
