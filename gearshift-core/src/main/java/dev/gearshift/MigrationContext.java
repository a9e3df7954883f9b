package dev.gearshift;

import java.sql.Connection;
import java.util.Map;

/**
 * What a {@link JavaMigration} works with.
 *
 * @param connection   the connection to use, inside the migration's transaction when it has one;
 *                     its search_path is the target schema; do not commit or close it
 * @param schema       the target schema
 * @param module       the migration's module
 * @param version      the migration's version, empty for a repeatable migration
 * @param placeholders the configured placeholders
 */
public record MigrationContext(Connection connection, String schema, String module, java.util.Optional<Version> version,
                               Map<String, String> placeholders) {
}
