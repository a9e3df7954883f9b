package dev.gearshift.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * The one way Gearshift pools connections to a SQL database (a fleet's tenant databases, the service's
 * databases, a run store): HikariCP, opening nothing until first used and keeping no idle connection, so that a
 * database nobody asks for is never contacted.
 */
public final class JdbcPool {

    private JdbcPool() {
    }

    /**
     * {@code connectTimeout} bounds the wait for a connection, a server that accepts and never answers included;
     * {@code purpose} names the pool in thread names and the pool's own messages, beside the masked target.
     */
    public static HikariDataSource open(JdbcTarget target, int size, Duration connectTimeout, String purpose) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbcUrl());
        config.setDataSourceProperties(target.properties());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        config.setPoolName(purpose + " " + target.display());
        return new HikariDataSource(config);
    }
}
