package dev.gearshift.diff;

import dev.gearshift.Counts;
import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.diff.internal.CatalogReader;
import dev.gearshift.diff.internal.Key;
import dev.gearshift.diff.internal.Kind;
import dev.gearshift.diff.internal.Model;
import dev.gearshift.jdbc.JdbcTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
 * <p>Or everything in several schemas of a database ({@link #readDatabase}), the schemas included: then every
 * name is schema-qualified, in the model and in the DDL made from it, and objects of one schema may depend on
 * another's. A one-schema model names nothing by its schema, so its DDL runs in any schema first on the search
 * path (each tenant's, for a fleet).
 *
 * <pre>{@code
 * SchemaModel live = SchemaModel.read(dataSource, "app");
 * SchemaChanges changes = SchemaDiff.between(live, desired);
 * SchemaModel whole = SchemaModel.readDatabase(dataSource, List.of());   // every schema
 * }</pre>
 */
public final class SchemaModel {

    /** The schema of a one-schema model; null for a database model. */
    private final String schema;
    private final boolean exists;
    private final Model model;
    private final int serverVersion;

    SchemaModel(String schema, boolean exists, Model model, int serverVersion) {
        this.schema = schema;
        this.exists = exists;
        this.model = model;
        this.serverVersion = serverVersion;
    }

    /**
     * A schema with nothing in it, not even the schema ({@link #exists} is false): diff from it to get a schema's
     * creation script, to it for the drops.
     */
    public static SchemaModel empty(String schema) {
        return new SchemaModel(schema, false, Model.empty(), 0);
    }

    /** A database without a single schema: diff from it to get a database's creation script. */
    public static SchemaModel emptyDatabase() {
        return new SchemaModel(null, true, Model.empty(), 0);
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
            boolean exists;
            int version;
            try (PreparedStatement statement = connection.prepareStatement("SELECT"
                    + " current_setting('server_version_num')::int,"
                    + " EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
                statement.setString(1, schema);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    version = row.getInt(1);
                    exists = row.getBoolean(2);
                }
            }
            return new SchemaModel(schema, exists, CatalogReader.read(connection, schema, ignoredTables), version);
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot read schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads several schemas of the database at {@code url}, or all of them, leaving out Gearshift's history table.
     *
     * @param schemas the schemas to compare (those missing are simply not in the model), or none for every schema
     *                but PostgreSQL's own ({@code pg_catalog}, {@code information_schema}, {@code pg_toast*},
     *                {@code pg_temp*}) and those that belong to an extension
     */
    public static SchemaModel readDatabase(String url, String user, String password, List<String> schemas) {
        JdbcTarget target = dev.gearshift.jdbc.JdbcStoreProvider.resolve(url, user, password);
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.properties())) {
            return readDatabase(connection, schemas, Set.of(Gearshift.HISTORY_TABLE));
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot connect to " + target.display() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads several schemas, or all of them (none given): see {@link #readDatabase(String, String, String, List)}. */
    public static SchemaModel readDatabase(DataSource dataSource, List<String> schemas) {
        try (Connection connection = dataSource.getConnection()) {
            return readDatabase(connection, schemas, Set.of(Gearshift.HISTORY_TABLE));
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot read the database: " + e.getMessage(), e);
        }
    }

    /**
     * Reads several schemas, or all of them, on an open connection (left as it was found).
     *
     * @param ignoredTables tables left out in every schema, such as a history table
     */
    public static SchemaModel readDatabase(Connection connection, List<String> schemas, Set<String> ignoredTables) {
        try {
            int version;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
                row.next();
                version = row.getInt(1);
            }
            return new SchemaModel(null, true, CatalogReader.readSchemas(connection, List.copyOf(schemas),
                    ignoredTables), version);
        } catch (SQLException e) {
            throw new GearshiftException(ErrorCode.CONNECTION, "cannot read the database: " + e.getMessage(), e);
        }
    }

    /** The schema of a one-schema model; null for a database model. */
    public String schema() {
        return schema;
    }

    /** True for a model of several schemas ({@link #readDatabase}), whose names are schema-qualified. */
    public boolean isDatabase() {
        return schema == null;
    }

    /** The schemas in the model: the one schema, or those of a database model. */
    public List<String> schemas() {
        if (!isDatabase()) {
            return List.of(schema);
        }
        return model.objects().keySet().stream().filter(k -> k.kind() == Kind.SCHEMA).map(Key::name).toList();
    }

    /**
     * False when the schema was not there: read from a database that lacks it, or {@link #empty}. The changes
     * from such a model need the schema created first. Always true for a database model, whose schemas are
     * created and dropped by its changes.
     */
    public boolean exists() {
        return exists;
    }

    /**
     * What puts a one-schema script from this model in its schema: the search path, and the schema itself when it
     * does not exist yet, or every statement would land in public.
     */
    public String preamble() {
        String quoted = schema.matches("[a-z_][a-z0-9_]*") ? schema : '"' + schema.replace("\"", "\"\"") + '"';
        return (exists ? "" : "CREATE SCHEMA IF NOT EXISTS " + quoted + ";\n") + "SET search_path TO "
                + (schema.equals("public") ? quoted : quoted + ", public") + ";\n";
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

    /** The SQL that creates this schema's objects in an empty schema (or a database's schemas), in dependency order. */
    public String ddl() {
        return SchemaDiff.between(isDatabase() ? emptyDatabase() : empty(schema), this).sql();
    }

    /** The PostgreSQL version that printed the definitions ({@code 170006}), 0 for {@link #empty}. */
    public int serverVersion() {
        return serverVersion;
    }

    Model model() {
        return model;
    }

    SchemaModel withModel(Model other) {
        return new SchemaModel(schema, exists, other, serverVersion);
    }

    /** Same objects; the schema's name (of a one-schema model) and the server do not count. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SchemaModel m && isDatabase() == m.isDatabase() && model.sameObjects(m.model);
    }

    @Override
    public int hashCode() {
        return model.objects().hashCode();
    }

    @Override
    public String toString() {
        return (isDatabase() ? "schemas " + String.join(", ", schemas()) : "schema " + schema) + " ("
                + Counts.of(model.objects().size(), "object") + ")";
    }
}
