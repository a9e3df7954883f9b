package dev.gearshift.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The auto-configuration on a real PostgreSQL: each test in a schema of its own, with the migrations of the test
 * class path ({@code db/migrations}: core and billing, which requires core, declared in {@code gearshift.yaml}).
 */
@ExtendWith(PostgresExtension.class)
class GearshiftAutoConfigurationTest {

    private TestDatabase db;
    private String schema;
    private ApplicationContextRunner runner;

    @BeforeEach
    void setUp(TestDatabase db) {
        this.db = db;
        this.schema = db.newSchema();
        this.runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, GearshiftAutoConfiguration.class,
                        GearshiftEndpointAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.url(), "gearshift.schema=" + schema,
                        "gearshift.create-schema=true", "gearshift.project=" + project(),
                        "gearshift.placeholders.team_seats=10");
    }

    @org.junit.jupiter.api.AfterEach
    void dropSchema() {
        db.dropSchemaQuietly(schema);
    }

    private static String project() {
        return Path.of("target/test-classes/gearshift.yaml").toAbsolutePath().toString();
    }

    /** Reads a migrated table when it is made: it can only be made after the migrations ran. */
    record PlanSeats(int team) {
    }

    @Configuration(proxyBeanMethods = false)
    static class UsesTheDatabaseAtStartUp {
        @Bean
        PlanSeats planSeats(JdbcTemplate jdbc, GearshiftProperties properties) {
            return new PlanSeats(jdbc.queryForObject("SELECT seats FROM \"" + properties.schema()
                    + "\".plans WHERE code = 'team'", Integer.class));
        }
    }

    @Test
    void migratesAtStartUpBeforeBeansThatUseTheDatabase() {
        runner.withUserConfiguration(UsesTheDatabaseAtStartUp.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(PlanSeats.class).team()).isEqualTo(10);
            Gearshift gearshift = context.getBean(Gearshift.class);
            assertThat(gearshift.status().isCurrent()).isTrue();
            assertThat(gearshift.history()).extracting(h -> h.migrationId())
                    .containsExactly("core/1_create_plans", "billing/1_create_invoices");
        });
    }

    @Test
    void failOnPendingRefusesToStartInsteadOfMigrating() throws Exception {
        runner.withPropertyValues("gearshift.fail-on-pending=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(GearshiftException.class)
                    .hasMessageContaining("fail-on-pending").hasMessageContaining("core");
        });
        assertThat(db.schemaExists(schema)).isFalse();
    }

    @Test
    void disabledDoesNothing() throws Exception {
        runner.withPropertyValues("gearshift.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Gearshift.class);
        });
        assertThat(db.schemaExists(schema)).isFalse();
    }

    @Test
    void withTheGuardOnAMigrationStartedElsewhereRefusesWhileTheApplicationRuns(@TempDir Path extra)
            throws Exception {
        Files.createDirectories(extra.resolve("audit"));
        Files.writeString(extra.resolve("audit/1_create_audit.up.sql"), "CREATE TABLE audit (at timestamptz);");
        Gearshift elsewhere = Gearshift.configure().project(Path.of(project()))
                .migrations(List.of("classpath:db/migrations", extra.toString())).placeholder("team_seats", "10")
                .url(db.url()).schema(schema).build();

        runner.withPropertyValues("gearshift.guard=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThatThrownBy(elsewhere::up).isInstanceOfSatisfying(GearshiftException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED_BY_APPLICATION));
        });

        assertThat(elsewhere.up().applied()).extracting(a -> a.module()).containsExactly("audit");
    }

    @Test
    void theEndpointAndHealthIndicatorReportTheStatus() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=gearshift").run(context -> {
            Map<String, Object> report = context.getBean(GearshiftEndpoint.class).gearshift();
            assertThat(report).containsKeys("target", "status", "history");
            assertThat(report.get("history").toString()).contains("create_plans", "create_invoices");
            assertThat(context.getBean(GearshiftHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);

            db.execute("UPDATE \"" + schema + "\"." + Gearshift.HISTORY_TABLE
                    + " SET checksum = 'edited' WHERE module = 'billing'");
            assertThat(context.getBean(GearshiftHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
        });
    }
}
