package dev.gearshift.spring.boot;

import dev.gearshift.Gearshift;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;

/**
 * Migrates the application's DataSource at start-up from {@code classpath:db/migrations}: the {@link Gearshift}
 * bean is built from {@code gearshift.*} properties (and {@link GearshiftCustomizer} beans), and the
 * {@link GearshiftInitializer} runs it, before JdbcTemplate, JPA and other beans that use the database, as Spring
 * Boot orders its Flyway and Liquibase initializers.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(Gearshift.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "gearshift", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GearshiftProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class GearshiftAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Gearshift gearshift(DataSource dataSource, GearshiftProperties properties, ResourceLoader resources,
                               ObjectProvider<GearshiftCustomizer> customizers) {
        Gearshift.Builder builder = Gearshift.configure().dataSource(dataSource)
                .migrations(properties.locations()).classLoader(resources.getClassLoader());
        if (properties.project() != null) {
            builder.project(Path.of(properties.project()));
        }
        if (properties.schema() != null) {
            builder.schema(properties.schema());
        }
        if (properties.createSchema() != null) {
            builder.createSchema(properties.createSchema());
        }
        if (properties.historyTable() != null) {
            builder.historyTable(properties.historyTable());
        }
        if (properties.migratorWait() != null) {
            builder.migratorWait(properties.migratorWait());
        }
        if (properties.ddlLockTimeout() != null) {
            builder.ddlLockTimeout(properties.ddlLockTimeout());
        }
        properties.placeholders().forEach(builder::placeholder);
        properties.settings().forEach(builder::setting);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    public GearshiftInitializer gearshiftInitializer(Gearshift gearshift, DataSource dataSource,
                                                     GearshiftProperties properties) {
        return new GearshiftInitializer(gearshift, dataSource, properties);
    }
}
