package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.Gearshift;
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

/** What users of Flyway and golang-migrate type first: help, up N, down N, migrate, info, version, -v, goto. */
@ExtendWith(PostgresExtension.class)
class OtherToolsHabitsTest {

    private TestDatabase db;
    private Path project;
    private String schema;

    @BeforeEach
    void project(TestDatabase db, @TempDir Path temp) {
        this.db = db;
        this.project = temp;
        this.schema = db.newSchema();
        for (String name : List.of("1_create_a", "2_create_b", "3_create_c", "4_create_d")) {
            String table = name.substring(name.length() - 1);
            Cli.write(temp.resolve("migrations/core/" + name + ".up.sql"), "CREATE TABLE " + table + " (id int);\n");
            Cli.write(temp.resolve("migrations/core/" + name + ".down.sql"), "DROP TABLE " + table + ";\n");
        }
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of("-C", project.toString(), "--url", db.url(), "--schema", schema,
                "--create-schema"));
        all.addAll(List.of(args));
        return Cli.run(all);
    }

    private Run succeeds(String... args) {
        Run run = cli(args);
        assertThat(run.exit()).as(run.toString()).isZero();
        return run;
    }

    private List<String> tables() throws Exception {
        return db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema
                + "' AND table_name <> 'gearshift_history' ORDER BY 1");
    }

    @Test
    void helpNamesACommandOrPrintsTheMainUsage() {
        Run up = Cli.run("help", "up");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).contains("Usage: gearshift up").contains("--steps").contains("[N]")
                .isEqualTo(Cli.run("up", "--help").out());
        Run alias = Cli.run("help", "migrate");
        assertThat(alias.out()).isEqualTo(up.out());
        Run main = Cli.run("help");
        assertThat(main.exit()).isZero();
        assertThat(main.out()).contains("Usage: gearshift").isEqualTo(Cli.run("--help").out());
        Run unknown = Cli.run("help", "sideways");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("sideways");
    }

    @Test
    void upAndDownTakeACountAsGolangMigrateDoes() throws Exception {
        assertThat(succeeds("up", "2").out()).startsWith("Applied 2 migrations");
        assertThat(tables()).containsExactly("a", "b");
        succeeds("up");
        assertThat(tables()).containsExactly("a", "b", "c", "d");

        // a bare down keeps reverting one: Gearshift's safer default, not golang-migrate's everything
        succeeds("down");
        assertThat(tables()).containsExactly("a", "b", "c");
        succeeds("down", "2");
        assertThat(tables()).containsExactly("a");
        succeeds("up", "1", "--module", "core");
        assertThat(tables()).containsExactly("a", "b");
        succeeds("down", "--all");
        assertThat(tables()).isEmpty();
    }

    @Test
    void aCountExcludesTheOtherTargets() throws Exception {
        for (List<String> args : List.of(List.of("up", "2", "--steps", "2"), List.of("up", "2", "--to", "3"),
                List.of("down", "1", "--all"), List.of("down", "--all", "--to", "1"))) {
            Run run = cli(args.toArray(String[]::new));
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("exclude each other");
        }
        Run zero = cli("up", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("steps must be at least 1");
        assertThat(db.schemaExists(schema)).isFalse();
    }

    @Test
    void flywaysMigrateAndInfoAreUpAndStatus() throws Exception {
        Run info = succeeds("info", "--json");
        assertThat(Cli.versions(info.json().get("modules").get(0).get("pending"))).containsExactly(1L, 2L, 3L, 4L);
        assertThat(succeeds("migrate").out()).startsWith("Applied 4 migrations");
        assertThat(tables()).containsExactly("a", "b", "c", "d");
        assertThat(succeeds("info").out()).isEqualTo(succeeds("status").out());
    }

    @Test
    void golangMigratesGotoAndForceGetAPointer() throws Exception {
        Run go = cli("goto", "3");
        assertThat(go.exit()).isEqualTo(2);
        assertThat(go.err()).contains("unknown command 'goto'", "gearshift up --to V", "gearshift down --to V")
                .doesNotContain("Did you mean");
        Run force = cli("force", "3", "--json");
        assertThat(force.exit()).isEqualTo(2);
        JsonNode error = force.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("usage");
        assertThat(error.get("message").asText()).contains("gearshift repair", "gearshift baseline --version V");
        assertThat(db.schemaExists(schema)).isFalse();
    }

    @Test
    void versionIsTheToolsAndPointsToStatus() {
        String expected = "gearshift " + Gearshift.version() + "\n";
        for (String spelling : List.of("--version", "-V", "-v")) {
            Run run = Cli.run(spelling);
            assertThat(run.exit()).as(spelling).isZero();
            assertThat(run.out().replace("\r\n", "\n")).as(spelling).isEqualTo(expected);
        }
        Run command = Cli.run("version");
        assertThat(command.exit()).isZero();
        assertThat(command.out().replace("\r\n", "\n")).isEqualTo(expected);
        assertThat(command.err()).contains("gearshift status");
        Run json = Cli.run("version", "--json");
        assertThat(json.json().get("version").asText()).isEqualTo(Gearshift.version());
    }

    @Test
    void anUnknownArgumentIsNamedWithItsCommandNotCountedAmongTheGlobalOptions() throws Exception {
        Run extra = cli("up", "2", "3");
        assertThat(extra.exit()).isEqualTo(2);
        assertThat(extra.err()).contains("unknown argument '3' for 'gearshift up'").doesNotContain("index");
        Run notANumber = cli("up", "foo");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).contains("invalid N 'foo' for 'gearshift up': 'foo' is not an int")
                .doesNotContain("index");
        Run two = cli("status", "foo", "bar");
        assertThat(two.err()).contains("unknown arguments 'foo', 'bar' for 'gearshift status'")
                .doesNotContain("index");
        Run json = cli("status", "foo", "--json");
        assertThat(json.json().get("error").get("message").asText())
                .isEqualTo("unknown argument 'foo' for 'gearshift status'");

        // picocli's suggestions stay
        Run typo = cli("stauts");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown command 'stauts'", "Did you mean", "status")
                .doesNotContain("index");
        Run option = cli("up", "--dry-runn");
        assertThat(option.err()).contains("unknown option '--dry-runn' for 'gearshift up'", "--dry-run");
        assertThat(db.schemaExists(schema)).isFalse();
    }
}
