package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.BadInputContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's BadInputContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresBadInputTest extends BadInputContract {

    PostgresBadInputTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
