package dev.gearshift.example;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The example's test PostgreSQL: the server at GEARSHIFT_TEST_PG_URL, else an embedded one; each test makes a
 * database of its own on it, since the server may be shared with other test runs.
 */
final class TestServer implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String adminUrl;
    private final List<String> databases = new ArrayList<>();

    private TestServer(EmbeddedPostgres embedded, String adminUrl) {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
    }

    static TestServer start() throws IOException {
        String given = System.getenv("GEARSHIFT_TEST_PG_URL");
        if (given != null && !given.isBlank()) {
            return new TestServer(null, given);
        }
        EmbeddedPostgres embedded = EmbeddedPostgres.builder().setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
        return new TestServer(embedded, embedded.getJdbcUrl("postgres", "postgres"));
    }

    /** A new, empty database: its JDBC URL, with the server's credentials. */
    String newDatabase() throws SQLException {
        String name = "shop_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        databases.add(name);
        int query = adminUrl.indexOf('?');
        String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws IOException, SQLException {
        for (String database : databases) {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
