package dev.gearshift.internal.engine;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryImport.Imported;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.MigrationSet;
import dev.gearshift.internal.model.Module;
import dev.gearshift.spi.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads another migration tool's history table in the target and says which of the project's migrations it
 * had applied. Every row must name a migration the sources have, and no row may be dirty or failed: a history
 * that cannot be taken over exactly is refused whole, naming the row.
 */
final class HistoryImporter {

    /** The tools whose history is taken over, as {@code --from} names them. */
    enum Tool {
        GOLANG_MIGRATE("golang-migrate"), SKYGEAR("skygear");

        final String text;

        Tool(String text) {
            this.text = text;
        }

        static Tool parse(String text) {
            String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(t -> t.text.equals(wanted)).findFirst().orElseThrow(() ->
                    new GearshiftException(ErrorCode.USAGE, "cannot import history from '" + text + "'; known: "
                            + String.join(", ", Arrays.stream(values()).map(t -> t.text).toList())));
        }
    }

    /** The other tool's history, read: the tables looked at and what they say was applied. */
    record Read(List<String> tables, List<Imported> applied) {
    }

    private final Store store;
    private final MigrationSet sources;

    HistoryImporter(Store store, MigrationSet sources) {
        this.store = store;
        this.sources = sources;
    }

    Read read(Tool tool) {
        return switch (tool) {
            case GOLANG_MIGRATE -> golangMigrate();
            case SKYGEAR -> skygear();
        };
    }

    /** golang-migrate keeps one row: the version it reached, and whether that migration failed half-way. */
    private Read golangMigrate() {
        if (sources.modules().size() != 1) {
            throw new GearshiftException(ErrorCode.USAGE, "golang-migrate's schema_migrations holds the version of one"
                    + " folder, and this project has modules " + sources.modules().stream().map(Module::name).toList()
                    + "; for a folder per module with a _<module>_version table each, import --from skygear");
        }
        String table = "schema_migrations";
        Module module = sources.modules().get(0);
        List<List<String>> rows = store.readForeign(table, List.of("version", "dirty"), "version").orElseThrow(() ->
                new GearshiftException(ErrorCode.USAGE, "there is no " + table + " table in " + store.display()
                        + ": golang-migrate has not migrated this schema, so there is no history to import"));
        return new Read(List.of(table), upTo(module, table, rows));
    }

    /** Skygear ran golang-migrate once per module, each with its own {@code _<module>_version} table. */
    private Read skygear() {
        List<String> tables = new ArrayList<>();
        List<Imported> applied = new ArrayList<>();
        for (Module module : sources.modules()) {
            String table = "_" + module.name() + "_version";
            Optional<List<List<String>>> rows = store.readForeign(table, List.of("version", "dirty"), "version");
            if (rows.isPresent()) {
                tables.add(table);
                applied.addAll(upTo(module, table, rows.get()));
            }
        }
        if (tables.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "there is no _<module>_version table for any module of "
                    + sources.modules().stream().map(Module::name).toList() + " in " + store.display()
                    + ": Skygear has not migrated this schema, so there is no history to import");
        }
        return new Read(tables, applied);
    }

    /** Every migration of the module up to the version the table names, which the sources must have. */
    private List<Imported> upTo(Module module, String table, List<List<String>> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        if (rows.size() > 1) {
            throw new GearshiftException(ErrorCode.USAGE, table + " holds " + rows.size() + " rows, where"
                    + " golang-migrate keeps one; it was changed by hand: leave the current version only");
        }
        String text = rows.get(0).get(0);
        String dirty = rows.get(0).get(1);
        if (dirty != null && (dirty.equals("t") || dirty.equalsIgnoreCase("true") || dirty.equals("1"))) {
            throw new GearshiftException(ErrorCode.USAGE, table + ": version " + text + " is dirty: it failed"
                    + " half-way under golang-migrate; fix the database and `migrate force` it (or clear the flag)"
                    + " before importing; nothing was recorded");
        }
        long reached;
        try {
            reached = Long.parseLong(text.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new GearshiftException(ErrorCode.USAGE, table + ": '" + text + "' is not a version");
        }
        if (reached < 0) {
            return List.of(); // golang-migrate's NilVersion (-1): everything was migrated down
        }
        Version version = Version.of(reached);
        if (sources.migration(module.name(), version).isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, table + ": version " + reached + " of module '"
                    + module.name() + "' is applied, but the sources have no such migration; nothing was recorded");
        }
        List<Imported> applied = new ArrayList<>();
        for (Migration migration : module.migrations()) {
            if (migration.version().isPresent() && migration.version().get().compareTo(version) <= 0) {
                applied.add(imported(migration, table + " version " + reached));
            }
        }
        return applied;
    }

    static Imported imported(Migration migration, String origin) {
        return new Imported(migration.module(), migration.version(), migration.name(), migration.location(),
                migration.checksum(), origin);
    }
}
