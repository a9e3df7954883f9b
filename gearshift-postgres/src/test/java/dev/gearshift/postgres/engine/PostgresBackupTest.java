package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.BackupContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's BackupContract, run against PostgreSQL when the machine's pg_dump can dump it. */
@ExtendWith(PostgresExtension.class)
class PostgresBackupTest extends BackupContract {

    PostgresBackupTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }

    @BeforeEach
    void requireMatchingServer() {
        PostgresExtension.assumeMachinePgDumpCanDump();
    }
}
