package dev.gearshift.example;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The products, read once when the bean is made: this works only because the starter migrated the schema
 * before any bean that uses the database (here through JdbcClient) was created.
 */
@Component
public class Catalog {

    private final List<String> skus;

    public Catalog(JdbcClient jdbc) {
        this.skus = jdbc.sql("SELECT sku FROM products ORDER BY sku").query(String.class).list();
    }

    public List<String> skus() {
        return skus;
    }
}
