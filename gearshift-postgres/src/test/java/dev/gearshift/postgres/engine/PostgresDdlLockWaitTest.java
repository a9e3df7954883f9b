package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.DdlLockWaitContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's DdlLockWaitContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresDdlLockWaitTest extends DdlLockWaitContract {

    PostgresDdlLockWaitTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
