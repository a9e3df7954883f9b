package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.NoTransactionContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's NoTransactionContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresNoTransactionTest extends NoTransactionContract {

    PostgresNoTransactionTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
