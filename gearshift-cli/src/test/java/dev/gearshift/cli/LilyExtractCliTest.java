package dev.gearshift.cli;

import static dev.gearshift.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Lily project adopted from its Go source: {@code init --from-lily} reads a schemas folder shaped as Lily's
 * (src/test/resources/lily: schema.go, base.go with BaseTemplate, patches registered with patches.Register, one
 * built with fmt.Sprintf), then {@code import --from lily} takes over a database Lily migrated (its tables,
 * visor_version, go-pg's gopg_migrations) and {@code up} runs the rest.
 */
@ExtendWith(PostgresExtension.class)
class LilyExtractCliTest {

    private static final Path SCHEMAS = Path.of("src", "test", "resources", "lily", "schemas");

    @Test
    void extractsTheGoSourceThenImportsLilysHistoryAndRunsTheNextPatches(TestDatabase db, @TempDir Path temp)
            throws Exception {
        Path project = temp.resolve("lily");
        Run init = run("init", project.toString(), "--from-lily", SCHEMAS.toString());
        assertThat(init.exit()).as(init.toString()).isEqualTo(2); // something was not read
        assertThat(init.err()).contains("Not read", "v1/3_gap_reports.go:10: a call to fmt.Sprintf(...) where a"
                + " string literal was expected; not written");
        Path visor = project.resolve("migrations/visor/v1");
        assertThat(Cli.read(project.resolve("gearshift.yaml")))
                .contains("visor: { versioning: major-patch, major_table: visor_version }");
        String base = Cli.read(visor.resolve("base.sql"));
        assertThat(base).startsWith("-- ====").contains("CREATE TABLE block_headers (",
                "ALTER TABLE ONLY block_headers ADD CONSTRAINT", "FROM block_headers;",
                "INSERT INTO visor_version (major) VALUES (1);").doesNotContain("{{", "search_path", "public.");
        assertThat(Cli.read(visor.resolve("patches/1_chainconsensus.up.sql")))
                .startsWith("-- ----").contains("CREATE TABLE chain_consensus (", "ALTER TABLE ONLY chain_consensus");
        assertThat(visor.resolve("patches/1_chainconsensus.down.sql")).doesNotExist();
        assertThat(Cli.read(visor.resolve("patches/2_actor_codes.up.sql"))).isEqualTo("CREATE TABLE IF NOT EXISTS"
                + " actor_codes (\n\tcid\ttext NOT NULL,\n\tcode\ttext NOT NULL,\n\tPRIMARY KEY (cid, code)\n);\n"
                + "COMMENT ON TABLE actor_codes IS 'A mapping of a builtin actor''s CID to a human friendly name.';\n");
        assertThat(Cli.read(visor.resolve("patches/2_actor_codes.down.sql"))).isEqualTo("DROP TABLE IF EXISTS actor_codes;\n");
        try (var files = Files.list(visor.resolve("patches"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.startsWith("3_"));
        }

        // the database Lily made: base and patches 1 and 2 rendered for the schema, then down to 1 (go-pg logs it)
        String schema = db.newSchema();
        String s = '"' + schema + '"';
        db.execute("CREATE SCHEMA " + s + "; SET search_path TO " + s + ", public;" + base
                + Cli.read(visor.resolve("patches/1_chainconsensus.up.sql"))
                + Cli.read(visor.resolve("patches/2_actor_codes.up.sql"))
                + Cli.read(visor.resolve("patches/2_actor_codes.down.sql"))
                + "CREATE TABLE " + s + ".gopg_migrations (id serial, version bigint, created_at timestamptz);"
                + "INSERT INTO " + s + ".gopg_migrations (version, created_at) VALUES (1, now()), (2, now()), (1, now())");
        List<String> target = List.of("-C", project.toString(), "--url", db.url(), "--schema", schema);

        Run imported = run(Cli.args(target, "import", "--from", "lily"));
        assertThat(imported.exit()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("Recorded 2 migrations as applied, from lily's visor_version,"
                + " gopg_migrations", "visor/1_base", "visor/1.1_chainconsensus").doesNotContain("1.2_");
        Run status = run(Cli.args(target, "status", "--json"));
        assertThat(status.json().get("modules").get(0).get("current").asText()).isEqualTo("1.1");

        // the patch the extractor could not read, written by hand as its report asks
        Cli.write(visor.resolve("patches/3_gap_reports.up.sql"), "CREATE TABLE visor_gap_reports (height bigint NOT"
                + " NULL, task text NOT NULL, status text NOT NULL DEFAULT 'GAP');\n");
        Run up = run(Cli.args(target, "up", "--dev-url", db.url()));
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.out()).contains("visor/1.2_actor_codes", "visor/1.3_gap_reports").doesNotContain("1_base",
                "1.1_chainconsensus");
        assertThat(db.column("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
                + "' AND table_name IN ('actor_codes', 'visor_gap_reports')")).containsExactly("2");
    }
}
