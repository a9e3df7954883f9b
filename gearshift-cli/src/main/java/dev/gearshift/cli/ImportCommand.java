package dev.gearshift.cli;

import dev.gearshift.Gearshift;
import dev.gearshift.HistoryImport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gearshift import --from TOOL [--dry-run]}: takes over the history another migration tool wrote in the
 * target, running nothing, so that {@code up} runs only what that tool still had pending.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Take over another tool's history: record what it applied as applied, running nothing.",
                "Reads golang-migrate's schema_migrations, Skygear's _<module>_version per module, Flyway's"
                        + " flyway_schema_history (checksums checked against the files), Liquibase's"
                        + " DATABASECHANGELOG, Sqitch's sqitch.changes, Lily's visor_version and gopg_migrations;"
                        + " a dirty or failed row is"
                        + " refused. The other tool's table is left as it is."})
final class ImportCommand extends Commands.Base {

    @Option(names = "--from", required = true, paramLabel = "TOOL",
            description = "The tool whose history to take over: golang-migrate, skygear, flyway, liquibase, sqitch, lily")
    String from;

    @Option(names = "--dry-run", description = "Print what would be recorded; record nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        try (Main.Session session = main.open()) {
            Gearshift gs = gearshift(session, b -> b);
            HistoryImport imported = gs.importHistory(from, dryRun);
            if (main.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("from", imported.from());
                json.put("tables", imported.tables());
                json.put("dry_run", imported.dryRun());
                json.put("recorded", imported.recorded().stream().map(i -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("module", i.module());
                    row.put("version", i.version().map(Object::toString).orElse(null));
                    row.put("name", i.name());
                    row.put("location", i.location());
                    row.put("origin", i.origin());
                    return row;
                }).toList());
                printJson(json);
            } else {
                print(text(imported));
            }
            return 0;
        }
    }

    static String text(HistoryImport imported) {
        StringBuilder out = new StringBuilder();
        List<HistoryImport.Imported> rows = imported.recorded();
        out.append(imported.dryRun() ? "Would record " : "Recorded ").append(rows.size())
                .append(rows.size() == 1 ? " migration" : " migrations").append(" as applied, from ")
                .append(imported.from()).append("'s ").append(String.join(", ", imported.tables()))
                .append(imported.dryRun() ? " (dry run: nothing recorded)" : "").append('\n');
        for (HistoryImport.Imported row : rows) {
            out.append("  ").append(row.module()).append('/').append(row.version().map(Object::toString).orElse("R"))
                    .append('_').append(row.name()).append("  ").append(row.location()).append("  (")
                    .append(row.origin()).append(")\n");
        }
        return out.toString();
    }
}
