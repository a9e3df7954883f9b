package dev.gearshift.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Problem;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The additive-only rule of major-patch modules: every patch runs in a shadow database at the patch before it,
 * and what it did to the catalogs is compared. One project holds an allowed patch and one patch per refused kind.
 */
@ExtendWith(PostgresExtension.class)
class AdditivePatchesTest {

    @TempDir
    Path temp;

    private void write(String path, String text) throws IOException {
        Path file = temp.resolve("migrations/visor").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Lily's TestSchemaIsCurrent on a major-patch module: what to compare with is the latest base plus its patches. */
    @Test
    void aSchemaIsCurrentWhenItIsTheLatestBasePlusItsPatches(TestDatabase db) throws Exception {
        Files.writeString(temp.resolve("gearshift.yaml"), "modules:\n  visor: { versioning: major-patch }\n");
        write("v0/base.sql", "CREATE TABLE hosts (id int PRIMARY KEY);");
        write("v1/base.sql", "CREATE TABLE machines (id int PRIMARY KEY, name text NOT NULL);");
        write("v1/patches/1_reports.up.sql", "CREATE TABLE reports (id int PRIMARY KEY);");
        String schema = db.newSchema();
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(db.url());
        dev.gearshift.Gearshift.configure().dataSource(dataSource).schema(schema).createSchema(true).project(temp)
                .build().up();
        SchemaAssertions.assertCurrent(dataSource, schema, b -> b.project(temp));

        db.execute("ALTER TABLE \"" + schema + "\".machines DROP COLUMN name");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> SchemaAssertions.assertCurrent(dataSource, schema, b -> b.project(temp)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("table machines: different")
                .hasMessageContaining("CREATE TABLE machines (").hasMessageContaining("name text NOT NULL")
                .hasMessageNotContaining("hosts");
        db.dropSchemaQuietly(schema);
    }

    @Test
    void onlyNewObjectsPassAndEveryOtherChangeIsRefusedByName(TestDatabase db) throws Exception {
        Files.writeString(temp.resolve("gearshift.yaml"), "modules:\n  visor: { versioning: major-patch }\n");
        write("v0/base.sql", """
                CREATE TABLE visor_version (major int NOT NULL);
                INSERT INTO visor_version VALUES (0);
                CREATE TABLE hosts (id int PRIMARY KEY, name text NOT NULL, port int);
                CREATE TABLE old_names (id int);
                CREATE VIEW host_names AS SELECT name FROM hosts;
                CREATE FUNCTION host_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM hosts';
                """);
        write("v0/patches/1_reports.up.sql", """
                CREATE TYPE severity AS ENUM ('info', 'alert');
                CREATE SEQUENCE report_numbers;
                CREATE TABLE reports (id int PRIMARY KEY, host_id int NOT NULL REFERENCES hosts, level severity,
                    number bigint DEFAULT nextval('report_numbers'));
                CREATE INDEX reports_host ON reports (host_id);
                CREATE VIEW alerts AS SELECT id, host_id FROM reports WHERE level = 'alert';
                CREATE FUNCTION report_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM reports';
                COMMENT ON TABLE hosts IS 'monitored hosts';
                COMMENT ON COLUMN hosts.name IS 'DNS name';
                GRANT SELECT ON reports TO PUBLIC;
                """);
        write("v0/patches/2_column.up.sql", "ALTER TABLE hosts ADD COLUMN owner text;");
        write("v0/patches/3_index.up.sql", "CREATE INDEX hosts_name ON hosts (name);");
        write("v0/patches/4_type.up.sql", "ALTER TABLE hosts ALTER COLUMN port TYPE bigint;");
        write("v0/patches/5_drop.up.sql", "DROP VIEW alerts;");
        write("v0/patches/6_rename.up.sql", "ALTER TABLE old_names RENAME TO new_names;");
        write("v0/patches/7_view.up.sql", "CREATE OR REPLACE VIEW host_names AS SELECT name, id FROM hosts;");
        write("v0/patches/8_function.up.sql", "CREATE OR REPLACE FUNCTION host_count() RETURNS bigint LANGUAGE sql"
                + " AS 'SELECT count(*) + 0 FROM hosts';");
        write("v0/patches/9_rule.up.sql", "CREATE RULE no_delete AS ON DELETE TO reports DO INSTEAD NOTHING;");
        write("v0/patches/10_grant.up.sql", "GRANT SELECT ON hosts TO PUBLIC;");
        write("v0/patches/11_constraint.up.sql", "ALTER TABLE hosts ADD CONSTRAINT port_range CHECK (port > 0);");

        List<Problem> problems;
        try (Shadow shadow = Shadow.at(db.url(), null, null)) {
            problems = AdditivePatches.check(shadow, b -> b.project(temp), "app", patch -> true);
        }
        Map<String, String> byPatch = problems.stream().collect(Collectors.groupingBy(Problem::location,
                Collectors.mapping(Problem::message, Collectors.joining(" | "))));
        assertThat(problems).extracting(Problem::code).containsOnly(Problem.NOT_ADDITIVE);
        assertThat(byPatch).doesNotContainKey("visor/0.1");
        assertThat(byPatch.get("visor/0.2")).contains("table hosts adds column owner (a new column, even nullable");
        assertThat(byPatch.get("visor/0.3")).contains("index hosts_name is new on the existing table hosts");
        assertThat(byPatch.get("visor/0.4")).contains("changes the type of column port from integer to bigint");
        assertThat(byPatch.get("visor/0.5")).contains("view alerts drops or renames it");
        assertThat(byPatch.get("visor/0.6")).contains("table old_names drops or renames it");
        assertThat(byPatch.get("visor/0.7")).contains("view host_names is changed");
        assertThat(byPatch.get("visor/0.8")).contains("function host_count() is changed");
        assertThat(byPatch.get("visor/0.9")).contains("rule no_delete on reports: the diff engine does not compare");
        assertThat(byPatch.get("visor/0.10")).contains("table hosts changes privileges on an existing object; a patch"
                + " may grant only on what it creates");
        assertThat(byPatch.get("visor/0.11")).contains("constraint port_range on hosts is new on the existing table");
        assertThat(byPatch).hasSize(10);

        // Only the patches asked for are run and compared: up checks the pending ones.
        try (Shadow shadow = Shadow.at(db.url(), null, null)) {
            assertThat(AdditivePatches.check(shadow, b -> b.project(temp), "app", p -> p.equals("visor/0.3")))
                    .extracting(Problem::location).containsExactly("visor/0.3");
        }
    }
}
