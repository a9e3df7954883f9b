package dev.gearshift.spi;

import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * One kind of store (PostgreSQL, MariaDB, an embedded key-value store). Found with
 * {@link java.util.ServiceLoader}; the first that accepts a target's URL (or DataSource) serves it.
 */
public interface StoreProvider {

    /** Short lower-case name, e.g. {@code postgresql}. */
    String name();

    /** True for URLs of this kind of store, e.g. {@code jdbc:postgresql:...} or {@code postgres://...}. */
    boolean accepts(String url);

    /** True when {@code dataSource} connects to this kind of store. */
    default boolean accepts(DataSource dataSource) {
        return false;
    }

    Set<Capability> capabilities();

    /** Cuts this store's scripts into statements. */
    ScriptParser parser();

    /**
     * The longest schema name, in UTF-8 bytes, the store keeps as given. Longer names are refused before anything
     * runs: a store that cuts them short would give two such names one schema but two migration locks.
     */
    default int maxIdentifierBytes() {
        return Integer.MAX_VALUE;
    }

    /** Opens a target; nothing is contacted until the store is used. */
    Store open(Endpoint endpoint, Options options);

    /**
     * Where a store is.
     *
     * @param url        the user-facing URL, unless a DataSource is given
     * @param dataSource connections from the application, instead of a URL
     * @param schema     the schema to migrate; empty for the connection's default
     */
    record Endpoint(Optional<String> url, Optional<String> user, Optional<String> password,
                    Optional<DataSource> dataSource, String description, Optional<String> schema) {

        public static Endpoint of(String url, String user, String password, Optional<String> schema) {
            return new Endpoint(Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(password),
                    Optional.empty(), dev.gearshift.Secrets.mask(url), schema);
        }

        public static Endpoint of(DataSource dataSource, String description, Optional<String> schema) {
            return new Endpoint(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(dataSource),
                    description, schema);
        }

        @Override
        public String toString() {
            return "Endpoint[" + description + "]";
        }
    }

    /**
     * A project's options that a store applies to every target.
     *
     * @param historyTable the history table's name
     * @param settings     session settings for the whole run ({@code statement_timeout}, ...)
     * @param ddlLockWait  how long a transactional migration's statement waits for another session's lock before
     *                     it gives up and the engine runs the migration again; zero: as long as it takes
     */
    record Options(String historyTable, java.util.Map<String, String> settings, java.time.Duration ddlLockWait) {
        public Options {
            settings = java.util.Map.copyOf(settings);
        }
    }
}
