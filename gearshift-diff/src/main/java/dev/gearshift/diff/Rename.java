package dev.gearshift.diff;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Remedy;

/**
 * A rename, said rather than guessed: {@code orders.total=amount} renames a column, {@code orders=purchases} a
 * table. Without one, a column that disappears and another that appears are a drop and an add.
 *
 * @param column the old column name, or null for a table rename
 */
public record Rename(String table, String column, String newName) {

    public Rename {
        if (table == null || table.isEmpty() || newName == null || newName.isEmpty()
                || column != null && column.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "a rename needs a table (and column) and a new name");
        }
    }

    public static Rename table(String oldName, String newName) {
        return new Rename(oldName, null, newName);
    }

    public static Rename column(String table, String oldName, String newName) {
        return new Rename(table, oldName, newName);
    }

    /** {@code table.old=new} or {@code old=new}. Names are taken as written (no quoting, no case folding). */
    public static Rename parse(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw new GearshiftException(ErrorCode.USAGE, "rename " + text + ": write table.old_column=new_column"
                    + " or old_table=new_table", Remedy.RENAME);
        }
        String left = text.substring(0, equals);
        String newName = text.substring(equals + 1);
        int dot = left.indexOf('.');
        return dot < 0 ? table(left, newName) : column(left.substring(0, dot), left.substring(dot + 1), newName);
    }

    /** The same rename, the other way: for the down script. */
    public Rename reversed() {
        return column == null ? table(newName, table) : column(table, newName, column);
    }

    @Override
    public String toString() {
        return column == null ? table + "=" + newName : table + "." + column + "=" + newName;
    }
}
