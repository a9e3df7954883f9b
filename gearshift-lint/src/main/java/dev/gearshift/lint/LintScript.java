package dev.gearshift.lint;

import java.util.Objects;

/**
 * One migration script to lint.
 *
 * @param file the path shown in findings (relative to the project, as a code-review tool expects)
 * @param sql  the script text
 */
public record LintScript(String file, String sql) {

    public LintScript {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sql, "sql");
    }

    /** Whether the engine runs it in one transaction: it does unless the script says otherwise. */
    public boolean transactional() {
        return !sql.contains("gearshift:no-transaction");
    }
}
