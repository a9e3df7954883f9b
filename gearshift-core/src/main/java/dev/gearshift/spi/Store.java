package dev.gearshift.spi;

import dev.gearshift.Guard;
import dev.gearshift.HistoryEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One target (a database and a schema in it, or a file-backed store) as the engine sees it: its history, its
 * locks, and a way to apply changes through the exclusive lock it holds. Opened by a {@link StoreProvider}.
 * Deciding what runs, in which order, and what to tell a person is the engine's; running it and keeping the
 * history is the store's.
 */
public interface Store {

    /** The target as it may be printed: passwords masked. */
    String display();

    Set<Capability> capabilities();

    /** The target's history, read without the lock (status, plan). */
    History read();

    /**
     * The histories of many schemas of this store's database, in few round trips (a fleet's status). Schemas
     * without a history map to no rows. Stores without {@link Capability#SCHEMAS} read their one target.
     */
    Map<String, List<HistoryEntry>> readMany(List<String> schemas);

    /**
     * Runs each change's scripts and rolls them back, whatever they did (verify scripts): empty for a change that
     * ran without error, else the reason it failed.
     */
    List<Optional<String>> runAndRollBack(List<Change> changes);

    /**
     * Takes the exclusive migration lock and reads the history under it. If application instances hold the shared
     * lock, refuses at once naming them, unless {@code waitForGuards}; another migrator is waited for up to
     * {@code migratorWait}.
     */
    LockedStore lock(Duration migratorWait, boolean waitForGuards);

    /** Takes the shared lock an application instance holds while it runs; migrations wait until it is closed. */
    Guard guard();

    /**
     * The rows of another migration tool's table in the target's schema (its history, which {@code import} takes
     * over), each value as text or null, in the table's order of {@code orderBy}; empty when there is no such table.
     * A {@code schema.table} name reads that schema's table (a registry of its own, as Sqitch keeps).
     * Read without the lock: the other tool is not expected to run while its history is taken over.
     */
    default java.util.Optional<List<List<String>>> readForeign(String table, List<String> columns, String orderBy) {
        throw new dev.gearshift.GearshiftException(dev.gearshift.ErrorCode.USAGE, display()
                + " cannot read another tool's history table");
    }

    /**
     * As {@link #lock(Duration, boolean)}, for a run that applies only additive patches of major {@code major} of
     * major-patch modules: application instances whose guards say they run that major ({@link #guard(long)}) do
     * not stop it, since such patches keep them working; any other guard does. Stores without the distinction
     * take the plain lock.
     */
    default LockedStore lockForPatches(Duration migratorWait, boolean waitForGuards, long major) {
        return lock(migratorWait, waitForGuards);
    }

    /**
     * The major a one-row table of the target schema records (Lily's {@code visor_version}: its first column); 0
     * when the table is absent but the schema holds other tables (Lily's rule: major 0 has no such table); empty
     * for an empty schema. Stores that cannot tell say empty.
     */
    default java.util.OptionalLong readMajor(String table) {
        return java.util.OptionalLong.empty();
    }

    /** A guard that says which major of a major-patch schema its instance runs. */
    default Guard guard(long major) {
        return guard();
    }

    /**
     * Who the target's sessions are and where they work, as the database itself names them; empty for stores
     * without users or databases. Read for values a script is given (Flyway's {@code ${flyway:user}}).
     */
    default Optional<Session> session() {
        return Optional.empty();
    }

    /**
     * @param user     the user migrations run as (PostgreSQL's {@code current_user})
     * @param database the database they run in
     * @param schema   the schema they work in: the configured one, else the connection's default
     */
    record Session(String user, String database, String schema) {
    }

    /**
     * A target's history as read at one moment.
     *
     * @param schema  the schema it was read from (the connection's default when none was configured)
     * @param entries every row, oldest first
     */
    record History(String schema, List<HistoryEntry> entries) {
        public History {
            entries = List.copyOf(entries);
        }
    }
}
