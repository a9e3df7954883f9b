package dev.gearshift.example;

import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The products, read once when the bean is made, through a JPA repository: this works only because the starter
 * migrated the schema before the EntityManagerFactory (which validates its mapping against the tables) and the
 * repositories were created.
 */
@Component
public class Catalog {

    private final List<String> skus;

    public Catalog(ProductRepository products) {
        this.skus = products.findAllByOrderBySku().stream().map(Product::sku).toList();
    }

    public List<String> skus() {
        return skus;
    }
}
