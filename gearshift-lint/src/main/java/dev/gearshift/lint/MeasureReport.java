package dev.gearshift.lint;

import java.util.List;
import java.util.Map;

/**
 * What running the pending migrations on a shadow database showed, statement by statement.
 *
 * @param filled    rows generated per table before the migrations ran
 * @param notFilled tables left empty, with the reason (a constraint the generator could not satisfy, say)
 */
public record MeasureReport(List<Measured> statements, Map<String, Long> filled, Map<String, String> notFilled) {

    public MeasureReport {
        statements = List.copyOf(statements);
        filled = Map.copyOf(filled);
        notFilled = Map.copyOf(notFilled);
    }

    /** A lock a statement took on a relation of the migrated schema. */
    public record Lock(String relation, String mode) {
    }

    /**
     * One statement as it ran.
     *
     * @param locks      the relation locks it took (read from the session's own pg_locks rows before the commit, and
     *                   by a second session while it ran)
     * @param rewritten  tables and indexes whose relfilenode changed: their data was rewritten
     * @param millis     how long the statement ran
     * @param heldMillis how long its strongest lock was held: from the statement's start to its transaction's end
     * @param blocked    what a second session could not do while the statement's transaction held its locks, tried
     *                   with a short lock_timeout ("reads of orders", "writes to orders"); empty when nothing was
     *                   blocked or the statement ran outside a transaction (its locks were gone when it returned)
     */
    public record Measured(String file, int line, int column, String statement, List<Lock> locks,
                           List<String> rewritten, double millis, double heldMillis, List<String> blocked) {

        public Measured {
            locks = List.copyOf(locks);
            rewritten = List.copyOf(rewritten);
            blocked = List.copyOf(blocked);
        }

        /** The strongest lock taken, or null when it took none on the schema's relations. */
        public Lock strongest() {
            Lock best = null;
            for (Lock lock : locks) {
                if (best == null || LockModes.strength(lock.mode()) > LockModes.strength(best.mode())) {
                    best = lock;
                }
            }
            return best;
        }

        /** "ACCESS EXCLUSIVE on orders for 3.2 s: blocks reads and writes", or that it took no new lock. */
        public String plainWords() {
            Lock lock = strongest();
            if (lock == null) {
                return "took no new lock on the schema's tables (an earlier statement of its transaction may hold"
                        + " them already)";
            }
            return LockModes.words(lock.mode()) + " on " + lock.relation() + " for "
                    + String.format(java.util.Locale.ROOT, "%.1f s", heldMillis / 1000) + ": "
                    + LockModes.blocks(lock.mode())
                    + (blocked.isEmpty() ? "" : " (a second session waited for: " + String.join(", ", blocked) + ")");
        }
    }

    /** PostgreSQL's table lock modes, by strength, in words. */
    static final class LockModes {
        private static final List<String> ORDER = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
                "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock",
                "AccessExclusiveLock");

        private LockModes() {
        }

        static int strength(String mode) {
            return ORDER.indexOf(mode);
        }

        static String words(String mode) {
            return mode.replace("Lock", "").replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
        }

        static String blocks(String mode) {
            return switch (mode) {
                case "AccessExclusiveLock" -> "blocks reads and writes";
                case "ExclusiveLock" -> "blocks writes and SELECT FOR UPDATE; plain reads go on";
                case "ShareRowExclusiveLock", "ShareLock" -> "blocks writes (INSERT, UPDATE, DELETE); reads go on";
                case "ShareUpdateExclusiveLock" -> "blocks schema changes and VACUUM; reads and writes go on";
                default -> "blocks no reads or writes (only schema changes wait)";
            };
        }
    }
}
