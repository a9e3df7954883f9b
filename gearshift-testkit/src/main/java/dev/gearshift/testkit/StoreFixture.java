package dev.gearshift.testkit;

import dev.gearshift.Gearshift;
import dev.gearshift.Guard;
import dev.gearshift.MigrationContext;
import dev.gearshift.spi.Capability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the test kit needs from a store, in the store's own terms: fresh targets, migration scripts that do named
 * things, and a look at the store that does not go through Gearshift. The kit writes no script text of its own,
 * so a store with another script format (or a key-value store) implements this as PostgreSQL does with SQL.
 *
 * <p>An <em>object</em> is the store's simplest named thing that holds values: a table for SQL, a bucket for a
 * key-value store. A <em>target</em> is where one test's migrations and history live: a schema, a database, a
 * key prefix. A fixture is made for one test and closed after it, dropping the targets it made.
 */
public interface StoreFixture extends AutoCloseable {

    /** What the store declares beyond the engine's minimum; the kit's tests that need more are not applicable. */
    Set<Capability> capabilities();

    /** The name of a target no other test uses; nothing is created yet. */
    String newTarget();

    /** A migrator of {@code target}, allowed to create it, to which a test adds its project. */
    Gearshift.Builder configure(String target);

    /**
     * Like {@link #configure(String)}, for a migrator the store can tell apart from the others by {@code migrator}
     * (for PostgreSQL, its sessions' application name), so a test can find its session.
     */
    Gearshift.Builder configure(String target, String migrator);

    /** Creates {@code target} empty, as a person would before adopting it. */
    void createTarget(String target);

    boolean targetExists(String target);

    /** Runs a script in {@code target} without Gearshift, as a person finishing or undoing work by hand would. */
    void run(String target, String script);

    boolean objectExists(String target, String object);

    /**
     * A text picture of the target's objects (their shape, and their contents where the store can tell cheaply),
     * the rows of its history left out: two equal pictures mean that no migration changed anything.
     */
    String snapshot(String target);

    /** The values held by {@code object} in {@code target}, in the order they were added. */
    List<String> values(String target, String object);

    /**
     * The history rows of {@code target} as the store holds them, read without Gearshift, oldest first, each as
     * {@code module/version action outcome}; empty when there is no history yet.
     */
    List<String> storedHistory(String target, String historyTable);

    /** Whether the backup at {@code backup}, written by Gearshift, holds {@code object} of {@code target}. */
    boolean backupHolds(Path backup, String target, String object);

    /** Who the store says is connected: what history rows record as installed by. */
    String user();

    /** A session of the store holding a shared lock of {@code target}, as an application instance does. */
    Guard guard(String target, String application);

    // ------------------------------------------------------------------ script text

    /** How a script's file name ends, without the dot: {@code sql}. */
    String scriptExtension();

    /** A script that creates {@code object}, empty. */
    String create(String object);

    /** A script that drops {@code object}. */
    String drop(String object);

    /** A script that adds {@code value} to {@code object}. */
    String add(String object, int value);

    /**
     * Adds {@code value} to {@code object} from inside a Java migration, as part of its work (in its transaction
     * when it has one), creating the object when it is missing.
     */
    void add(MigrationContext context, String object, String value) throws Exception;

    /** A script that changes {@code object} in a way that must wait for its readers (for SQL: ALTER TABLE). */
    String alter(String object);

    /** A script that does nothing but take {@code duration}. */
    String sleep(Duration duration);

    /** A script whose work fails, with what the store says about it. */
    Failure failure();

    /** The same script marked to run outside a transaction. */
    String nonTransactional(String script);

    /** A script that lets go of the migration lock behind the engine's back, as a careless script may. */
    String releaseLocks();

    /** A script made of these scripts, run one after the other. */
    default String sequence(String... scripts) {
        return String.join("\n", scripts);
    }

    // ------------------------------------------------------------------ sessions

    /** Starts a session that reads {@code object} and stays in its transaction, so that {@link #alter} waits. */
    Reader read(String target, String object);

    /** What the store says when a statement gave up waiting for a lock: the engine must pass it on. */
    String lockTimeoutReason();

    /** Returns once the migrator named so is waiting for another one's migration lock. */
    void awaitWaitingForLock(String migrator);

    /** Returns once the migrator named so runs a {@link #sleep} script. */
    void awaitSleeping(String migrator);

    /** Ends the session through which the migrator named so holds its migration lock, so that it loses it. */
    void loseLock(String migrator);

    /**
     * The name of the migrator a refusal message says holds the lock, found in the store (for PostgreSQL, the
     * application of the backend whose pid the message gives).
     */
    String lockHolderNamedIn(String message);

    /** Drops every target this fixture made. */
    @Override
    void close();

    /** A session reading an object, as a long report does. */
    interface Reader extends AutoCloseable {

        /** What a migration that gave up waiting for this session must say about it, in the store's words. */
        List<String> description();

        /** Ends the read (its transaction); the session stays open. */
        void release();

        /** Ends the session. */
        @Override
        void close();
    }

    /**
     * A failing script and the words of the store's error, which the engine must pass on.
     *
     * @param script the script text
     * @param reason part of the store's message for the failure
     */
    record Failure(String script, String reason) {
    }
}
