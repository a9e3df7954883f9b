package dev.gearshift.postgres.engine;

import dev.gearshift.Gearshift;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrations project in a temporary directory, written file by file by a test, and the fresh schema it
 * migrates. Paths are relative to the migrations directory: {@code write("core/1_plans.up.sql", "...")}.
 */
final class TestProject {

    final TestDatabase db;
    final Path root;
    final Path migrations;
    final String schema;

    TestProject(TestDatabase db, Path root) {
        this.db = db;
        this.root = root;
        this.migrations = root.resolve("migrations");
        this.schema = db.newSchema();
        DropSchemas.later(db, schema);
        try {
            Files.createDirectories(migrations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestProject write(String path, String text) {
        return writeBytes(path, text.getBytes(StandardCharsets.UTF_8));
    }

    TestProject writeBytes(String path, byte[] bytes) {
        try {
            Path file = file(path);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestProject delete(String path) {
        try {
            Files.delete(file(path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code gearshift.yaml} beside the migrations directory. */
    TestProject yaml(String text) {
        try {
            Files.writeString(root.resolve("gearshift.yaml"), text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file(String path) {
        return migrations.resolve(path);
    }

    /** How the engine names a file in messages: its path as given to it. */
    String location(String path) {
        return file(path).toString();
    }

    Gearshift.Builder configure() {
        return Gearshift.configure()
                .url(db.url())
                .schema(schema)
                .createSchema(true)
                .project(root)
                .migrations(migrations);
    }

    Gearshift gearshift() {
        return configure().build();
    }

    String snapshot() throws SQLException {
        return db.snapshot(schema);
    }

    boolean tableExists(String table) throws SQLException {
        return !db.column("SELECT 1 FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = '" + table
                + "'").isEmpty();
    }

    List<String> column(String sql) throws SQLException {
        return db.column(sql.replace("<schema>", '"' + schema + '"'));
    }

    /** The history as the database holds it, read with plain SQL rather than through Gearshift. */
    List<String> historyRows() throws SQLException {
        if (!tableExists(Gearshift.HISTORY_TABLE)) {
            return List.of();
        }
        return column("SELECT module || '/' || version || ' ' || action || ' ' || outcome FROM <schema>."
                + Gearshift.HISTORY_TABLE + " ORDER BY id");
    }

    /**
     * Drops the schemas a test created once it is over, so a long-lived test server stays small: catalog views
     * such as information_schema.column_privileges (used by snapshots) slow down with every schema left behind.
     */
    static final class DropSchemas implements AfterEachCallback {

        private static final List<Runnable> DROPS = new CopyOnWriteArrayList<>();

        static void later(TestDatabase db, String schema) {
            DROPS.add(() -> db.dropSchemaQuietly(schema));
        }

        @Override
        public void afterEach(ExtensionContext context) {
            List<Runnable> drops = List.copyOf(DROPS);
            DROPS.removeAll(drops);
            drops.forEach(Runnable::run);
        }
    }
}
