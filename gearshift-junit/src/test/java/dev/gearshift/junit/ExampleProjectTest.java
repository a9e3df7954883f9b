package dev.gearshift.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code @GearshiftTest} on the bundled example project (two modules, placeholders, schema {@code saas}). */
@GearshiftTest(project = "../examples/saas")
class ExampleProjectTest {

    @BeforeAll
    static void addATenant(DataSource dataSource) throws SQLException {
        execute(dataSource, "INSERT INTO tenants (slug, plan_code, email) VALUES ('outer', 'free', 'o@x')");
    }

    @Test
    void theClassGetsTheMigratedSchemaAndConnectionsStartInIt(DataSource dataSource, GearshiftDatabase database)
            throws SQLException {
        assertThat(database.schema()).isEqualTo("saas");
        assertThat(column(dataSource, "SELECT code FROM plans ORDER BY price_cents"))
                .containsExactly("free", "team", "business");
        assertThat(column(dataSource, "SELECT slug FROM tenants")).containsExactly("outer");
    }

    @Test
    void theProjectIsCurrentOnIt(Gearshift gearshift) {
        Status status = gearshift.status();
        assertThat(status.isCurrent()).as(status.toString()).isTrue();
        assertThat(status.module("auth").orElseThrow().current()).isPresent();
    }

    @Test
    void theSchemaIsWhatTheMigrationsMake(GearshiftDatabase database) {
        database.assertCurrent();
    }

    @Test
    void everyMigrationRunsUpDownAndUpAgain(GearshiftDatabase database) {
        database.assertUpDownUp();
    }

    /** A class of its own gets a copy of its own: what the outer class did is not there. */
    @Nested
    class ANestedClass {

        @Test
        void hasItsOwnCopy(DataSource dataSource, GearshiftDatabase database) throws SQLException {
            assertThat(column(dataSource, "SELECT slug FROM tenants")).isEmpty();
            assertThat(column(dataSource, "SELECT current_database()")).containsExactly(database.name());
        }

        @Test
        void aSchemaChangedByHandIsNotCurrent(DataSource dataSource, GearshiftDatabase database) throws SQLException {
            execute(dataSource, "ALTER TABLE tenants ADD COLUMN nickname text");

            assertThatThrownBy(database::assertCurrent).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("nickname");
        }
    }

    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static List<String> column(DataSource dataSource, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
