package dev.gearshift.spi;

/**
 * What a store can do beyond the engine's minimum (ordered, once-only migrations under an exclusive lock, with a
 * history kept in the store itself). The engine refuses a command that needs a capability its store lacks, naming
 * it, and the test kit counts a behaviour whose capability is missing as not applicable.
 */
public enum Capability {
    /** Schema changes and their history row commit or roll back together, DDL included. */
    TRANSACTIONAL_DDL,
    /** Application instances hold a shared lock ({@link dev.gearshift.Guard}) that keeps migrations out. */
    SHARED_LOCKS,
    /** A whole run can be applied and then rolled back, so nothing of it remains. */
    DRY_RUN,
    /** One database holds many named schemas, each with its own history (a fleet's tenants). */
    SCHEMAS,
    /** Migrations written as scripts of statements, not only as code. */
    SCRIPTS,
    /** Migrations that must run outside a transaction ({@code -- gearshift:no-transaction}). */
    NON_TRANSACTIONAL,
    /** A statement waiting for another session's lock gives up after a bound, and the migration is retried. */
    BOUNDED_LOCK_WAIT,
    /** A backup of the target can be written before a run changes it. */
    BACKUP
}
