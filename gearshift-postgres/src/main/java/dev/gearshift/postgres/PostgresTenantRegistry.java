package dev.gearshift.postgres;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.jdbc.JdbcTarget;
import dev.gearshift.spi.TenantRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tenants listed by a PostgreSQL database: its schemas, or the rows of a query. One connection per read. */
public final class PostgresTenantRegistry implements TenantRegistry {

    private final JdbcTarget target;

    private PostgresTenantRegistry(JdbcTarget target) {
        this.target = target;
    }

    /** Finds this registry for {@code jdbc:postgresql:} and {@code postgres://} URLs. */
    public static final class Provider implements TenantRegistry.Provider {
        private final PostgresDialect dialect = new PostgresDialect();

        @Override
        public boolean accepts(String url) {
            return dialect.accepts(url);
        }

        @Override
        public TenantRegistry open(String url, String user, String password) {
            return new PostgresTenantRegistry(dialect.resolve(url, user, password));
        }
    }

    @Override
    public List<String> schemasLike(String pattern) {
        List<String> schemas = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.properties());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT nspname FROM pg_namespace WHERE nspname LIKE ? AND nspname <> ?")) {
            query.setString(1, pattern);
            query.setString(2, PostgresRunStore.SCHEMA);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot list the schemas of " + target.display() + ": "
                    + e.getMessage(), e);
        }
        return schemas;
    }

    @Override
    public List<Map<String, String>> query(String sql) {
        List<Map<String, String>> records = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.properties());
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                Map<String, String> record = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    record.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getString(i));
                }
                records.add(record);
            }
        } catch (SQLException e) {
            throw new GearshiftException(PostgresErrors.isConnectionFailure(e) ? ErrorCode.CONNECTION : ErrorCode.USAGE,
                    "the tenants query failed on " + target.display() + ": " + e.getMessage(), e);
        }
        return records;
    }
}
