package dev.gearshift.internal.engine;

import dev.gearshift.internal.model.MigrationSet;
import dev.gearshift.internal.source.JavaFileCompiler;
import dev.gearshift.spi.Store;
import dev.gearshift.spi.StoreProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one engine works with, resolved from the builder, the project file and the defaults.
 *
 * @param kind           the kind of store the target is, which also parsed the migrations' scripts
 * @param store          the target
 * @param migratorWait   how long to wait for another migrator's lock
 * @param ddlLockWait    how long a transactional migration's statement waits for a table lock before it gives up
 *                       and the migration is rolled back and retried; zero: as long as it takes
 * @param ddlLockRetries how many times a migration that gave up waiting for a table lock is run again
 * @param backup         where to back the target up before a run changes it
 * @param compiler       compiles {@code .java} migration files once for every target that runs them
 */
public record EngineConfig(StoreProvider kind, Store store, MigrationSet migrations, boolean createSchema,
                           Map<String, String> placeholders, Duration migratorWait, Duration ddlLockWait,
                           int ddlLockRetries, boolean waitForGuards, boolean dryRun, boolean singleTransaction,
                           boolean outOfOrder, boolean verifyAfterUp, String toolVersion, JavaFileCompiler compiler,
                           Optional<java.nio.file.Path> backup) {

    public EngineConfig {
        placeholders = Map.copyOf(placeholders);
    }

    public EngineConfig withDryRun(boolean dryRun) {
        return new EngineConfig(kind, store, migrations, createSchema, placeholders, migratorWait, ddlLockWait,
                ddlLockRetries, waitForGuards, dryRun, singleTransaction, outOfOrder, verifyAfterUp, toolVersion,
                compiler, backup);
    }

    /** The same sources and options against another target (a fleet's tenants share one project). */
    public EngineConfig withStore(Store store) {
        return new EngineConfig(kind, store, migrations, createSchema, placeholders, migratorWait, ddlLockWait,
                ddlLockRetries, waitForGuards, dryRun, singleTransaction, outOfOrder, verifyAfterUp, toolVersion,
                compiler, backup);
    }
}
