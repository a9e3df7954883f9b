package dev.gearshift;

/**
 * An option of Gearshift's API that an error points to: the one to turn on, change or give to get past it. Lower
 * layers say it in words ("create it, or allow creating schemas") and attach the option here; each front end names
 * it in its own terms, in one place: the CLI as its flag ({@code --create-schema}), the HTTP service as its field.
 */
public enum Remedy {
    /** Create the target schema when it does not exist. */
    CREATE_SCHEMA,
    /** Wait for application instances to release their guards, rather than refuse. */
    WAIT_FOR_GUARDS,
    /** Wait longer for another migrator of the same schema. */
    MIGRATOR_WAIT,
    /** Run every migration in one transaction (a run that must not, needs it off). */
    SINGLE_TRANSACTION,
    /** Apply a migration below the current version. */
    OUT_OF_ORDER,
    /** Where the migrations are: a directory. */
    MIGRATIONS,
    /** The database to work on. */
    URL,
    /** The database that keeps fleet runs. */
    CONTROL_DATABASE,
    /** How many tenants a fleet migrates at once. */
    PARALLEL,
    /** How many tenants a fleet migrates first, alone. */
    CANARY,
    /** How many failed tenants stop a fleet run. */
    MAX_FAILURES,
    /** The PostgreSQL server that schema diffs build throwaway databases in. */
    DEV_URL,
    /** A table or column renamed between the two sides of a schema diff. */
    RENAME
}
