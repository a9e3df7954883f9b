package dev.gearshift.spi;

import dev.gearshift.GearshiftException;
import java.util.List;

/** Splits a migration script into statements, the way the database's own client would. */
public interface ScriptParser {

    /**
     * @param script the whole script text (already decoded, placeholders already replaced)
     * @param source a name for the script in error messages, usually its file path
     * @return the statements in order; comments and whitespace between statements are dropped,
     *         comments inside a statement are kept
     * @throws GearshiftException with code {@code SCRIPT_SYNTAX} naming {@code source:line:column}
     *         when a quote, dollar quote, comment or COPY data block is not terminated
     */
    List<SqlStatement> split(String script, String source);

    /** How this store's script files end, without the dot: {@code 3_add_orders.up.sql}. */
    default String extension() {
        return "sql";
    }

    /** True for BEGIN, COMMIT, ROLLBACK and their synonyms, which would break Gearshift's own transactions. */
    boolean isTransactionControl(SqlStatement statement);

    /**
     * Why this statement cannot run inside a transaction block (e.g. {@code CREATE INDEX CONCURRENTLY}),
     * or empty when it can.
     */
    java.util.Optional<String> transactionRestriction(SqlStatement statement);
}
