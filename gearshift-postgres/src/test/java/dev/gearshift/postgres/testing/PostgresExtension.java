package dev.gearshift.postgres.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link TestDatabase} parameters: the server at {@code GEARSHIFT_TEST_PG_URL} when it is set
 * (a JDBC URL with credentials), else an embedded PostgreSQL started once for the whole test run.
 */
public final class PostgresExtension implements ParameterResolver {

    public static final String URL_VARIABLE = "GEARSHIFT_TEST_PG_URL";

    /**
     * Skips a test that runs pg_dump unless the server is at {@link #URL_VARIABLE}: the machine's pg_dump refuses
     * a server newer than itself, such as the embedded one (CI's PostgreSQL 15 pass runs these).
     */
    public static void assumeMachinePgDumpCanDump() {
        assumeTrue(System.getenv(URL_VARIABLE) != null, "skipped: backups need pg_dump of the server's version; set "
                + URL_VARIABLE + " to a server the machine's pg_dump can dump (CI's PostgreSQL 15 pass runs these)");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new TestDatabase(configured);
        }
        Server server = context.getRoot().getStore(ExtensionContext.Namespace.create(PostgresExtension.class))
                .getOrComputeIfAbsent(Server.class, key -> Server.start(), Server.class);
        return new TestDatabase(server.postgres.getJdbcUrl("postgres", "postgres"));
    }

    /** The embedded server, stopped when the test run ends. */
    private record Server(EmbeddedPostgres postgres) implements ExtensionContext.Store.CloseableResource {
        static Server start() {
            try {
                return new Server(EmbeddedPostgres.builder()
                        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                        .start());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL; set " + URL_VARIABLE, e);
            }
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }
}
