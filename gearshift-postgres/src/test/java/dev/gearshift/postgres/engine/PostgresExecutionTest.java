package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.ExecutionContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's ExecutionContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresExecutionTest extends ExecutionContract {

    PostgresExecutionTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
