package dev.gearshift.jdbc;


/** The DDL of a SQL database's history table, and of the upgrades of tables earlier versions made. */
public interface HistoryDdl {

    /**
     * The DDL of the history table, created unless it exists; see {@link dev.gearshift.HistoryEntry} for the
     * columns. Besides those it has {@code follows}, a unique, nullable bigint: each row names the row it follows,
     * which fences off a second writer (see {@link #addFence}). A version is kept in two nullable columns
     * (see {@link #addVersionKey}): {@code version}, a bigint, holds an integer version, as it always
     * has; {@code version_key}, text, holds any other version ({@code 1.2.3}); a row with neither is a repeatable
     * migration's.
     */
    String createTable(String qualifiedTable);

    /** Adds the unique {@code follows} column to a history table made before it existed. */
    String addFence(String qualifiedTable);

    /**
     * Gives a history table made before {@code version_key} that column, and lets its {@code version} be null:
     * its rows, all integer versions, stay as they are, and a Gearshift that only knows {@code version} still
     * reads and appends to it.
     */
    String addVersionKey(String qualifiedTable);
}
