package dev.gearshift.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway's {@code ${env.NAME}} in flyway.conf and flyway.toml: expanded from the environment passed down, an unset
 * variable refused naming the file, the key and the variable, as Flyway itself refuses it.
 */
class FlywayConfEnvTest {

    @TempDir
    Path dir;

    private static final Map<String, String> ENVIRONMENT = Map.of("APP_SCHEMA", "tenant_7", "APP_OWNER", "alice",
            "APP_SQL", "db/sql");

    @Test
    void confValuesTakeTheEnvironmentsVariables() throws IOException {
        Files.writeString(dir.resolve("flyway.conf"), "flyway.schemas=${env.APP_SCHEMA}\n"
                + "flyway.locations=filesystem:${env.APP_SQL},filesystem:db/more\n"
                + "flyway.placeholders.owner=${env.APP_OWNER} of ${env.APP_SCHEMA}\n"
                + "flyway.placeholders.literal=${owner}\n");

        FlywayConf conf = FlywayConf.find(dir, ENVIRONMENT).orElseThrow();

        assertThat(conf.schema()).contains("tenant_7");
        assertThat(conf.locations()).containsExactly("db/sql", "db/more");
        assertThat(conf.placeholders()).containsEntry("owner", "alice of tenant_7")
                .containsEntry("literal", "${owner}");
    }

    @Test
    void tomlValuesTakeTheEnvironmentsVariables() throws IOException {
        Files.writeString(dir.resolve("flyway.toml"), "[flyway]\nschemas = [\"${env.APP_SCHEMA}\"]\n"
                + "locations = [\"filesystem:${env.APP_SQL}\"]\n[flyway.placeholders]\nowner = \"${env.APP_OWNER}\"\n");

        FlywayConf conf = FlywayConf.find(dir, ENVIRONMENT).orElseThrow();

        assertThat(conf.schema()).contains("tenant_7");
        assertThat(conf.locations()).isEqualTo(List.of("db/sql"));
        assertThat(conf.placeholders()).containsEntry("owner", "alice");
    }

    @Test
    void anUnsetVariableIsRefusedNamingTheFileTheKeyAndTheVariable() throws IOException {
        Files.writeString(dir.resolve("flyway.conf"), "flyway.placeholders.owner=${env.APP_NOBODY}\n"
                + "flyway.password=${env.DB_PASSWORD_ONLY_FLYWAY_NEEDS}\n");

        assertThatThrownBy(() -> FlywayConf.find(dir, ENVIRONMENT)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("flyway.conf")
                .hasMessageContaining("flyway.placeholders.owner")
                .hasMessageContaining("APP_NOBODY")
                // a connection key is not Gearshift's: its variable may be set only where Flyway runs
                .hasMessageNotContaining("DB_PASSWORD_ONLY_FLYWAY_NEEDS");
    }
}
