package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.GearshiftException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: mistakes are reported before the service starts. */
class ServerConfigTest {

    @TempDir
    Path dir;

    private static final String HASH = GearshiftServer.hashToken("t");
    private static final String VALID = """
            migrations: migrations
            databases:
              main: { url: "postgres://app@db/saas", schemas: ["tenant_*", "app"] }
            fleets:
              tenants: { schemas: { database: main, like: "tenant_%%" }, control: main }
            tokens:
              - { name: ci, sha256: "%s", role: write }
            """.formatted(HASH);

    private ServerConfig read(String yaml) throws Exception {
        Path file = dir.resolve("server.yaml");
        Files.writeString(file, yaml);
        ServerConfig config = ServerConfig.read(file);
        config.check();
        return config;
    }

    @Test
    void aValidFileIsReadWithPathsRelativeToIt() throws Exception {
        ServerConfig config = read(VALID);
        assertThat(config.migrations()).isEqualTo(dir.resolve("migrations").toString());
        assertThat(config.bodyLimit()).isEqualTo(ServerConfig.DEFAULT_MAX_BODY_BYTES);
        assertThat(ServerConfig.Listen.parse(config.listen())).isEqualTo(new ServerConfig.Listen("127.0.0.1", 8080));
    }

    @Test
    void mistakesAreReportedWithWhereTheyAre() {
        assertThatThrownBy(() -> read(VALID + "debug: true\n")).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("debug");
        assertThatThrownBy(() -> read(VALID.replace(HASH, "secret-token"))).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> read(VALID.replace("role: write", "role: admin"))).hasMessageContaining("read or write");
        assertThatThrownBy(() -> read(VALID.replace("control: main", "control: other")))
                .hasMessageContaining("fleets.tenants.control");
        assertThatThrownBy(() -> read(VALID.replace("tokens:\n  - { name: ci, sha256: \"" + HASH
                + "\", role: write }\n", ""))).hasMessageContaining("at least one token");
        assertThatThrownBy(() -> read("listen: nowhere\n" + VALID)).hasMessageContaining("host:port");
        assertThatThrownBy(() -> read("limits: { queue_per_schema: 0 }\n" + VALID))
                .hasMessageContaining("limits.queue_per_schema must be at least 1");
        assertThatThrownBy(() -> read("limits: { connections_per_database: 2, migrations_per_database: 3 }\n"
                + VALID)).hasMessageContaining("must not exceed");
        assertThatThrownBy(() -> read("limits: { fleet_parallel: { admin: 3 } }\n" + VALID))
                .hasMessageContaining("read or write");
        assertThatThrownBy(() -> ServerConfig.read(dir.resolve("missing.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void databasesAreNamedExactlyAndSchemasByPattern() throws Exception {
        Databases databases = new Databases(read(VALID).databases(), name -> null);
        assertThat(databases.resolve("main").allowsSchema("tenant_0042")).isTrue();
        assertThat(databases.resolve("postgres://app@db/saas").allowsSchema("app")).isTrue();
        assertThat(databases.resolve("main").allowsSchema("public")).isFalse();
        assertThatThrownBy(() -> databases.resolve("postgres://app@db/saas?sslmode=disable"))
                .isInstanceOf(ApiError.class).extracting("status").isEqualTo(403);
    }

    @Test
    void passwordsComeFromTheEnvironmentOrAFile() throws Exception {
        Files.writeString(dir.resolve("pw"), "from-a-file\n");
        ServerConfig config = read(VALID.replace("schemas: [\"tenant_*\", \"app\"] }",
                "password_env: DB_PASSWORD }\n  other: { url: \"postgres://x@y/z\", password_file: pw }"));
        Databases databases = new Databases(config.databases(), name -> name.equals("DB_PASSWORD") ? "from-env" : null);
        assertThat(databases.resolve("main").credentials().password()).isEqualTo("from-env");
        assertThat(databases.resolve("other").credentials().password()).isEqualTo("from-a-file");
        assertThat(databases.resolve("other").credentials().toString()).doesNotContain("from-a-file");
        assertThatThrownBy(() -> new Databases(config.databases(), name -> null))
                .hasMessageContaining("DB_PASSWORD");
    }

    @Test
    void aSchemaPatternNoNameCanFitIsRefusedAtStart() throws Exception {
        Files.createDirectories(dir.resolve("migrations/core"));
        Files.writeString(dir.resolve("migrations/core/1_a.up.sql"), "SELECT 1;");
        Path file = dir.resolve("server.yaml");
        Files.writeString(file, VALID.replace("\"app\"]", "\"app\", \"tenant_" + "x".repeat(57) + "*\"]"));
        assertThatThrownBy(() -> GearshiftServer.start(ServerConfig.read(file), name -> null, System.err))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("databases.main.schemas")
                .hasMessageContaining("at most 63 bytes");
    }
}
