package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.CommandsContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's CommandsContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresCommandsTest extends CommandsContract {

    PostgresCommandsTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
