package dev.gearshift.junit;

import dev.gearshift.Gearshift;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A database migrated once per test run and configuration; each test class gets a copy of it. */
record TemplateDatabase(TestServer server, String name, String schema, UnaryOperator<Gearshift.Builder> project)
        implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    /** @param schema the schema to migrate; null: the project's, else {@code public} */
    static TemplateDatabase migrate(TestServer server, UnaryOperator<Gearshift.Builder> project, String schema) {
        String name = TestServer.newName("gearshift_template_");
        server.create(name, null);
        try {
            Gearshift gearshift = project.apply(Gearshift.configure()).url(server.urlOf(name)).schema(schema)
                    .createSchema(true).build();
            gearshift.up();
            String migrated = schema != null ? schema : gearshift.project().defaultSchema().orElse("public");
            return new TemplateDatabase(server, name, migrated, project);
        } catch (RuntimeException e) {
            server.drop(name);
            throw e;
        }
    }

    /** A new database, as migrated as this one: a file copy on the server, however many migrations there are. */
    GearshiftDatabase copy() {
        String copy = TestServer.newName("gearshift_test_");
        server.create(copy, name);
        return new GearshiftDatabase(server, copy, schema, project);
    }

    @Override
    public void close() {
        server.drop(name);
    }
}
