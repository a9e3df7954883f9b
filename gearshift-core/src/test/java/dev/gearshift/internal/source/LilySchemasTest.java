package dev.gearshift.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.GearshiftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The older shapes of Lily's schema packages (sentinel-visor's v0: {@code var Base}, go-pg's
 * {@code patches.MustRegisterTx(up, down)} over {@code batch(...)}, numbered by the file name, patch 0 left out),
 * Go's escapes, and what is listed rather than read: a template action other than the schema name, Go code.
 */
class LilySchemasTest {

    @TempDir
    Path dir;

    private Map<String, String> scripts(LilySchemas.Extraction extraction) {
        return extraction.scripts().stream().collect(Collectors.toMap(LilySchemas.Script::path, LilySchemas.Script::text));
    }

    private void write(String path, String text) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void readsSentinelVisorsMajorZero() throws Exception {
        write("schemas/v0/schema.go", """
                package v0

                const MajorVersion = 0

                // batch is a syntactic helper for registering a migration
                func batch(sqls ...string) func(db migrations.DB) error {
                \treturn func(db migrations.DB) error {
                \t\treturn nil
                \t}
                }

                // Base is the initial schema for this major version. Patches are applied on top of this base.
                var Base = `
                \tCREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public;
                `
                """);
        write("schemas/v0/0_null.go", """
                package v0

                func init() {
                \tup := batch(`SELECT 1;`)
                \tdown := batch(`SELECT 1;`)
                \tpatches.MustRegisterTx(up, down)
                }
                """);
        write("schemas/v0/1_chainwatch.go", """
                package v0

                // Schema version 1 is the schema used by chainwatch

                func init() {
                \tup := batch(`
                CREATE TABLE public.actor_states (
                    head text NOT NULL,
                    code text NOT NULL
                )`, "COMMENT ON TABLE public.actor_states IS 'it''s \\"states\\"\\tone\\u00e9'")
                \tdown := batch(`DROP TABLE public.actor_states;`)
                \tpatches.MustRegisterTx(up, down)
                }
                """);
        write("schemas/v0/2_by_hand.go", """
                package v0

                func init() {
                \tpatches.MustRegisterTx(func(db migrations.DB) error {
                \t\t_, err := db.Exec("CREATE TABLE x (id int)")
                \t\treturn err
                \t})
                }
                """);
        write("schemas/v0/3_views.go", """
                package v0

                func init() {
                \tpatches.MustRegister(batch(`CREATE MATERIALIZED VIEW v AS SELECT 1`))
                }
                """);

        LilySchemas.Extraction read = LilySchemas.read(dir.resolve("schemas"));
        Map<String, String> scripts = scripts(read);
        assertThat(scripts).containsOnlyKeys("v0/base.sql", "v0/patches/1_chainwatch.up.sql",
                "v0/patches/1_chainwatch.down.sql", "v0/patches/3_views.up.sql");
        assertThat(scripts.get("v0/base.sql")).isEqualTo("CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA"
                + " public;\n");
        // go-pg never applies a patch 0: left out, and said so
        assertThat(read.skipped()).containsExactly("v0/0_null.go: patch 0, which go-pg never applies (a database"
                + " starts at 0)");
        // each text of batch(...) ends its statement; Go's escapes decoded; not a template: public. stays
        assertThat(scripts.get("v0/patches/1_chainwatch.up.sql")).isEqualTo("CREATE TABLE public.actor_states (\n"
                + "    head text NOT NULL,\n    code text NOT NULL\n);\nCOMMENT ON TABLE public.actor_states IS"
                + " 'it''s \"states\"\tone\u00e9';\n");
        assertThat(scripts.get("v0/patches/1_chainwatch.down.sql")).isEqualTo("DROP TABLE public.actor_states;\n");
        // go-pg's MustRegister runs outside a transaction
        assertThat(scripts.get("v0/patches/3_views.up.sql")).startsWith("-- gearshift:no-transaction\nCREATE");
        assertThat(read.notRead()).containsExactly(
                "v0/2_by_hand.go:4: a Go function (code, not SQL) where a string literal was expected; not written");
    }

    @Test
    void aTemplateActionOtherThanTheSchemaNameIsListedAndItsPatchNotWritten() throws Exception {
        write("v2/base.go", "package v2\n\nvar BaseTemplate = `CREATE TABLE {{ .SchemaName | default \"public\"}}.a"
                + " (id int);`\n");
        write("v2/1_b.go", "package v2\n\nfunc init() {\n\tpatches.Register(1, `\nCREATE TABLE {{ .SchemaName }}.b"
                + " (id int);\n{{ if .Timescale }}SELECT create_hypertable('b', 'id');{{ end }}\n`)\n}\n");
        write("v2/2_c.go", "package v2\n\nfunc init() {\n\tpatches.Register(next, `CREATE TABLE c (id int);`)\n}\n");
        write("v2/3_d.go", "package v2\n\nfunc init() {\n\tpatches.Register(3, `GRANT SELECT ON {{ .SchemaName }} TO x;`)\n}\n");

        write("v2/4_e.go", "package v2\n\nvar table = \"e\"\n\nfunc init() {\n\tpatches.Register(4, \"CREATE TABLE \" +"
                + " table + \" (id int);\")\n}\n");
        LilySchemas.Extraction read = LilySchemas.read(dir.resolve("v2"));
        assertThat(scripts(read)).containsOnly(Map.entry("v2/base.sql", "CREATE TABLE a (id int);\n"));
        assertThat(read.notRead()).containsExactly(
                "v2/1_b.go:6: the template action {{ if .Timescale }} (only {{ .SchemaName }} before a '.' is read);"
                        + " not written",
                "v2/1_b.go:6: the template action {{ end }} (only {{ .SchemaName }} before a '.' is read); not written",
                "v2/2_c.go:4: patches.Register's patch number is not a literal; not written",
                "v2/3_d.go:4: the template action {{ .SchemaName }} (only {{ .SchemaName }} before a '.' is read); not"
                        + " written",
                "v2/4_e.go:6: a string joined with the variable table (its value is known when Go runs); not written");
    }

    @Test
    void aMajorWithoutABaseStillGetsItsPatchesAndTheBaseIsListed() throws Exception {
        write("schemas/v3/1_a.go", "package v3\n\nfunc init() {\n\tpatches.Register(1, `CREATE TABLE a (id int);`)\n}\n");
        LilySchemas.Extraction read = LilySchemas.read(dir.resolve("schemas"));
        assertThat(scripts(read)).containsOnly(Map.entry("v3/patches/1_a.up.sql", "CREATE TABLE a (id int);\n"));
        assertThat(read.notRead()).containsExactly("v3: no Base or BaseTemplate variable found; write v3/base.sql by hand");
    }

    @Test
    void aFolderWithoutMajorsIsRefused() {
        assertThatThrownBy(() -> LilySchemas.read(dir)).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("holds no v<major> folder");
    }
}
