package dev.gearshift.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gearshift.Gearshift;
import dev.gearshift.spi.JdbcTarget;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Connection pools, one per database and login, opened on first use: starting the service dials nothing, and a
 * database nobody asks for is never contacted.
 */
final class Pools implements AutoCloseable {

    private record Key(String url, String user, String password, Duration connectTimeout) {
    }

    /** How long a request's database may take to hand out a connection. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Map<Key, HikariDataSource> pools = new ConcurrentHashMap<>();

    DataSource dataSource(String url, Credentials credentials) {
        return dataSource(url, credentials, CONNECT_TIMEOUT);
    }

    /** {@code connectTimeout}: a fleet's, so that an unreachable tenant database is given up on soon. */
    DataSource dataSource(String url, Credentials credentials, Duration connectTimeout) {
        return pools.computeIfAbsent(new Key(url, credentials.user(), credentials.password(), connectTimeout), key -> {
            JdbcTarget target = Gearshift.resolve(key.url(), key.user(), key.password());
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(target.jdbcUrl());
            config.setDataSourceProperties(target.properties());
            // a migration holds two connections (the lock's and the work's); a few requests may run at once
            config.setMaximumPoolSize(8);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(key.connectTimeout().toMillis());
            config.setInitializationFailTimeout(-1);
            config.setPoolName("gearshift-server " + target.display());
            return new HikariDataSource(config);
        });
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
