package dev.gearshift.lint;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The lint rules. Ids follow squawk's where a rule means the same thing, so a team moving from squawk keeps its
 * ignore comments' vocabulary; the Gearshift-only rules have ids of their own.
 */
public enum Rule {
    REQUIRE_CONCURRENT_INDEX_CREATION("require-concurrent-index-creation", Severity.ERROR, true,
            "CREATE INDEX without CONCURRENTLY holds a SHARE lock on the table for the whole build: every INSERT,"
                    + " UPDATE and DELETE waits until the index is built.",
            "CREATE INDEX CONCURRENTLY, in a migration of its own marked -- gearshift:no-transaction."),
    REQUIRE_CONCURRENT_INDEX_DELETION("require-concurrent-index-deletion", Severity.ERROR, true,
            "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table: reads and writes"
                    + " wait, and so does everything queued behind it.",
            "DROP INDEX CONCURRENTLY, in a migration of its own marked -- gearshift:no-transaction."),
    ADDING_REQUIRED_FIELD("adding-required-field", Severity.ERROR, true,
            "Adding a NOT NULL column without a default fails on a table that has rows, and breaks inserts by"
                    + " running instances of the old version, which do not set it.",
            "Add the column with a constant DEFAULT (no rewrite since PostgreSQL 11), or nullable, backfill, then"
                    + " set NOT NULL through a validated CHECK."),
    ADDING_FIELD_WITH_DEFAULT("adding-field-with-default", Severity.ERROR, true,
            "A column added with a volatile default (random(), gen_random_uuid(), clock_timestamp(), a serial or"
                    + " identity, a stored generated column), or any default before PostgreSQL 11, rewrites the whole"
                    + " table under an ACCESS EXCLUSIVE lock.",
            "Add the column without the default (or with a constant one), set the default afterwards, and backfill"
                    + " existing rows in batches."),
    CHANGING_COLUMN_TYPE("changing-column-type", Severity.ERROR, true,
            "ALTER COLUMN ... TYPE takes an ACCESS EXCLUSIVE lock and, unless the types are binary-compatible,"
                    + " rewrites the table and rebuilds its indexes; running instances may also break on the new type.",
            "Add a new column of the new type, backfill it in batches, switch readers and writers over, then drop"
                    + " the old column."),
    ADDING_NOT_NULLABLE_FIELD("adding-not-nullable-field", Severity.ERROR, true,
            "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless (PostgreSQL 12+) a validated"
                    + " CHECK (column IS NOT NULL) already proves it.",
            "ADD CONSTRAINT c CHECK (column IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c (in a later migration);"
                    + " then SET NOT NULL and drop the check."),
    ADDING_FOREIGN_KEY_CONSTRAINT("adding-foreign-key-constraint", Severity.ERROR, true,
            "A foreign key added without NOT VALID is validated at once: the whole table is scanned while both"
                    + " tables are locked against writes (SHARE ROW EXCLUSIVE).",
            "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later migration (it takes"
                    + " only a SHARE UPDATE EXCLUSIVE lock)."),
    CONSTRAINT_MISSING_NOT_VALID("constraint-missing-not-valid", Severity.ERROR, true,
            "A CHECK constraint added without NOT VALID scans the whole table under an ACCESS EXCLUSIVE lock.",
            "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later migration."),
    ADDING_PRIMARY_KEY_CONSTRAINT("adding-primary-key-constraint", Severity.ERROR, true,
            "ADD PRIMARY KEY builds its index (and checks NOT NULL) under an ACCESS EXCLUSIVE lock.",
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX."),
    DISALLOWED_UNIQUE_CONSTRAINT("disallowed-unique-constraint", Severity.ERROR, true,
            "ADD UNIQUE builds its index while writes to the table are blocked.",
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX."),
    RENAMING_TABLE("renaming-table", Severity.WARNING, true,
            "Running instances of the old version still use the old name and fail as soon as the rename commits.",
            "Create the new name as a view (or keep both) until no old instance runs; or expand and contract."),
    RENAMING_COLUMN("renaming-column", Severity.WARNING, true,
            "Running instances of the old version still read and write the old column name and fail.",
            "Add the new column, write both, backfill, switch readers, then drop the old one in a later release."),
    BAN_DROP_TABLE("ban-drop-table", Severity.WARNING, true,
            "Dropping a table breaks running instances of the old version that still use it, and loses its data.",
            "Stop using the table in a release first; drop it in a later one."),
    BAN_DROP_COLUMN("ban-drop-column", Severity.WARNING, true,
            "Dropping a column breaks running instances that still select or insert it (SELECT * included).",
            "Stop using the column in a release first; drop it in a later one."),
    ENUM_ADD_VALUE_IN_TRANSACTION("enum-add-value-in-transaction", Severity.ERROR, true,
            "ALTER TYPE ... ADD VALUE cannot run in a transaction before PostgreSQL 12, and since 12 the new value"
                    + " cannot be used in the transaction that added it (\"unsafe use of new value\").",
            "Put ADD VALUE in a migration of its own (-- gearshift:no-transaction before PostgreSQL 12) and use the"
                    + " value in a later one."),
    BAN_VACUUM_FULL("ban-vacuum-full", Severity.ERROR, true,
            "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock: nothing can read or write it meanwhile.",
            "Plain VACUUM, or pg_repack / pg_squeeze to reclaim space online."),
    BAN_CLUSTER("ban-cluster", Severity.ERROR, true,
            "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock.",
            "pg_repack, or leave the physical order alone."),
    REQUIRE_CONCURRENT_REINDEX("require-concurrent-reindex", Severity.ERROR, true,
            "REINDEX without CONCURRENTLY blocks writes to the table (and reads that use the index) while it runs.",
            "REINDEX ... CONCURRENTLY (PostgreSQL 12+), in a migration marked -- gearshift:no-transaction."),
    LOCK_TIMEOUT_DISABLED("lock-timeout-disabled", Severity.WARNING, true,
            "Gearshift sets a lock wait (ddl_lock_timeout) so that a DDL statement queued behind a long query gives"
                    + " up instead of blocking every query queued behind it; turning it off brings that outage back.",
            "Keep the default wait, or say why beside the SET in a comment (or a lint-ignore with a reason)."),
    TRANSACTION_NESTING("transaction-nesting", Severity.ERROR, true,
            "Gearshift runs a transactional migration and its history row in one transaction; a BEGIN, COMMIT or"
                    + " ROLLBACK inside the script breaks that unit (a failure half-applies the migration).",
            "Remove the transaction control; mark the migration -- gearshift:no-transaction if it must not run in"
                    + " a transaction."),
    BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION("ban-concurrent-index-creation-in-transaction", Severity.ERROR,
            true,
            "CONCURRENTLY cannot run inside a transaction block; with other statements in a transactional"
                    + " migration it fails.",
            "Move it to a migration of its own marked -- gearshift:no-transaction."),
    BAN_DROP_DATABASE("ban-drop-database", Severity.ERROR, true,
            "Dropping a database from a migration loses everything in it.",
            "Do it by hand, deliberately, outside the migrations."),
    BAN_TRUNCATE_CASCADE("ban-truncate-cascade", Severity.ERROR, true,
            "TRUNCATE ... CASCADE also empties every table that references this one, which may be far more than"
                    + " intended.",
            "Truncate the tables you mean by name."),
    BAN_DROP_NOT_NULL("ban-drop-not-null", Severity.WARNING, true,
            "Dropping NOT NULL lets new rows carry NULLs that running instances of the old version do not expect.",
            "Make sure every reader handles NULL before dropping the constraint."),
    BAN_CREATE_DOMAIN_WITH_CONSTRAINT("ban-create-domain-with-constraint", Severity.WARNING, true,
            "A domain's constraint cannot be added NOT VALID in a CREATE DOMAIN, and later changes to it scan every"
                    + " column that uses the domain.",
            "Put the CHECK on the table (added NOT VALID, then validated)."),
    BAN_ALTER_DOMAIN_WITH_ADD_CONSTRAINT("ban-alter-domain-with-add-constraint", Severity.WARNING, true,
            "ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses the domain.",
            "Add it NOT VALID and VALIDATE it later, or put the check on the tables."),
    REQUIRE_CONCURRENT_PARTITION_DETACH("require-concurrent-partition-detach", Severity.ERROR, true,
            "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table.",
            "DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+), in a migration marked -- gearshift:no-transaction."),
    IDENTIFIER_TOO_LONG("identifier-too-long", Severity.ERROR, true,
            "PostgreSQL cuts names to 63 bytes without an error: two long names can become the same name, and the"
                    + " name in the catalog is not the one in the script.",
            "Use a name of at most 63 bytes."),
        PREFER_BIGINT("prefer-bigint", Severity.WARNING, false,
            "A 32-bit (or 16-bit) key or counter runs out, and widening it later rewrites the table.",
            "Use bigint."),
    PREFER_IDENTITY("prefer-identity", Severity.WARNING, false,
            "serial creates a sequence the column does not own in the SQL standard's way; permissions and copies"
                    + " of the table trip over it.",
            "Use bigint GENERATED BY DEFAULT AS IDENTITY."),
    PREFER_TIMESTAMPTZ("prefer-timestamptz", Severity.WARNING, false,
            "timestamp without time zone stores a wall-clock time that means different instants in different"
                    + " sessions' time zones.",
            "Use timestamptz."),
    PREFER_TEXT_FIELD("prefer-text-field", Severity.WARNING, false,
            "varchar(n) gives no speed over text, and raising the limit later takes an ACCESS EXCLUSIVE lock.",
            "Use text, with a CHECK (length(...) <= n) added NOT VALID if a limit is needed."),
    BAN_CHAR_FIELD("ban-char-field", Severity.WARNING, false,
            "char(n) pads with spaces and compares surprisingly.",
            "Use text (or varchar)."),
    PREFER_ROBUST_STMTS("prefer-robust-stmts", Severity.WARNING, false,
            "In a migration that runs outside a transaction, a statement that fails halfway leaves the others"
                    + " applied; a re-run then fails on what already exists.",
            "CREATE ... IF NOT EXISTS and DROP ... IF EXISTS.");

    private final String id;
    private final Severity severity;
    private final boolean enabledByDefault;
    private final String why;
    private final String fix;

    Rule(String id, Severity severity, boolean enabledByDefault, String why, String fix) {
        this.id = id;
        this.severity = severity;
        this.enabledByDefault = enabledByDefault;
        this.why = why;
        this.fix = fix;
    }

    public String id() {
        return id;
    }

    public Severity defaultSeverity() {
        return severity;
    }

    public boolean enabledByDefault() {
        return enabledByDefault;
    }

    public String why() {
        return why;
    }

    public String fix() {
        return fix;
    }

    /** @throws GearshiftException ({@code USAGE}) for an id no rule has, listing the ids */
    public static Rule byId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        throw new GearshiftException(ErrorCode.USAGE, "unknown lint rule '" + id + "'; the rules are: "
                + Arrays.stream(values()).map(Rule::id).collect(Collectors.joining(", ")));
    }
}
