package dev.gearshift.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The repackaged application run as users run it, {@code java -jar}: the starter reads the migrations in place
 * inside the fat jar, module catalog from {@code BOOT-INF/classes/db/migrations} and module orders from the jar
 * nested in it, {@code BOOT-INF/lib/gearshift-example-orders-migrations-*.jar!/db/migrations} (Boot's
 * {@code jar:nested:} URLs), and migrates before the Catalog reads. The checksums it records are those of the
 * source directories.
 */
class FatJarIT {

    @Test
    void theFatJarMigratesItsDatabaseAtStartUp() throws Exception {
        Path jar = Path.of(System.getProperty("fatJar"));
        assertThat(jar).exists();
        try (JarFile fat = new JarFile(jar.toFile())) {
            List<String> entries = fat.stream().map(JarEntry::getName).toList();
            assertThat(entries).as("orders come in a jar of their own")
                    .anyMatch(e -> e.matches("BOOT-INF/lib/gearshift-example-orders-migrations-.*\\.jar"))
                    .contains("BOOT-INF/classes/db/migrations/catalog/1_create_products.up.sql")
                    .noneMatch(e -> e.startsWith("BOOT-INF/classes/db/migrations/orders"));
        }
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

            // The same migrations read from their directories: validate compares each file's checksum with the one
            // recorded from inside the fat jar, and throws on any difference.
            Path copy = Files.createTempDirectory("gearshift-orders");
            Path orders = Path.of(System.getProperty("ordersMigrations"));
            try (var files = Files.walk(orders)) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(orders.relativize(file).toString()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Status status = fromDirectories(url, copy).validate();
            assertThat(status.modules()).hasSize(2);
            // and the comparison is real: one byte more in a copy of an applied script is a changed migration
            Files.writeString(copy.resolve("orders/1_create_orders.up.sql"), " ", StandardOpenOption.APPEND);
            assertThatThrownBy(() -> fromDirectories(url, copy).validate()).isInstanceOf(GearshiftException.class)
                    .hasMessageContaining("1_create_orders");
        }
    }

    private static Gearshift fromDirectories(String url, Path orders) {
        return Gearshift.configure().url(url).schema("shop").placeholder("currency", "EUR")
                .migrations(List.of(System.getProperty("catalogMigrations"), orders.toString())).build();
    }
}
