package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code repair} after a deliberate edit of applied migrations: what it says it realigned, in text and JSON. */
@ExtendWith(PostgresExtension.class)
class RepairCommandTest {

    @Test
    void repairSaysWhichChecksumsItRealigned(TestDatabase db, @TempDir Path temp) throws Exception {
        Path core = temp.resolve("migrations/core");
        Cli.write(core.resolve("1_plans.up.sql"), "CREATE TABLE plans (id int);\n");
        Cli.write(core.resolve("2_tenants.up.sql"), "CREATE TABLE tenants (id int);\n");
        Cli.write(core.resolve("3_users.up.sql"), "CREATE TABLE users (id int);\n");
        List<String> target = List.of("-C", temp.toString(), "--url", db.url(), "--schema", db.newSchema(),
                "--create-schema");
        assertThat(run(Cli.args(target, "up")).exit()).isZero();
        Cli.write(core.resolve("1_plans.up.sql"), "-- plans of the price list\nCREATE TABLE plans (id int);\n");

        Run one = run(Cli.args(target, "repair"));

        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.out()).contains("Realigned the recorded checksum of 1 edited applied migration with its file:",
                "core/1_plans", core.resolve("1_plans.up.sql").toString()).doesNotContain("core/2_tenants");
        Run valid = run(Cli.args(target, "validate"));
        assertThat(valid.exit()).as(valid.toString()).isZero();
        assertThat(valid.out()).contains("Valid: 1 module, 3 migrations");

        Cli.write(core.resolve("2_tenants.up.sql"), "CREATE TABLE tenants (id int); -- one per customer\n");
        Cli.write(core.resolve("3_users.up.sql"), "CREATE TABLE users (id int); -- people who log in\n");
        Run two = run(Cli.args(target, "repair", "--json"));

        assertThat(two.exit()).as(two.toString()).isZero();
        JsonNode json = two.json();
        assertThat(json.get("repaired").toString()).isEqualTo("[\"core/2_tenants\",\"core/3_users\"]");
        assertThat(json.get("cleared").size()).isZero();
        JsonNode first = json.get("realigned").get(0);
        assertThat(first.get("module").asText()).isEqualTo("core");
        assertThat(first.get("version").asLong()).isEqualTo(2);
        assertThat(first.get("name").asText()).isEqualTo("tenants");
        assertThat(first.get("location").asText()).isEqualTo(core.resolve("2_tenants.up.sql").toString());
        assertThat(first.get("previous_checksum").asText()).hasSize(64).isNotEqualTo(first.get("checksum").asText());
        assertThat(run(Cli.args(target, "repair")).out())
                .isEqualTo("Nothing to repair: no failed migrations, and no applied migration was edited\n");
        Run history = run(Cli.args(target, "history"));
        assertThat(history.out().lines().filter(line -> line.contains(" repair "))).hasSize(3);
    }
}
