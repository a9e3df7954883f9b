package dev.gearshift.junit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL server the test run's databases live on: the one at {@value #URL_VARIABLE}, else an embedded one
 * started for the run and stopped at its end.
 *
 * @param adminUrl a JDBC URL, with credentials, of a user who may create databases
 */
record TestServer(String adminUrl, EmbeddedPostgres embedded) implements ExtensionContext.Store.CloseableResource,
        AutoCloseable {

    /** The environment variable (or, in lower case with dots, {@code gearshift.test.pg.url}, the system property). */
    static final String URL_VARIABLE = "GEARSHIFT_TEST_PG_URL";

    static TestServer start() {
        String given = System.getProperty("gearshift.test.pg.url", System.getenv(URL_VARIABLE));
        if (given != null && !given.isBlank()) {
            if (!given.startsWith("jdbc:postgresql://")) {
                throw new ExtensionConfigurationException(URL_VARIABLE + " must be a JDBC URL such as"
                        + " jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
            }
            return new TestServer(given, null);
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new TestServer(postgres.getJdbcUrl("postgres", "postgres"), postgres);
        } catch (IOException | RuntimeException e) {
            throw new ExtensionConfigurationException("cannot start the embedded PostgreSQL (" + e.getMessage()
                    + "); set " + URL_VARIABLE + " to the JDBC URL of a server to use instead", e);
        }
    }

    /** The URL of another database of this server, with the same credentials and parameters. */
    String urlOf(String database) {
        int hostStart = "jdbc:postgresql://".length();
        int query = adminUrl.indexOf('?', hostStart);
        int pathStart = adminUrl.indexOf('/', hostStart);
        int hostEnd = pathStart >= 0 && (query < 0 || pathStart < query) ? pathStart : query >= 0 ? query
                : adminUrl.length();
        return adminUrl.substring(0, hostEnd) + "/" + database + (query >= 0 ? adminUrl.substring(query) : "");
    }

    /** A database name of its own: other test runs may share the server. */
    static String newName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    void create(String database, String template) {
        execute("CREATE DATABASE " + quote(database) + (template == null ? "" : " TEMPLATE " + quote(template)));
    }

    /** Drops a database made for the run, closing sessions a test left open. */
    void drop(String database) {
        execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
