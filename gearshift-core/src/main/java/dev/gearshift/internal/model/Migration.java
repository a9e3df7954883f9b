package dev.gearshift.internal.model;

import dev.gearshift.JavaMigration;
import dev.gearshift.Problem;
import dev.gearshift.Version;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One migration of one module: SQL scripts, or Java code.
 *
 * @param version        empty for a repeatable migration: identified by its module and name, it runs after the
 *                       versioned ones of its module, by name, again whenever its checksum changes; never down
 * @param checksum       identifies the content of {@code up}; an applied migration must keep it
 * @param downProblems   why its down script cannot be used ({@code down} is then empty): reported only by what
 *                       needs that script, so that a broken down script never blocks {@code up}
 * @param verifyProblems likewise for its verify script
 */
public record Migration(String module, Optional<Version> version, String name, Optional<Script> up, Optional<Script> down,
                        Optional<Script> verify, Optional<JavaCode> java, String checksum, List<Problem> downProblems,
                        List<Problem> verifyProblems) {

    public Migration {
        downProblems = List.copyOf(downProblems);
        verifyProblems = List.copyOf(verifyProblems);
    }

    public Migration(String module, Optional<Version> version, String name, Optional<Script> up, Optional<Script> down,
                     Optional<Script> verify, Optional<JavaCode> java, String checksum) {
        this(module, version, name, up, down, verify, java, checksum, List.of(), List.of());
    }

    public boolean isRepeatable() {
        return version.isEmpty();
    }

    /** Ascending versions, then repeatables by name: the order a module's migrations run in. */
    public static final Comparator<Migration> ORDER = Comparator
            .comparing((Migration m) -> m.version().orElse(null), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Migration::name);

    public boolean isJava() {
        return java.isPresent();
    }

    /** {@code java}, or the extension of its scripts: {@code sql}, or another store's ({@code kv}). */
    public String kind() {
        if (isJava()) {
            return "java";
        }
        String file = up.map(Script::location).orElse("");
        int dot = file.lastIndexOf('.');
        return dot < 0 || dot == file.length() - 1 ? "sql" : file.substring(dot + 1);
    }

    public String id() {
        return Version.migrationId(module, version, name);
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
