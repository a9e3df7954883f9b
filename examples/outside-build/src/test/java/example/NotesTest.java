package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gearshift.junit.GearshiftDatabase;
import dev.gearshift.junit.GearshiftTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The installed gearshift-junit migrates a database for this class from classpath:db/migrations. */
@GearshiftTest(schema = "notes")
class NotesTest {

    @Test
    void theTableIsThere(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO notes (body) VALUES ('installed')");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM notes")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
        }
    }

    @Test
    void upDownUp(GearshiftDatabase database) {
        database.assertCurrent();
        database.assertUpDownUp();
    }
}
