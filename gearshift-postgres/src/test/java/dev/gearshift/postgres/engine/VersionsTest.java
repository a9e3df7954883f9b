package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.JsonShapes;
import dev.gearshift.MigrationContext;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Versions as ordered keys (dotted versions through the Java API), repeatable migrations, and history tables
 * made before either, which keep working unchanged.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class VersionsTest {

    @TempDir
    Path dir;

    /** Runs its SQL; versioned when given a version, else repeatable, with the SQL as its checksum. */
    record Sql(Optional<Version> declared, String name, String sql) implements JavaMigration {

        static Sql at(String version, String name, String sql) {
            return new Sql(Optional.of(Version.parse(version)), name, sql);
        }

        static Sql repeatable(String name, String sql) {
            return new Sql(Optional.empty(), name, sql);
        }

        @Override
        public Optional<Version> version() {
            return declared;
        }

        @Override
        public boolean repeatable() {
            return declared.isEmpty();
        }

        @Override
        public String checksum() {
            return sql;
        }

        @Override
        public void up(MigrationContext context) throws Exception {
            try (Statement statement = context.connection().createStatement()) {
                statement.execute(sql);
                statement.execute("CREATE TABLE IF NOT EXISTS run_log (id int GENERATED ALWAYS AS IDENTITY,"
                        + " what text)");
                statement.execute("INSERT INTO run_log (what) VALUES ('" + name + " "
                        + context.version().map(String::valueOf).orElse("R") + "')");
            }
        }

        @Override
        public void down(MigrationContext context) throws Exception {
            try (Statement statement = context.connection().createStatement()) {
                statement.execute("INSERT INTO run_log (what) VALUES ('down " + name + "')");
            }
        }
    }

    private static Gearshift gearshift(TestProject project, JavaMigration... list) {
        return Gearshift.configure().url(project.db.url()).schema(project.schema).createSchema(true)
                .java("app", List.of(list)).build();
    }

    @Test
    void appliesDottedVersionsInTheirOrderAndShowsThem(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir);
        // Listed out of order on purpose: 1.10 comes after 1.9, and 2 after both.
        List<JavaMigration> list = List.of(Sql.at("2", "two", "SELECT 1"), Sql.at("1.10", "ten", "SELECT 1"),
                Sql.at("1.9", "nine", "SELECT 1"), Sql.at("0.28", "base", "SELECT 1"));
        Gearshift gs = gearshift(project, list.toArray(JavaMigration[]::new));

        assertThat(gs.planUp(Target.version(Version.parse("1.9"))).steps()).extracting(s -> s.id())
                .containsExactly("app/0.28_base", "app/1.9_nine");
        Result first = gs.up(Target.version(Version.parse("1.9")));
        assertThat(first.applied()).extracting(Result.Applied::id).containsExactly("app/0.28_base", "app/1.9_nine");
        ModuleStatus status = gs.status().module("app").orElseThrow();
        assertThat(status.current()).contains(Version.parse("1.9"));
        assertThat(status.pending()).containsExactly(Version.parse("1.10"), Version.of(2));

        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/1.10_ten", "app/2_two");
        assertThat(project.column("SELECT string_agg(what, ',' ORDER BY id) FROM <schema>.run_log"))
                .containsExactly("base 0.28,nine 1.9,ten 1.10,two 2");
        assertThat(gs.history()).extracting(HistoryEntry::migrationId)
                .containsExactly("app/0.28_base", "app/1.9_nine", "app/1.10_ten", "app/2_two");
        // An integer version stays in the integer column; the others are kept as text.
        assertThat(project.column("SELECT coalesce(version::text, '-') || ' ' || coalesce(version_key, '-')"
                + " FROM <schema>.gearshift_history ORDER BY id"))
                .containsExactly("- 0.28", "- 1.9", "- 1.10", "2 -");
        Map<String, Object> json = JsonShapes.status(gs.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> app = ((List<Map<String, Object>>) json.get("modules")).get(0);
        @SuppressWarnings("unchecked")
        List<Object> appliedJson = (List<Object>) app.get("applied");
        assertThat(app.get("current")).isEqualTo(2L);
        assertThat(appliedJson).containsExactly("0.28", "1.9", "1.10", 2L);

        // Down by version order of application: back to 1.9.
        assertThat(gs.down(Target.version(Version.parse("1.9"))).applied()).extracting(Result.Applied::id)
                .containsExactly("app/2_two", "app/1.10_ten");
        assertThat(gs.status().module("app").orElseThrow().current()).contains(Version.parse("1.9"));
    }

    @Test
    void runsARepeatableMigrationAgainOnlyWhenItChanges(TestDatabase db) throws Exception {
        TestProject project = new TestProject(db, dir);
        JavaMigration table = Sql.at("1", "plans", "CREATE TABLE plans (id int, name text)");
        JavaMigration view = Sql.repeatable("plan_names", "CREATE OR REPLACE VIEW plan_names AS SELECT name FROM plans");

        Gearshift gs = gearshift(project, view, table);
        assertThat(gs.status().module("app").orElseThrow().pendingRepeatables()).containsExactly("plan_names");
        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("app/1_plans", "app/R_plan_names");
        ModuleStatus applied = gs.status().module("app").orElseThrow();
        assertThat(applied.isCurrent()).isTrue();
        assertThat(applied.current()).contains(Version.of(1));

        // Unchanged: nothing to run, however often up is called.
        assertThat(gearshift(project, table, view).up().applied()).isEmpty();

        JavaMigration changed = Sql.repeatable("plan_names",
                "CREATE OR REPLACE VIEW plan_names AS SELECT name, id FROM plans");
        Gearshift edited = gearshift(project, table, changed);
        Status status = edited.status();
        assertThat(status.problems()).isEmpty(); // a changed repeatable is no checksum mismatch
        assertThat(status.module("app").orElseThrow().pendingRepeatables()).containsExactly("plan_names");
        assertThat(edited.up().applied()).extracting(Result.Applied::id).containsExactly("app/R_plan_names");
        assertThat(edited.up().applied()).isEmpty();
        assertThat(project.column("SELECT string_agg(column_name, ',' ORDER BY ordinal_position)"
                + " FROM information_schema.columns WHERE table_schema = '" + project.schema
                + "' AND table_name = 'plan_names'")).containsExactly("name,id");
        assertThat(project.column("SELECT coalesce(version::text, '-') || ' ' || coalesce(version_key, '-') || ' ' || name"
                + " FROM <schema>.gearshift_history ORDER BY id"))
                .containsExactly("1 - plans", "- - plan_names", "- - plan_names");

        // Removed from the sources: no problem, nothing runs. Down never reverts it.
        Gearshift without = gearshift(project, table);
        assertThat(without.status().problems()).isEmpty();
        assertThat(without.down(Target.zero()).applied()).extracting(Result.Applied::id).containsExactly("app/1_plans");
    }

    /** Today's history table: the one every Gearshift before dotted versions created. */
    private static final String OLD_HISTORY_DDL = "CREATE TABLE %s.gearshift_history ("
            + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, module text NOT NULL, version bigint NOT NULL,"
            + " name text NOT NULL, kind text NOT NULL,"
            + " action text NOT NULL CHECK (action IN ('up', 'down', 'baseline', 'repair')), checksum text,"
            + " outcome text NOT NULL CHECK (outcome IN ('success', 'failed', 'rolled-back', 'started')), error text,"
            + " installed_by text NOT NULL DEFAULT current_user,"
            + " installed_at timestamptz NOT NULL DEFAULT clock_timestamp(), duration_ms bigint NOT NULL,"
            + " tool_version text NOT NULL, follows bigint UNIQUE)";

    @Test
    void readsAndAppendsToAHistoryTableMadeBeforeVersionKeys(TestDatabase db) throws Exception {
        TestProject old = new TestProject(db, dir.resolve("old")).write("core/1_plans.up.sql", "CREATE TABLE plans (id int);")
                .write("core/2_prices.up.sql", "CREATE TABLE prices (id int);");
        TestProject fresh = new TestProject(db, dir.resolve("fresh")).write("core/1_plans.up.sql", "CREATE TABLE plans (id int);")
                .write("core/2_prices.up.sql", "CREATE TABLE prices (id int);");
        db.execute("CREATE SCHEMA \"" + old.schema + "\"");
        db.execute(String.format(OLD_HISTORY_DDL, "\"" + old.schema + "\""));
        db.execute("CREATE TABLE \"" + old.schema + "\".plans (id int)");
        // Version 1 as an older Gearshift recorded it, with the checksum of the same file.
        fresh.gearshift().up(Target.version(1));
        String checksum = fresh.column("SELECT checksum FROM <schema>.gearshift_history").get(0);
        db.execute("INSERT INTO \"" + old.schema + "\".gearshift_history (module, version, name, kind, action, checksum,"
                + " outcome, duration_ms, tool_version) VALUES ('core', 1, 'plans', 'sql', 'up', '" + checksum
                + "', 'success', 3, '0.1.0')");

        // Read as it is, alone and beside a table made today (one query over both).
        Gearshift gs = old.gearshift();
        assertThat(gs.status().module("core").orElseThrow().current()).contains(Version.of(1));
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.url());
        Map<String, Status> both = gs.project().statusOfSchemas(db.url(), dataSource, "test",
                List.of(old.schema, fresh.schema));
        assertThat(both.values()).allSatisfy(s -> {
            assertThat(s.problems()).isEmpty();
            assertThat(s.module("core").orElseThrow().current()).contains(Version.of(1));
            assertThat(s.module("core").orElseThrow().pending()).containsExactly(Version.of(2));
        });

        assertThat(gs.up().applied()).extracting(Result.Applied::id).containsExactly("core/2_prices");
        // Integer versions are stored as they always were: an older Gearshift reads the table alike.
        assertThat(old.column("SELECT version || ' ' || name FROM <schema>.gearshift_history ORDER BY id"))
                .containsExactly("1 plans", "2 prices");
        assertThat(old.column("SELECT count(*) FROM <schema>.gearshift_history WHERE version_key IS NOT NULL"))
                .containsExactly("0");
        assertThat(gs.history()).extracting(HistoryEntry::version)
                .containsExactly(Optional.of(Version.of(1)), Optional.of(Version.of(2)));
        assertThat(old.gearshift().status().module("core").orElseThrow().isCurrent()).isTrue();
    }
}
