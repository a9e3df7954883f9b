package dev.gearshift.liquibase;

import dev.gearshift.Gearshift;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.FastCheckService;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Liquibase tests share: a project directory whose {@code migrations} folder is Liquibase's search path,
 * schemas made for the test and dropped after it, and Liquibase itself run on one of them.
 */
@ExtendWith(PostgresExtension.class)
abstract class LiquibaseProjectTest {

    /** An XML changelog's opening, up to its changesets. */
    static final String XML_HEAD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                    http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
            """;

    @TempDir
    Path dir;

    TestDatabase db;
    private final List<String> schemas = new ArrayList<>();

    interface Action<T> {
        T run(Liquibase liquibase) throws Exception;
    }

    @AfterEach
    void dropSchemas() {
        schemas.forEach(s -> db.dropSchemaQuietly(s));
    }

    /** A new, empty schema of {@code db}, dropped after the test. */
    String schema(TestDatabase db) throws Exception {
        this.db = db;
        String schema = db.newSchema();
        schemas.add(schema);
        db.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
        return schema;
    }

    /** Writes {@code text} to {@code path} under the migrations folder. */
    Path write(String path, String text) throws IOException {
        Path file = dir.resolve("migrations").resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** Gearshift on the schema, the project's gearshift.yaml being {@code projectFile}. */
    Gearshift gearshift(String schema, String projectFile) throws IOException {
        Files.writeString(dir.resolve("gearshift.yaml"), projectFile);
        return Gearshift.configure().url(db.url()).schema(schema).createSchema(true).project(dir)
                .migrations(dir.resolve("migrations")).build();
    }

    /** Liquibase itself, on the schema, with the migrations directory as its search path. */
    <T> T liquibase(String schema, String changelog, Action<T> action) throws Exception {
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (Connection connection = DriverManager.getConnection(url)) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            database.setDefaultSchemaName(schema);
            // Liquibase remembers in the JVM that a changelog was up to date: as a run of its own (the CLI) would,
            // it looks at DATABASECHANGELOG every time.
            Scope.getCurrentScope().getSingleton(FastCheckService.class).clearCache();
            try (Liquibase liquibase = new Liquibase(changelog,
                    new DirectoryResourceAccessor(dir.resolve("migrations")), database)) {
                return action.run(liquibase);
            }
        }
    }

    /** Liquibase's update of the schema from {@code changelog}. */
    void update(String schema, String changelog) throws Exception {
        liquibase(schema, changelog, l -> {
            l.update(new Contexts(), new LabelExpression());
            return null;
        });
    }

    boolean tableExists(String schema, String table) throws Exception {
        return !db.column("SELECT 1 FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = '" + table
                + "'").isEmpty();
    }
}
