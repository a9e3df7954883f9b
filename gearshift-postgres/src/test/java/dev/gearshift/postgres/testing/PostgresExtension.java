package dev.gearshift.postgres.testing;

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
