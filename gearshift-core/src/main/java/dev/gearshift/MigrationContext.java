package dev.gearshift;

import java.sql.Connection;
import java.util.Map;

/**
 * What a {@link JavaMigration} works with.
 *
 * @param connection   the connection to use, inside the migration's transaction when it has one;
 *                     its search_path is the target schema; do not commit or close it; null on a store that is
 *                     not SQL
 * @param schema       the target schema
 * @param module       the migration's module
 * @param version      the migration's version, empty for a repeatable migration
 * @param placeholders the configured placeholders
 * @param store        what a store that is not SQL hands its migrations instead of a connection (a key-value
 *                     store's write unit), or null; read it with {@link #store(Class)}
 */
public record MigrationContext(Connection connection, String schema, String module, java.util.Optional<Version> version,
                               Map<String, String> placeholders, Object store) {

    /** The context of a migration of a SQL store. */
    public MigrationContext(Connection connection, String schema, String module, java.util.Optional<Version> version,
                            Map<String, String> placeholders) {
        this(connection, schema, module, version, placeholders, null);
    }

    /**
     * The store's own handle, as {@code type}: a migration written for one kind of store asks for what it works
     * with, and is told plainly when it runs against another kind.
     */
    public <T> T store(Class<T> type) {
        if (!type.isInstance(store)) {
            throw new GearshiftException(ErrorCode.USAGE, "this migration works with a " + type.getSimpleName()
                    + ", but its target " + schema + " is " + (store == null ? "a SQL database" : "a "
                    + store.getClass().getSimpleName()));
        }
        return type.cast(store);
    }
}
