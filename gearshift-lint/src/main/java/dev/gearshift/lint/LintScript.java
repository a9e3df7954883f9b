package dev.gearshift.lint;

import java.util.Objects;

/**
 * One migration script to lint.
 *
 * @param file          the path shown in findings (relative to the project, as a code-review tool expects)
 * @param sql           the script text
 * @param transactional whether the engine runs it in one transaction
 */
public record LintScript(String file, String sql, boolean transactional) {

    public LintScript {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sql, "sql");
    }

    /** A script that runs in a transaction unless it says {@code -- gearshift:no-transaction}. */
    public LintScript(String file, String sql) {
        this(file, sql, !sql.contains("gearshift:no-transaction"));
    }
}
