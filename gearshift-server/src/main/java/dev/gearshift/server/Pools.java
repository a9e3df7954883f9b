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

    private record Key(String url, String user, String password) {
    }

    private final Map<Key, HikariDataSource> pools = new ConcurrentHashMap<>();

    DataSource dataSource(String url, Credentials credentials) {
        return pools.computeIfAbsent(new Key(url, credentials.user(), credentials.password()), key -> {
            JdbcTarget target = Gearshift.resolve(key.url(), key.user(), key.password());
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(target.jdbcUrl());
            config.setDataSourceProperties(target.properties());
            // a migration holds two connections (the lock's and the work's); a few requests may run at once
            config.setMaximumPoolSize(8);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
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
