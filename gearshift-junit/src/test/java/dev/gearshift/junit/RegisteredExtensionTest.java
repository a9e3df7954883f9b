package dev.gearshift.junit;

import static dev.gearshift.junit.ExampleProjectTest.column;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension registered in code, over migrations on the test class path ({@code classpath:db/migrations}). */
class RegisteredExtensionTest {

    @RegisterExtension
    static final GearshiftExtension DATABASE = GearshiftExtension.of(b -> b.migrations("classpath:db/migrations"),
            "app");

    @Test
    void migratesTheClassPathMigrations(DataSource dataSource, Gearshift gearshift) throws SQLException {
        assertThat(column(dataSource, "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'app' AND table_name = 'notes' ORDER BY ordinal_position"))
                .containsExactly("id", "body", "author");
        assertThat(gearshift.status().isCurrent()).isTrue();
    }

    @Test
    void upDownUpPassesForMigrationsWhoseDownsUndoTheirUps(GearshiftDatabase database) {
        database.assertUpDownUp();
        database.assertCurrent();
    }
}
