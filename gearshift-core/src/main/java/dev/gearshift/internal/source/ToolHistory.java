package dev.gearshift.internal.source;

import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.Script;
import dev.gearshift.spi.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps another tool's version table up to date as Gearshift migrates: each migration's up and down scripts end
 * with the statements that tool would have run, in the same transaction, so the table always says what the
 * database holds. The checksums stay those of the files: the statements are added, not written into them.
 */
final class ToolHistory {

    private ToolHistory() {
    }

    /**
     * golang-migrate keeps one row, {@code (version, dirty)}: up sets it to the migration's version, down to the
     * version before (no row at all below the first, as golang-migrate's NilVersion).
     */
    static List<Migration> golangMigrate(List<Migration> migrations, String table) {
        List<Migration> kept = new ArrayList<>();
        Optional<Long> previous = Optional.empty();
        for (Migration migration : migrations) {
            long version = migration.version().orElseThrow().longValue();
            kept.add(appended(migration, set(table, Optional.of(version)), set(table, previous)));
            previous = Optional.of(version);
        }
        return kept;
    }

    private static List<String> set(String table, Optional<Long> version) {
        List<String> statements = new ArrayList<>();
        statements.add("DELETE FROM " + table);
        version.ifPresent(v -> statements.add("INSERT INTO " + table + " (version, dirty) VALUES (" + v + ", false)"));
        return statements;
    }

    /** The migration with {@code up} run at the end of its up script and {@code down} at the end of its down. */
    static Migration appended(Migration migration, List<String> up, List<String> down) {
        return new Migration(migration.module(), migration.version(), migration.name(),
                migration.up().map(s -> append(s, up)), migration.down().map(s -> append(s, down)),
                migration.verify(), migration.java(), migration.checksum(), migration.downProblems(),
                migration.verifyProblems());
    }

    private static Script append(Script script, List<String> sql) {
        List<SqlStatement> statements = new ArrayList<>(script.statements());
        int line = script.text().split("\n", -1).length;
        sql.forEach(s -> statements.add(new SqlStatement(s, line, 1, null)));
        return new Script(script.location(), script.text(), statements, script.directives());
    }
}
