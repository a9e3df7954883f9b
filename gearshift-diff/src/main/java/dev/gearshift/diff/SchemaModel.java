package dev.gearshift.diff;

import dev.gearshift.Counts;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.diff.internal.CatalogReader;
import dev.gearshift.diff.internal.Key;
import dev.gearshift.diff.internal.Model;
import dev.gearshift.jdbc.JdbcTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Everything in one database schema, read from the PostgreSQL catalogs: tables and their columns, constraints,
 * indexes, views, functions, triggers, sequences, types, extensions, comments, privileges and row-level security
 * policies. An immutable value: two models are equal when the same DDL would create them, whatever the schema's
 * name, so a live schema compares with one built from migrations in a throwaway database.
 *
 * <pre>{@code
 * SchemaModel live = SchemaModel.read(dataSource, "app");
 * SchemaChanges changes = SchemaDiff.between(live, desired);
 * }</pre>
 */
public final class SchemaModel {

    private final String schema;
    private final Model model;
    private final int serverVersion;

    SchemaModel(String schema, Model model, int serverVersion) {
        this.schema = schema;
        this.model = model;
        this.serverVersion = serverVersion;
    }

    /** A schema with nothing in it: diff from it to get a schema's creation script, to it for the drops. */
    public static SchemaModel empty(String schema) {
        return new SchemaModel(schema, Model.empty(), 0);
    }

    /**
     * Reads {@code schema} of the database at {@code url} ({@code jdbc:postgresql://...} or {@code postgres://...};
     * user and password may be null), leaving out Gearshift's history table.
     */
    public static SchemaModel read(String url, String user, String password, String schema) {
        JdbcTarget target = dev.gearshift.jdbc.JdbcStoreProvider.resolve(url, user, password);
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.properties())) {
            return read(connection, schema);
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot connect to " + target.display() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads {@code schema}, leaving out Gearshift's history table. */
    public static SchemaModel read(DataSource dataSource, String schema) {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection, schema);
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot read schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code schema} on an open connection (left as it was found), leaving out the history table. */
    public static SchemaModel read(Connection connection, String schema) {
        return read(connection, schema, Set.of(Gearshift.HISTORY_TABLE));
    }

    /** @param ignoredTables tables that are not part of the schema's design, such as a history table */
    public static SchemaModel read(Connection connection, String schema, Set<String> ignoredTables) {
        try {
            int version;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
                row.next();
                version = row.getInt(1);
            }
            return new SchemaModel(schema, CatalogReader.read(connection, schema, ignoredTables), version);
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot read schema " + schema + ": " + e.getMessage(), e);
        }
    }

    public String schema() {
        return schema;
    }

    /** Objects found that the model cannot represent yet, by name: compare them by hand. */
    public List<String> unsupported() {
        return model.unsupported();
    }

    /** Every object, for people: {@code table orders}, {@code constraint orders_pkey on orders}. */
    public List<String> objects() {
        return model.objects().keySet().stream().map(Key::toString).toList();
    }

    public boolean isEmpty() {
        return model.objects().isEmpty();
    }

    /** The SQL that creates this schema's objects in an empty schema, in dependency order. */
    public String ddl() {
        return SchemaDiff.between(empty(schema), this).sql();
    }

    /** The PostgreSQL version that printed the definitions ({@code 170006}), 0 for {@link #empty}. */
    public int serverVersion() {
        return serverVersion;
    }

    Model model() {
        return model;
    }

    SchemaModel withModel(Model other) {
        return new SchemaModel(schema, other, serverVersion);
    }

    /** Same objects; the schema's name and the server do not count. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SchemaModel m && model.sameObjects(m.model);
    }

    @Override
    public int hashCode() {
        return model.objects().hashCode();
    }

    @Override
    public String toString() {
        return "schema " + schema + " (" + Counts.of(model.objects().size(), "object") + ")";
    }
}
