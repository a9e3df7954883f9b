package dev.gearshift.internal.model;

import dev.gearshift.JavaMigration;
import java.util.Optional;

/**
 * One versioned migration of one module: SQL scripts, or Java code.
 *
 * @param checksum identifies the content of {@code up}; an applied migration must keep it
 */
public record Migration(String module, long version, String name, Optional<Script> up, Optional<Script> down,
                        Optional<Script> verify, Optional<JavaCode> java, String checksum) {

    public boolean isJava() {
        return java.isPresent();
    }

    public String kind() {
        return isJava() ? "java" : "sql";
    }

    public String id() {
        return module + "/" + version + "_" + name;
    }

    public String location() {
        return up.map(Script::location).or(() -> java.map(JavaCode::location)).orElse(id());
    }

    public boolean hasDown() {
        return down.isPresent() || java.map(JavaCode::hasDown).orElse(false);
    }

    /**
     * Java code of a migration: an instance registered through the API, or a source file beside the SQL
     * files, compiled when first needed.
     */
    public record JavaCode(String location, Optional<JavaMigration> instance, Optional<String> source) {

        public boolean hasDown() {
            // A source file's down() is only known after compiling; JavaFiles checks it then.
            return instance.map(JavaCode::overridesDown).orElse(true);
        }

        public static boolean overridesDown(JavaMigration migration) {
            try {
                return migration.getClass().getMethod("down", dev.gearshift.MigrationContext.class)
                        .getDeclaringClass() != JavaMigration.class;
            } catch (NoSuchMethodException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
