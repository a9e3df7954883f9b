package dev.gearshift.internal.model;

import dev.gearshift.spi.SqlStatement;
import java.util.List;
import java.util.Optional;

/**
 * One SQL file of a migration, decoded, checked and split.
 *
 * @param location   the file, as shown to people
 * @param text       the decoded text (BOM removed, line ends as written)
 * @param statements the statements, split by the dialect's parser
 * @param directives what its leading comments ask for
 * @param toolChecksum another tool's own checksum of it, as that tool's history table stores it, where only that
 *                   tool's library computes it (Liquibase's MD5SUM): compared on import
 */
public record Script(String location, String text, List<SqlStatement> statements, Directives directives,
                     Optional<String> toolChecksum) {

    public Script {
        statements = List.copyOf(statements);
    }

    public Script(String location, String text, List<SqlStatement> statements, Directives directives) {
        this(location, text, statements, directives, Optional.empty());
    }

    public Script withToolChecksum(String checksum) {
        return new Script(location, text, statements, directives, Optional.of(checksum));
    }
}
