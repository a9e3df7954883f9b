package dev.gearshift.spi;

/**
 * One executable statement cut out of a migration script.
 *
 * @param sql      the statement text as written, without its terminating semicolon
 * @param line     1-based line of the statement's first character in the script
 * @param column   1-based column of that character
 * @param copyData for {@code COPY ... FROM stdin} statements, the inline data block (the lines
 *                 between the statement and the terminating {@code \.}), each line ending in
 *                 {@code \n}; {@code null} for every other statement
 */
public record SqlStatement(String sql, int line, int column, String copyData) {

    public SqlStatement {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("statement text is empty");
        }
    }

    public SqlStatement(String sql, int line, int column) {
        this(sql, line, column, null);
    }

    public boolean isCopyFromStdin() {
        return copyData != null;
    }

    /** The first line of the statement, shortened, for error messages and plans. */
    public String summary() {
        String first = sql.strip().lines().findFirst().orElse("");
        return first.length() > 100 ? first.substring(0, 97) + "..." : first;
    }
}
