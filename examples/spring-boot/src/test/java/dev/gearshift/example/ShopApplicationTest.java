package dev.gearshift.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
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

    private static TestServer server;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException, SQLException {
        server = TestServer.start();
        String url = server.newDatabase();
        registry.add("spring.datasource.url", () -> url);
    }

    @AfterAll
    static void dropDatabase() throws IOException, SQLException {
        server.close();
    }

    @Autowired
    Catalog catalog;

    @Autowired
    ProductRepository products;

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
    void jpaValidatedItsMappingAgainstTheMigratedSchema() {
        assertThat(products.findAllByOrderBySku()).extracting(Product::name).containsExactly("Gearbox", "Clutch");
    }

    @Test
    void withoutTheMigrationsHibernateRefusesToStart() throws SQLException {
        // The same application on an empty database with the starter switched off: ddl-auto=validate finds no
        // table, so the context above started only because the migrations ran before JPA.
        String empty = server.newDatabase();
        assertThatThrownBy(() -> new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.datasource.url=" + empty, "--gearshift.enabled=false").close())
                .rootCause().hasMessageContaining("Schema-validation: missing table [products]");
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
}
