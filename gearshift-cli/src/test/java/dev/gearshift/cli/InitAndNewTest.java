package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code init} and {@code new}: a project skeleton, the next migration files, and unedited files refused. */
@ExtendWith(PostgresExtension.class)
class InitAndNewTest {

    @Test
    void initCreatesTheSkeletonOnceOnly(@TempDir Path temp) throws Exception {
        Run init = run("-C", temp.toString(), "init");
        assertThat(init.exit()).as(init.toString()).isZero();
        assertThat(temp.resolve("gearshift.yaml")).isRegularFile();
        assertThat(temp.resolve("migrations/core")).isDirectory();
        assertThat(Cli.read(temp.resolve("gearshift.yaml"))).contains("migrations: migrations", "core: {}");
        assertThat(init.out()).contains("Created " + temp.resolve("gearshift.yaml"));

        String yaml = Cli.read(temp.resolve("gearshift.yaml"));
        Run again = run("-C", temp.toString(), "init");
        assertThat(again.exit()).as(again.toString()).isEqualTo(2);
        assertThat(again.err()).contains("gearshift.yaml already exists");
        assertThat(Cli.read(temp.resolve("gearshift.yaml"))).isEqualTo(yaml);

        Run json = run("init", temp.resolve("other").toString(), "--module", "billing", "--json");
        assertThat(json.exit()).as(json.toString()).isZero();
        assertThat(json.json().get("created")).hasSize(2);
        assertThat(temp.resolve("other/migrations/billing")).isDirectory();
        Run jsonAgain = run("init", temp.resolve("other").toString(), "--json");
        assertThat(jsonAgain.exit()).isEqualTo(2);
        assertThat(jsonAgain.json().get("error").get("code").asText()).isEqualTo("usage");
    }

    @Test
    void newWritesTheNextVersion(@TempDir Path temp) throws Exception {
        assertThat(run("-C", temp.toString(), "init").exit()).isZero();
        Path core = temp.resolve("migrations/core");

        Run first = run("-C", temp.toString(), "new", "core", "add_orders");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(files(core)).containsExactly("1_add_orders.down.sql", "1_add_orders.up.sql");
        assertThat(first.out()).contains("1_add_orders.up.sql", "1_add_orders.down.sql");

        Run second = run("new", "core", "add_invoices", "-C", temp.toString(), "--json");
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.json().get("created").get(0).asText()).endsWith("2_add_invoices.up.sql");
        assertThat(files(core)).contains("2_add_invoices.up.sql", "2_add_invoices.down.sql");

        // a new module folder is created on demand
        assertThat(run("-C", temp.toString(), "new", "auth", "create-users").exit()).isZero();
        assertThat(files(temp.resolve("migrations/auth"))).containsExactly("1_create-users.down.sql",
                "1_create-users.up.sql");

        long before = Instant.now().getEpochSecond();
        Run stamped = run("-C", temp.toString(), "new", "core", "backfill", "--timestamp");
        long after = Instant.now().getEpochSecond();
        assertThat(stamped.exit()).as(stamped.toString()).isZero();
        String up = files(core).stream().filter(name -> name.endsWith("_backfill.up.sql")).findFirst().orElseThrow();
        long version = Long.parseLong(up.substring(0, up.indexOf('_')));
        assertThat(version).isBetween(before, after);

        // the next sequence number follows the timestamp: versions only grow
        assertThat(run("-C", temp.toString(), "new", "core", "after_stamp").exit()).isZero();
        assertThat(files(core)).contains((version + 1) + "_after_stamp.up.sql");
    }

    @Test
    void newRefusesBadNames(@TempDir Path temp) throws Exception {
        assertThat(run("-C", temp.toString(), "init").exit()).isZero();
        for (String name : List.of("bad name", "_leading", "drop;table", "../escape")) {
            Run bad = run("-C", temp.toString(), "new", "core", name);
            assertThat(bad.exit()).as(name + ": " + bad).isEqualTo(2);
            assertThat(bad.err()).contains("'" + name + "' is not a valid migration name");
        }
        Run badModule = run("-C", temp.toString(), "new", "Core Module", "x");
        assertThat(badModule.exit()).isEqualTo(2);
        assertThat(badModule.err()).contains("not a valid module name");
        Run missingName = run("-C", temp.toString(), "new", "core");
        assertThat(missingName.exit()).isEqualTo(2);
        assertThat(missingName.err()).contains("Missing required parameter");
        assertThat(files(temp.resolve("migrations/core"))).isEmpty();
    }

    @Test
    void newHonoursTheMigrationsDirectoryOfGearshiftYaml(@TempDir Path temp) throws Exception {
        Cli.write(temp.resolve("gearshift.yaml"), "migrations: db/changes\nmodules:\n  core: {}\n");
        Run created = run("-C", temp.toString(), "new", "core", "first");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(files(temp.resolve("db/changes/core"))).containsExactly("1_first.down.sql", "1_first.up.sql");
        assertThat(temp.resolve("migrations")).doesNotExist();

        // --dir still wins
        Run flagged = run("-C", temp.toString(), "--dir", temp.resolve("elsewhere").toString(), "new", "core", "x");
        assertThat(flagged.exit()).as(flagged.toString()).isZero();
        assertThat(files(temp.resolve("elsewhere/core"))).containsExactly("1_x.down.sql", "1_x.up.sql");
    }

    @Test
    void anUneditedNewMigrationIsRefusedAndNothingIsApplied(TestDatabase db, @TempDir Path temp) throws Exception {
        assertThat(run("-C", temp.toString(), "init").exit()).isZero();
        assertThat(run("-C", temp.toString(), "new", "core", "create_orders").exit()).isZero();
        Cli.write(temp.resolve("migrations/core/1_create_orders.up.sql"), "CREATE TABLE orders (id int);\n");
        Cli.write(temp.resolve("migrations/core/1_create_orders.down.sql"), "DROP TABLE orders;\n");
        assertThat(run("-C", temp.toString(), "new", "core", "add_total").exit()).isZero();
        String schema = db.newSchema();
        List<String> target = List.of("-C", temp.toString(), "--url", db.url(), "--schema", schema, "--create-schema");

        Run up = run(Cli.args(target, "up"));
        assertThat(up.exit()).as(up.toString()).isEqualTo(2);
        assertThat(up.err()).contains("2_add_total.up.sql").contains("still the template")
                .doesNotContain("2_add_total.down.sql");
        assertThat(db.schemaExists(schema) ? db.column("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = '" + schema + "' AND table_name = 'orders'") : List.of("0"))
                .as("the valid first migration must not be applied either").containsExactly("0");

        Run json = run(Cli.args(target, "up", "--json"));
        assertThat(json.exit()).isEqualTo(2);
        JsonNode error = json.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("validation");
        List<String> codes = new ArrayList<>();
        error.get("problems").forEach(problem -> codes.add(problem.get("code").asText()));
        assertThat(codes).isNotEmpty().containsOnly("empty-migration");
        assertThat(error.get("problems").get(0).get("location").asText()).contains("2_add_total.");
    }

    private static List<String> files(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
