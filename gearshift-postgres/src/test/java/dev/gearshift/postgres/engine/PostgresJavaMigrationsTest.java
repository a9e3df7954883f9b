package dev.gearshift.postgres.engine;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.PostgresFixture;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.testkit.JavaMigrationsContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test kit's JavaMigrationsContract, run against PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresJavaMigrationsTest extends JavaMigrationsContract {

    PostgresJavaMigrationsTest(TestDatabase db) {
        super(new PostgresFixture(db));
    }
}
