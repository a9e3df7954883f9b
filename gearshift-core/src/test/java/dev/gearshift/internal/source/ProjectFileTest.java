package dev.gearshift.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gearshift.yaml: what it reads, and errors that name the line and the key. */
class ProjectFileTest {

    @TempDir
    Path dir;

    @Test
    void everyKey() throws IOException {
        ProjectFile file = read("""
                migrations: db/migrations
                url: postgres://app@db:5432/saas
                user: app
                schema: saas
                create_schema: true
                history_table: history
                lock_timeout: 60s
                modules:
                  core: {}
                  auth: { requires: [core] }
                  billing:
                placeholders: { app_role: saas_app, retries: 3 }
                settings: { lock_timeout: 5s }
                """);

        assertThat(file.migrations()).isEqualTo("db/migrations");
        assertThat(file.url()).isEqualTo("postgres://app@db:5432/saas");
        assertThat(file.user()).isEqualTo("app");
        assertThat(file.schema()).isEqualTo("saas");
        assertThat(file.createSchema()).isTrue();
        assertThat(file.historyTable()).isEqualTo("history");
        assertThat(file.lockTimeout()).isEqualTo("60s");
        assertThat(file.modules()).containsExactly(Map.entry("core", new ProjectFile.ModuleSpec(List.of())),
                Map.entry("auth", new ProjectFile.ModuleSpec(List.of("core"))),
                Map.entry("billing", new ProjectFile.ModuleSpec(List.of())));
        assertThat(file.placeholders()).containsOnly(Map.entry("app_role", "saas_app"), Map.entry("retries", "3"));
        assertThat(file.settings()).containsOnly(Map.entry("lock_timeout", "5s"));
    }

    @Test
    void emptyOrNullValuesAreUnset() throws IOException {
        assertThat(read("")).isEqualTo(ProjectFile.empty(dir.resolve(ProjectFile.FILE_NAME)));
        ProjectFile file = read("schema:\ncreate_schema: ~\nmodules:\n");
        assertThat(file.schema()).isNull();
        assertThat(file.createSchema()).isNull();
        assertThat(file.modules()).isEmpty();
    }

    @Test
    void yamlBooleansAndNumbers() throws IOException {
        assertThat(read("create_schema: yes\n").createSchema()).isTrue();
        assertThat(read("create_schema: False\n").createSchema()).isFalse();
        assertThat(read("create_schema: \"true\"\n").createSchema()).isTrue();
        assertThat(read("create_schema: 0\n").createSchema()).isFalse();
        assertThat(read("schema: 010\n").schema()).isEqualTo("010");
    }

    @Test
    void anUnknownKeyNamesItsLine() {
        assertThatThrownBy(() -> read("schema: app\nmodules:\n  a: {}\nlock_timout: 5s\n"))
                .isInstanceOf(GearshiftException.class)
                .hasMessageContaining(ProjectFile.FILE_NAME + ":4: unknown key 'lock_timout'; known keys: [")
                .hasMessageContaining("lock_timeout");
        assertThatThrownBy(() -> read("modules:\n  a: {}\n  b:\n    requires: [a]\n    require: [a]\n"))
                .hasMessageContaining(ProjectFile.FILE_NAME + ":5: unknown key 'require'; known keys: [requires, versioning, major_table]");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsKeyAndLine() {
        assertThat(error("url: x\nschema: [a, b]\n")).endsWith(":2: not a valid gearshift.yaml: schema: expected a"
                + " single value, not a list");
        assertThat(error("create_schema: maybe\n")).endsWith(":1: not a valid gearshift.yaml: create_schema: expected"
                + " true or false, not 'maybe'");
        assertThat(error("modules:\n  auth: { requires: core }\n")).endsWith(":2: not a valid gearshift.yaml:"
                + " modules.auth.requires: expected a list such as [core], not 'core'");
        assertThat(error("placeholders: [a]\n")).endsWith(":1: not a valid gearshift.yaml: placeholders: expected a"
                + " mapping such as { name: value }, not a list");
        assertThat(error("placeholders:\n  role:\n")).endsWith(":2: not a valid gearshift.yaml: placeholders.role: no"
                + " value");
        assertThat(error("- schema\n")).endsWith(":1: not a valid gearshift.yaml: expected keys such as 'schema: app',"
                + " not a list");
    }

    @Test
    void brokenYamlNamesItsLine() {
        assertThat(error("schema: app\nurl: 'unterminated\n")).contains(":2: not a valid gearshift.yaml: while"
                + " scanning a quoted scalar");
        assertThat(error("# nothing but a comment\n")).endsWith(":1: not a valid gearshift.yaml: it holds only"
                + " comments; write a key, or leave the file empty");
    }

    @Test
    void anErrorIsAValidationError() {
        assertThatThrownBy(() -> read("bogus: 1\n")).isInstanceOfSatisfying(GearshiftException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION));
    }

    @Test
    void aModuleCanBeVersionedMajorPatch() throws IOException {
        assertThat(read("modules:\n  visor: { versioning: major-patch }\n").modules())
                .containsExactly(Map.entry("visor", new ProjectFile.ModuleSpec(List.of(), true)));
        assertThat(read("modules:\n  core: { versioning: plain }\n").modules().get("core").majorPatch()).isFalse();
        assertThat(error("modules:\n  visor:\n    versioning: semver\n"))
                .contains(":3: ").contains("modules.visor.versioning: expected major-patch or plain, not 'semver'");
        assertThat(read("modules:\n  visor: { versioning: major-patch, major_table: visor_version }\n").modules()
                .get("visor").majorTable()).isEqualTo("visor_version");
        assertThat(error("modules:\n  core: { major_table: visor_version }\n"))
                .contains("modules.core.major_table: only a module with versioning: major-patch");
    }

    private ProjectFile read(String text) throws IOException {
        Path file = dir.resolve(ProjectFile.FILE_NAME);
        Files.writeString(file, text);
        return ProjectFile.read(file);
    }

    private String error(String text) {
        try {
            read(text);
        } catch (GearshiftException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + text);
    }
}
