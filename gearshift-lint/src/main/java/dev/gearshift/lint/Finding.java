package dev.gearshift.lint;

/**
 * One rule firing on one statement.
 *
 * @param ignoredBecause the reason of the {@code -- gearshift:lint-ignore} comment that silences it, or {@code null}
 */
public record Finding(Rule rule, Severity severity, String file, int line, int column, String message,
                      String statement, String ignoredBecause) {

    public boolean ignored() {
        return ignoredBecause != null;
    }

    /** {@code file:line:column: severity [rule] message}, the form editors and compilers use. */
    public String position() {
        return file + ":" + line + ":" + column;
    }
}
