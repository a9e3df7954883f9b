package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shadow database: desired-state SQL and migrations built in throwaway databases, and what goes wrong. */
@ExtendWith(PostgresExtension.class)
class ShadowTest {

    @TempDir
    Path temp;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void desiredStateSqlLoadsInPathOrder(TestDatabase db) throws Exception {
        new Schemas(db).createRoles();
        Path src = temp.resolve("db/src");
        write(src.resolve("02_tables.sql"), """
                CREATE TABLE todo (id int PRIMARY KEY, todo text NOT NULL, mood mood);
                COPY todo (id, todo) FROM stdin;
                1\tbuy milk
                \\.
                """);
        write(src.resolve("01_types.sql"), "CREATE TYPE mood AS ENUM ('ok');\n");
        write(src.resolve("api/10_views.sql"), "CREATE VIEW todos AS SELECT id, todo FROM todo;\n"
                + "GRANT SELECT ON todos TO gs_reader;\n");
        write(src.resolve("README.md"), "not SQL: ignored");
        try (Shadow shadow = Shadow.at(db.url(), null, null)) {
            SchemaModel model = shadow.loadSql(List.of(src), "app");
            assertThat(model.schema()).isEqualTo("app");
            assertThat(model.objects()).contains("type mood", "table todo", "constraint todo_pkey on todo",
                    "view todos");
            assertThat(model.unsupported()).isEmpty();
        }
    }

    @Test
    void aStatementThatFailsIsNamedByFileLineAndColumn(TestDatabase db) throws Exception {
        Path src = temp.resolve("src");
        write(src.resolve("01_ok.sql"), "CREATE TABLE a (id int);\n");
        write(src.resolve("02_broken.sql"), "-- a comment\nCREATE TABLE b (id int);\n\nCREATE VIEW v AS\n"
                + "    SELECT id, missing_column FROM b;\n");
        try (Shadow shadow = Shadow.at(db.url(), null, null)) {
            assertThatThrownBy(() -> shadow.loadSql(List.of(src), "app"))
                    .isInstanceOfSatisfying(GearshiftException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                        assertThat(e.getMessage()).startsWith(src.resolve("02_broken.sql") + ":5:16: desired-state SQL"
                                + " does not load").contains("missing_column").contains("CREATE VIEW v AS");
                        assertThat(e.problems()).singleElement().satisfies(p ->
                                assertThat(p.location()).isEqualTo(src.resolve("02_broken.sql") + ":5:16"));
                    });
            write(src.resolve("02_broken.sql"), "CREATE TABLE b (name text DEFAULT 'unterminated);\n");
            assertThatThrownBy(() -> shadow.loadSql(List.of(src), "app"))
                    .isInstanceOfSatisfying(GearshiftException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SCRIPT_SYNTAX);
                        assertThat(e.getMessage()).contains(src.resolve("02_broken.sql") + ":1:");
                    });
        }
    }

    @Test
    void objectsCreatedOutsideTheSchemaAreNamed(TestDatabase db) throws Exception {
        Path file = temp.resolve("all.sql");
        write(file, "CREATE TABLE data_table (id int);\nCREATE SCHEMA api;\nCREATE VIEW api.todos AS SELECT 1 AS one;\n");
        try (Shadow shadow = Shadow.at(db.url(), null, null)) {
            SchemaModel model = shadow.loadSql(List.of(file), "data");
            assertThat(model.objects()).containsExactly("table data_table");
            assertThat(model.unsupported()).containsExactly("outside schema data: relation api.todos");
        }
    }

    @Test
    void migrationsAreRunInAThrowawayDatabase(TestDatabase db) throws Exception {
        Path migrations = temp.resolve("migrations");
        write(migrations.resolve("core/1_plans.up.sql"), "CREATE TABLE plans (code text PRIMARY KEY);\n");
        write(migrations.resolve("core/2_tenants.up.sql"), "CREATE TABLE tenants (id int, plan text REFERENCES plans);\n");
        try (Shadow shadow = Shadow.at(db.url(), null, null)) {
            SchemaModel model = shadow.migrate(b -> b.migrations(migrations), "app");
            assertThat(model.objects()).containsExactly("table plans", "table tenants",
                    "constraint plans_pkey on plans", "constraint tenants_plan_fkey on tenants");
        }
    }

    @Test
    void anUnreachableDevDatabaseIsAConnectionError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThatThrownBy(() -> Shadow.at("postgres://dev:secret@127.0.0.1:" + port + "/dev", null, null))
                .isInstanceOfSatisfying(GearshiftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
                    assertThat(e.getMessage()).contains("cannot reach the dev database postgres://dev:***@127.0.0.1:"
                            + port).doesNotContain("secret");
                });
    }

    @Test
    void theEmbeddedShadowNeedsNoServer() throws Exception {
        Path file = temp.resolve("schema.sql");
        write(file, "CREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE users (email citext UNIQUE);\n");
        try (Shadow shadow = Shadow.embedded()) {
            SchemaModel first = shadow.loadSql(List.of(file), "app");
            SchemaModel again = shadow.loadSql(List.of(file), "app");
            assertThat(first.objects()).contains("extension citext", "table users");
            assertThat(again).isEqualTo(first);
        }
    }
}
