package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.LockingContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's LockingContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresLockingTest extends LockingContract {

    PostgresLockingTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
