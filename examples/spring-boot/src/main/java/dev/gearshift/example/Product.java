package dev.gearshift.example;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of the migrated products table, mapped by JPA. Hibernate checks the mapping against the schema when it
 * starts ({@code spring.jpa.hibernate.ddl-auto=validate}): it finds the table only because the starter migrated
 * first.
 */
@Entity
@Table(name = "products")
public class Product {

    @Id
    private String sku;

    @Column(nullable = false)
    private String name;

    @Column(name = "price_cents", nullable = false)
    private int priceCents;

    @Column(nullable = false)
    private String currency;

    protected Product() {
        // for JPA
    }

    public String sku() {
        return sku;
    }

    public String name() {
        return name;
    }

    public int priceCents() {
        return priceCents;
    }

    public String currency() {
        return currency;
    }
}
