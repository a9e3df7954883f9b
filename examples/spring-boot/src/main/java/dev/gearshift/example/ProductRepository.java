package dev.gearshift.example;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data JPA over the migrated products table. */
public interface ProductRepository extends JpaRepository<Product, String> {

    List<Product> findAllByOrderBySku();
}
