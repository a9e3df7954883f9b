package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.LostLockContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's LostLockContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresLostLockTest extends LostLockContract {

    PostgresLostLockTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
