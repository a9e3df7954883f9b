package dev.gearshift.spring.boot;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Tells Spring Boot that {@link GearshiftInitializer} initializes the database, so that JdbcTemplate, JPA and
 * {@code @DependsOnDatabaseInitialization} beans are created after it.
 */
public final class GearshiftDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(GearshiftInitializer.class);
    }
}
