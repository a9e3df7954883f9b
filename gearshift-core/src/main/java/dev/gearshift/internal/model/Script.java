package dev.gearshift.internal.model;

import dev.gearshift.spi.SqlStatement;
import java.util.List;

/**
 * One SQL file of a migration, decoded, checked and split.
 *
 * @param location   the file, as shown to people
 * @param text       the decoded text (BOM removed, line ends as written)
 * @param statements the statements, split by the dialect's parser
 * @param directives what its leading comments ask for
 */
public record Script(String location, String text, List<SqlStatement> statements, Directives directives) {

    public Script {
        statements = List.copyOf(statements);
    }
}
