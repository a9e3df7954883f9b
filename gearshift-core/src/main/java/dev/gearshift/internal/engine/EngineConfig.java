package dev.gearshift.internal.engine;

import dev.gearshift.internal.model.MigrationSet;
import dev.gearshift.internal.source.JavaFileCompiler;
import dev.gearshift.spi.Dialect;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one engine works with, resolved from the builder, the project file and the defaults.
 *
 * @param schema       the target schema, or empty for the connection's default
 * @param settings     session settings for the whole run ({@code lock_timeout}, {@code statement_timeout}, ...)
 * @param migratorWait   how long to wait for another migrator's lock
 * @param ddlLockWait    how long a transactional migration's statement waits for a table lock before it gives up
 *                       and the migration is rolled back and retried; zero: as long as it takes
 * @param ddlLockRetries how many times a migration that gave up waiting for a table lock is run again
 * @param backup       where to dump the target before a run changes it
 * @param compiler     compiles {@code .java} migration files once for every target that runs them
 */
public record EngineConfig(Dialect dialect, Connections connections, MigrationSet migrations, Optional<String> schema,
                           boolean createSchema, String historyTable, Map<String, String> placeholders,
                           Map<String, String> settings, Duration migratorWait, Duration ddlLockWait,
                           int ddlLockRetries, boolean waitForGuards, boolean dryRun,
                           boolean singleTransaction, boolean outOfOrder, boolean verifyAfterUp, String toolVersion,
                           JavaFileCompiler compiler, Optional<java.nio.file.Path> backup) {

    public EngineConfig {
        schema.ifPresent(name -> SchemaNames.check(dialect, name));
        placeholders = Map.copyOf(placeholders);
        settings = Map.copyOf(settings);
    }

    public EngineConfig withDryRun(boolean dryRun) {
        return new EngineConfig(dialect, connections, migrations, schema, createSchema, historyTable, placeholders,
                settings, migratorWait, ddlLockWait, ddlLockRetries, waitForGuards, dryRun, singleTransaction, outOfOrder, verifyAfterUp, toolVersion,
                compiler, backup);
    }

    /** The same sources and options against another database or schema (a fleet's tenants share one). */
    public EngineConfig withTarget(Connections connections, Optional<String> schema) {
        return new EngineConfig(dialect, connections, migrations, schema, createSchema, historyTable, placeholders,
                settings, migratorWait, ddlLockWait, ddlLockRetries, waitForGuards, dryRun, singleTransaction, outOfOrder, verifyAfterUp, toolVersion,
                compiler, backup);
    }
}
