package dev.gearshift.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The repackaged application run as users run it, {@code java -jar}: the starter reads the migrations from
 * {@code BOOT-INF/classes/db/migrations} inside the fat jar, in place, and migrates before the Catalog reads.
 */
class FatJarIT {

    @Test
    void theFatJarMigratesItsDatabaseAtStartUp() throws Exception {
        Path jar = Path.of(System.getProperty("fatJar"));
        assertThat(jar).exists();
        try (TestServer server = TestServer.start()) {
            String url = server.newDatabase();
            Path log = Files.createTempFile("gearshift-fat-jar", ".log");
            // No web server: the application starts, migrates, and ends, its context closed by the JVM's exit.
            Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "--spring.datasource.url=" + url,
                    "--spring.main.web-application-type=none")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(app.waitFor(120, TimeUnit.SECONDS)).as("the application ends").isTrue();
            assertThat(app.exitValue()).as(Files.readString(log)).isZero();

            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT module || '/' || version || ' ' || outcome"
                         + " FROM shop.gearshift_history ORDER BY id")) {
                List<String> history = new ArrayList<>();
                while (rows.next()) {
                    history.add(rows.getString(1));
                }
                assertThat(history).containsExactlyInAnyOrder("catalog/1 success", "orders/1 success");
            }
        }
    }
}
