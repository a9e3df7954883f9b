package dev.gearshift.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application started on a database of its own (at GEARSHIFT_TEST_PG_URL, else an embedded PostgreSQL): the
 * starter migrated it before the Catalog bean read it, and the actuator reports it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {

    private static EmbeddedPostgres embedded;
    private static String adminUrl;
    private static String database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException, SQLException {
        String given = System.getenv("GEARSHIFT_TEST_PG_URL");
        if (given != null && !given.isBlank()) {
            adminUrl = given;
        } else {
            embedded = EmbeddedPostgres.builder().setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
            adminUrl = embedded.getJdbcUrl("postgres", "postgres");
        }
        // A database of its own: the server may be shared with other test runs.
        database = "shop_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
        registry.add("spring.datasource.url", () -> urlOf(database));
    }

    @AfterAll
    static void dropDatabase() throws IOException, SQLException {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        if (embedded != null) {
            embedded.close();
        }
    }

    @Autowired
    Catalog catalog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestRestTemplate http;

    @Test
    void theSchemaWasMigratedBeforeTheCatalogReadIt() {
        assertThat(catalog.skus()).containsExactly("GS-1", "GS-2");
        assertThat(jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'shop'"
                + " ORDER BY 1").query(String.class).list()).containsExactly("gearshift_history", "orders", "products");
        assertThat(jdbc.sql("SELECT DISTINCT currency FROM products").query(String.class).list())
                .containsExactly("EUR");
    }

    @Test
    void theActuatorEndpointAndHealthReportTheMigrations() {
        ResponseEntity<String> endpoint = http.getForEntity("/actuator/gearshift", String.class);
        assertThat(endpoint.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(endpoint.getBody()).contains("\"catalog\"", "\"orders\"", "create_products", "create_orders");

        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).contains("\"gearshift\":{\"status\":\"UP\"");
    }

    private static String urlOf(String name) {
        int query = adminUrl.indexOf('?');
        String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

}
