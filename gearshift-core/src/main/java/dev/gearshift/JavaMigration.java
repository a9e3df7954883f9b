package dev.gearshift;

/**
 * A migration written in Java, for work SQL cannot do well (backfills computed in code, calls
 * to other systems). It runs in the same transaction as its history row unless it says otherwise.
 *
 * <p>Register Java migrations as an ordered list ({@code Gearshift.configure().java("core", List.of(...))}),
 * where a migration's version is its position (1, 2, 3, ...); the list is static: once applied, an
 * entry may not be renamed, moved or removed. Or put a {@code <version>_<name>.java} file beside the SQL
 * files of a module; its one top-level class implements this interface and is compiled on use.
 */
public interface JavaMigration {

    /**
     * Its version, such as {@code 1.2.3}; empty (the default) to take its position among the list's versioned
     * migrations, from 1. A list declares a version for each of its versioned migrations, or for none.
     */
    default java.util.Optional<Version> version() {
        return java.util.Optional.empty();
    }

    /**
     * True for a repeatable migration: it has no version, runs after the versioned migrations of its module (the
     * repeatable ones by name), and runs again whenever its {@link #checksum} changes; it is never migrated down.
     */
    default boolean repeatable() {
        return false;
    }

    /**
     * What the history records to tell the code it ran; a repeatable migration runs again when it changes. The
     * default, class and name, never changes: return something that follows the work, such as its SQL text.
     */
    default String checksum() {
        return getClass().getName() + ":" + name();
    }

    /** The name recorded in history; an applied migration must keep it. */
    default String name() {
        return getClass().getSimpleName();
    }

    void up(MigrationContext context) throws Exception;

    /** Reverts {@link #up}. Migrations that do not override it cannot be migrated down. */
    default void down(MigrationContext context) throws Exception {
        throw new UnsupportedOperationException(name() + " has no down migration");
    }

    /** False for work that cannot run in a transaction. */
    default boolean transactional() {
        return true;
    }
}
