package dev.gearshift.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Maven builds of a small project that uses the plugin, run offline against the repository
 * {@code target/it-repo} the invoker plugin filled with this plugin and its dependencies, on a real PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class MavenBuildIT {

    private static final String PASSWORD = "hunter2-from-settings";

    @TempDir
    Path project;

    record Build(int exitCode, String output) {
    }

    @Test
    void upStatusPlanAndDownFromThePomWithCredentialsFromSettings(TestDatabase db) throws Exception {
        String schema = db.newSchema();
        try {
            writeProject("<url>" + db.url().replace("&", "&amp;") + "</url>\n<serverId>db</serverId>\n<schema>"
                    + schema + "</schema>\n<createSchema>true</createSchema>\n"
                    + "<placeholders><plan>team</plan></placeholders>");

            Build plan = maven(Map.of(), "gearshift:plan");
            assertThat(plan.exitCode()).as(plan.output()).isZero();
            assertThat(plan.output()).contains("core/1_create_plans", "core/2_seed_plans");

            Build up = maven(Map.of(), "gearshift:up");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("Applied 2 migrations");
            assertThat(db.column("SELECT code FROM \"" + schema + "\".plans")).containsExactly("team");

            Build status = maven(Map.of(), "gearshift:status");
            assertThat(status.output()).contains("core: current 2, 2 applied, 0 pending, up to date");

            Build noDrift = maven(Map.of(), "gearshift:drift", "-Dgearshift.devUrl=" + db.url());
            assertThat(noDrift.exitCode()).as(noDrift.output()).isZero();
            assertThat(noDrift.output()).contains("No drift");
            db.execute("ALTER TABLE \"" + schema + "\".plans ADD COLUMN added_by_hand int");
            Build drift = maven(Map.of(), "gearshift:drift", "-Dgearshift.devUrl=" + db.url());
            assertThat(drift.exitCode()).as(drift.output()).isNotZero();
            assertThat(drift.output()).contains("Drift in schema " + schema, "added_by_hand");

            // diff, by default from the target to what the project's migrations make: written where asked
            Path script = project.resolve("out/diff.sql");
            Build diff = maven(Map.of(), "gearshift:diff", "-Dgearshift.devUrl=" + db.url(),
                    "-Dgearshift.diff.outputFile=" + script, "-Dgearshift.diff.failOnDifferences=true");
            assertThat(diff.exitCode()).as(diff.output()).isNotZero();
            assertThat(diff.output()).contains("differs from the project's migrations: 1 statement");
            assertThat(Files.readString(script)).contains("SET search_path TO " + schema,
                    "ALTER TABLE plans DROP COLUMN added_by_hand;");
            db.execute("ALTER TABLE \"" + schema + "\".plans DROP COLUMN added_by_hand");
            // any two sides as the CLI reads them, paths relative to the project: no target needed
            Files.writeString(project.resolve("desired.sql"), "CREATE TABLE plans (code text PRIMARY KEY,"
                    + " price int NOT NULL);");
            Build sides = maven(Map.of(), "gearshift:diff", "-Dgearshift.devUrl=" + db.url(),
                    "-Dgearshift.diff.from=project", "-Dgearshift.diff.to=desired.sql");
            assertThat(sides.exitCode()).as(sides.output()).isZero();
            assertThat(sides.output()).contains("from the project's migrations to", "desired.sql", "1 statement",
                    "ADD COLUMN price integer NOT NULL");

            Build down = maven(Map.of(), "gearshift:down", "-Dgearshift.to=0");
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(down.output()).contains("Reverted 2 migrations");

            for (Build build : List.of(plan, up, status, noDrift, drift, diff, sides, down)) {
                assertThat(build.output()).doesNotContain(PASSWORD);
            }
        } finally {
            db.dropSchemaQuietly(schema);
        }
    }

    @Test
    void theTargetFromEnvironmentVariablesAndAFailingValidate(TestDatabase db) throws Exception {
        String schema = db.newSchema();
        try {
            writeProject("<createSchema>true</createSchema>");
            Map<String, String> environment = Map.of("GEARSHIFT_URL", db.url());

            Build up = maven(environment, "gearshift:up", "-Dgearshift.schema=" + schema,
                    "-Dgearshift.placeholder.plan=free");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(db.column("SELECT count(*) FROM \"" + schema + "\".gearshift_history")).containsExactly("2");

            // lint: the target's pending migration only, its table an existing one; fails the build on an error
            Path index = project.resolve("migrations/core/3_index_plans.up.sql");
            Files.writeString(index, "CREATE INDEX plans_code ON plans (code);");
            Build lint = maven(environment, "gearshift:lint", "-Dgearshift.schema=" + schema);
            assertThat(lint.exitCode()).as(lint.output()).isNotZero();
            assertThat(lint.output()).contains("3_index_plans.up.sql:1:1", "require-concurrent-index-creation",
                    "Linted 1 migration: 1 error");
            Path sarif = project.resolve("out/lint.sarif");
            Build report = maven(environment, "gearshift:lint", "-Dgearshift.schema=" + schema,
                    "-Dgearshift.lint.failOnError=false", "-Dgearshift.lint.format=sarif",
                    "-Dgearshift.lint.outputFile=" + sarif);
            assertThat(report.exitCode()).as(report.output()).isZero();
            assertThat(Files.readString(sarif)).contains("\"ruleId\" : \"require-concurrent-index-creation\"");
            Files.writeString(index, "-- gearshift:no-transaction\nCREATE INDEX CONCURRENTLY plans_code ON plans (code);");
            Build clean = maven(environment, "gearshift:lint", "-Dgearshift.schema=" + schema);
            assertThat(clean.exitCode()).as(clean.output()).isZero();
            assertThat(clean.output()).contains("Linted 1 migration: 0 errors");
            Files.delete(index);

            Files.writeString(project.resolve("migrations/core/three.up.sql"), "SELECT 1;");
            Build validate = maven(environment, "gearshift:validate", "-Dgearshift.schema=" + schema);
            assertThat(validate.exitCode()).as(validate.output()).isNotZero();
            assertThat(validate.output()).contains("three.up.sql");
        } finally {
            db.dropSchemaQuietly(schema);
        }
    }

    private void writeProject(String configuration) throws IOException {
        Files.createDirectories(project.resolve("migrations/core"));
        Files.writeString(project.resolve("migrations/core/1_create_plans.up.sql"),
                "CREATE TABLE plans (code text PRIMARY KEY);");
        Files.writeString(project.resolve("migrations/core/1_create_plans.down.sql"), "DROP TABLE plans;");
        Files.writeString(project.resolve("migrations/core/2_seed_plans.up.sql"),
                "INSERT INTO plans VALUES ('${plan}');");
        Files.writeString(project.resolve("migrations/core/2_seed_plans.down.sql"), "DELETE FROM plans;");
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>app</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>dev.gearshift</groupId>
                        <artifactId>gearshift-maven-plugin</artifactId>
                        <version>%s</version>
                        <configuration>
                %s
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(System.getProperty("plugin.version"), configuration));
        Files.writeString(project.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <!-- What invoker:install leaves out (the BOMs the parent POM imports) comes from the build's
                         own repository, read as a remote one: no network, nothing written there. -->
                    <mirror><id>build</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                  <servers>
                    <server><id>db</id><username>postgres</username><password>%s</password></server>
                  </servers>
                </settings>
                """.formatted(Path.of(System.getProperty("build.repo")).toUri(), PASSWORD));
    }

    private Build maven(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn")
                .toString(), "-B", "-Dmaven.repo.local=" + System.getProperty("it.repo"), "-s",
                project.resolve("settings.xml").toString()));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(project, "maven", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("GEARSHIFT_URL");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mvn " + arguments[0] + " did not end:\n" + Files.readString(log));
        }
        return new Build(process.exitValue(), Files.readString(log));
    }
}
