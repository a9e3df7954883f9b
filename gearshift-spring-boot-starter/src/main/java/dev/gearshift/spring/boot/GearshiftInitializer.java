package dev.gearshift.spring.boot;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Guard;
import dev.gearshift.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Migrates the DataSource when the context starts, before the beans that use the database (JdbcTemplate, JPA,
 * {@code @DependsOnDatabaseInitialization} beans: Spring Boot orders them after every database initializer, of
 * which this is one); or, with {@code fail-on-pending}, refuses to start while a migration is pending. With
 * {@code guard}, holds the shared guard until the context closes.
 */
public final class GearshiftInitializer implements InitializingBean, DisposableBean {

    private final Gearshift gearshift;
    private final DataSource dataSource;
    private final GearshiftProperties properties;
    private Guard guard;

    public GearshiftInitializer(Gearshift gearshift, DataSource dataSource, GearshiftProperties properties) {
        this.gearshift = gearshift;
        this.dataSource = dataSource;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        Status status = gearshift.status();
        if (properties.failOnPending()) {
            if (!status.isCurrent()) {
                throw new GearshiftException(ErrorCode.VALIDATION, "gearshift.fail-on-pending is set and "
                        + gearshift.target() + " is not current; migrate it first (gearshift up):\n" + status);
            }
        } else if (!status.isCurrent()) {
            // Only when there is something to do: a migration takes the exclusive lock, which running instances'
            // guards refuse, and an instance whose schema is current must start among them.
            gearshift.up();
        }
        if (properties.guard()) {
            guard = Gearshift.guard(dataSource, schema());
        }
    }

    private String schema() {
        if (properties.schema() != null) {
            return properties.schema();
        }
        return gearshift.project().defaultSchema().orElseGet(() -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT current_schema()")) {
                row.next();
                return row.getString(1);
            } catch (SQLException e) {
                throw new GearshiftException(ErrorCode.CONNECTION, "cannot read the connection's schema for the"
                        + " guard: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void destroy() {
        if (guard != null) {
            guard.close();
        }
    }
}
