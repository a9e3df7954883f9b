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
        GOLANG_MIGRATE("golang-migrate"), SKYGEAR("skygear"), FLYWAY("flyway"), LIQUIBASE("liquibase"), SQITCH("sqitch"), LILY("lily");

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
            case FLYWAY -> flyway();
            case LIQUIBASE -> liquibase();
            case SQITCH -> sqitch();
            case LILY -> lily();
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
                new GearshiftException(ErrorCode.USAGE, "there is no " + table + " table in " + searched(table)
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
                    + sources.modules().stream().map(Module::name).toList() + " in " + searched("")
                    + ": Skygear has not migrated this schema, so there is no history to import");
        }
        return new Read(tables, applied);
    }

    /**
     * Flyway's {@code flyway_schema_history}, row by row in the order Flyway installed them: every applied script
     * must be in the sources with the checksum Flyway recorded (Flyway's CRC32, computed here from the file); a
     * failed row is refused; a baseline row becomes Gearshift's baseline; undone and deleted versions are not
     * applied; a repeatable script edited since Flyway last ran it is recorded so that {@code up} runs it again,
     * as Flyway would.
     */
    private Read flyway() {
        String table = sources.flywayTable();
        Module module = single(table);
        List<List<String>> rows = store.readForeign(table, List.of("installed_rank", "version", "description", "type",
                "script", "checksum", "success"), "installed_rank").orElseThrow(() -> new GearshiftException(
                ErrorCode.USAGE, "there is no " + table + " table in " + searched(table) + ": Flyway has not"
                + " migrated this schema, so there is no history to import"));
        java.util.Map<String, Imported> applied = new java.util.LinkedHashMap<>();
        for (List<String> row : rows) {
            String rank = row.get(0);
            String versionText = row.get(1);
            String type = row.get(3) == null ? "" : row.get(3).toUpperCase(Locale.ROOT);
            String script = row.get(4);
            String checksum = row.get(5);
            String origin = table + " installed_rank " + rank + " (" + (versionText == null ? script
                    : "version " + versionText) + ")";
            if (type.equals("SCHEMA")) {
                continue; // Flyway created the schema: nothing to take over
            }
            if (!isTrue(row.get(6))) {
                throw new GearshiftException(ErrorCode.USAGE, origin + " failed under Flyway: fix the database and"
                        + " run `flyway repair` before importing; nothing was recorded");
            }
            Optional<Version> version = versionText == null ? Optional.empty() : Optional.of(parse(versionText, origin));
            String key = version.map(v -> "V" + v).orElse("R" + script);
            if (type.equals("UNDO_SQL") || type.equals("DELETE")) {
                applied.remove(key);
                continue;
            }
            if (type.contains("BASELINE")) {
                applied.put(key, new Imported(module.name(), version, "baseline", "baseline", null, origin,
                        "baseline"));
                continue;
            }
            if (!type.equals("SQL")) {
                throw new GearshiftException(ErrorCode.USAGE, origin + " is a Flyway " + type + " migration ("
                        + script + "): only SQL migrations are taken over; nothing was recorded");
            }
            Migration source = version.isPresent()
                    ? sources.migration(module.name(), version.get()).orElseThrow(() -> missing(origin, script))
                    : module.migrations().stream().filter(m -> m.isRepeatable() && fileName(m.location())
                    .equals(fileName(script))).findFirst().orElseThrow(() -> missing(origin, script));
            int expected = dev.gearshift.internal.source.Layout.flywayChecksum(source.up().orElseThrow().text());
            boolean same = checksum == null || Integer.parseInt(checksum.strip()) == expected;
            if (!same && version.isPresent()) {
                throw new GearshiftException(ErrorCode.USAGE, origin + ": Flyway recorded checksum " + checksum
                        + " but " + source.location() + " has " + expected + ": the file was edited after Flyway"
                        + " applied it; restore it (or run `flyway repair` if the edit is meant) before importing;"
                        + " nothing was recorded");
            }
            Imported taken = imported(source, origin);
            applied.put(key, same ? taken : new Imported(taken.module(), taken.version(), taken.name(),
                    taken.location(), "flyway-crc32:" + checksum, origin, "up"));
        }
        return new Read(List.of(table), List.copyOf(applied.values()));
    }

    /**
     * Liquibase's {@code DATABASECHANGELOG}, in the order it ran the changesets: each row's changeset (author and id)
     * must be in the sources; a FAILED row is refused; SKIPPED ones are not applied; EXECUTED, RERAN and MARK_RAN
     * are. Liquibase's MD5SUM is compared with the one Liquibase's library computes from the changelog (same checksum
     * version only), for formatted SQL only when gearshift-liquibase is on the class path (core does not compute it):
     * an edited changeset is refused, an edited runOnChange one runs again at the next up. The files' Gearshift
     * checksums are recorded.
     */
    private Read liquibase() {
        Module module = single("databasechangelog");
        String table = "databasechangelog";
        List<List<String>> rows = store.readForeign(table, List.of("id", "author", "filename", "orderexecuted",
                "exectype", "md5sum"), "orderexecuted").orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, "there is no"
                + " DATABASECHANGELOG table in " + searched(table) + ": Liquibase has not updated this schema, so"
                + " there is no history to import"));
        java.util.Map<String, Imported> applied = new java.util.LinkedHashMap<>();
        for (List<String> row : rows) {
            String changeset = row.get(1) + ":" + row.get(0);
            String origin = "DATABASECHANGELOG changeset " + changeset + " (" + row.get(2) + ")";
            String type = row.get(4) == null ? "" : row.get(4).toUpperCase(Locale.ROOT);
            if (type.equals("FAILED")) {
                throw new GearshiftException(ErrorCode.USAGE, origin + " failed under Liquibase: fix it first;"
                        + " nothing was recorded");
            }
            if (type.equals("SKIPPED")) {
                continue;
            }
            Migration source = module.migrations().stream()
                    .filter(m -> m.location().startsWith("changeset " + changeset + " in ")).findFirst()
                    .orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, origin + " is applied, but the sources"
                            + " have no such changeset; restore it before importing; nothing was recorded"));
            String stored = row.get(5);
            Optional<String> computed = source.up().flatMap(dev.gearshift.internal.model.Script::toolChecksum);
            boolean edited = stored != null && computed.isPresent() && stored.contains(":")
                    && computed.get().contains(":") && !stored.equalsIgnoreCase(computed.get())
                    && stored.substring(0, stored.indexOf(':')).equals(computed.get().substring(0,
                    computed.get().indexOf(':')));
            if (edited && !source.isRepeatable()) {
                throw new GearshiftException(ErrorCode.USAGE, origin + ": Liquibase recorded MD5SUM " + stored
                        + " but " + source.location() + " has " + computed.get() + ": the changeset was edited after"
                        + " Liquibase ran it; restore it before importing; nothing was recorded");
            }
            Imported taken = imported(source, origin);
            // A runOnChange changeset edited since Liquibase ran it runs again at the next up, as under Liquibase.
            applied.put(changeset, edited ? new Imported(taken.module(), taken.version(), taken.name(),
                    taken.location(), "liquibase-md5sum:" + stored, origin, "up") : taken);
        }
        return new Read(List.of("DATABASECHANGELOG"), List.copyOf(applied.values()));
    }

    /**
     * Sqitch's registry, {@code sqitch.changes} (or the registry schema sqitch.conf names): the changes of this project deployed now (Sqitch deletes a change's
     * row when it reverts it), in the order they were committed. Each must be planned, with the script hash Sqitch
     * recorded (SHA-1 of its deploy script), else the import is refused naming the change.
     */
    private Read sqitch() {
        String table = sources.sqitchRegistry() + ".changes";
        Module module = single(table);
        List<List<String>> rows = store.readForeign(table, List.of("change", "project", "script_hash",
                "committed_at"), "committed_at").orElseThrow(() -> new GearshiftException(ErrorCode.USAGE,
                "there is no " + table + " registry in " + searched(table) + ": Sqitch has not deployed to this"
                + " database, so there is no history to import"));
        List<String> projects = rows.stream().map(r -> r.get(1)).distinct().toList();
        String project = projects.contains(module.name()) || projects.size() != 1 ? module.name() : projects.get(0);
        List<Imported> applied = new ArrayList<>();
        for (List<String> row : rows) {
            if (!row.get(1).equals(project)) {
                continue;
            }
            String origin = table + " change " + row.get(0) + " (project " + project + ")";
            Migration source = module.migrations().stream().filter(m -> m.name().equals(row.get(0))).findFirst()
                    .orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, origin + " is deployed, but sqitch.plan"
                            + " has no such change; restore it before importing; nothing was recorded"));
            String hash = dev.gearshift.internal.source.Layout.sqitchScriptHash(source.up().orElseThrow().text());
            if (row.get(2) != null && !row.get(2).equalsIgnoreCase(hash)) {
                throw new GearshiftException(ErrorCode.USAGE, origin + ": Sqitch recorded script hash " + row.get(2)
                        + " but " + source.location() + " has " + hash + ": the deploy script was edited after Sqitch"
                        + " deployed it; restore it before importing; nothing was recorded");
            }
            applied.add(imported(source, origin));
        }
        return new Read(List.of(table), applied);
    }

    /**
     * Lily: the major version is the one row of its major table ({@code visor_version}, or the module's
     * {@code major_table}; 0 without that table), the patch the version of go-pg's most recent
     * {@code gopg_migrations} row (it logs downs too, so the last row, not the highest, is current). The sources hold
     * that major's base as version {@code <major>} and its patches as {@code <major>.<patch>}: a major-patch module
     * ({@code v<major>/base.sql}, {@code patches/<patch>_<tag>.up.sql}, as {@code init --from-lily} writes it), or
     * Flyway's names ({@code V1.0__base.sql}, {@code V1.3__add_views.sql}). Every one from the base to
     * {@code <major>.<patch>} is applied.
     */
    private Read lily() {
        Module module = single("gopg_migrations");
        List<List<String>> patches = store.readForeign("gopg_migrations", List.of("version", "id"), "id")
                .orElseThrow(() -> new GearshiftException(ErrorCode.USAGE, "there is no gopg_migrations table in "
                        + searched("gopg_migrations") + ": Lily has not migrated this schema, so there is no history to import"));
        String majorTable = sources.majorTables().getOrDefault(module.name(), "visor_version");
        Optional<List<List<String>>> majors = store.readForeign(majorTable, List.of("major"), "major");
        long major = majors.filter(rows -> !rows.isEmpty())
                .map(rows -> Long.parseLong(rows.get(rows.size() - 1).get(0).strip())).orElse(0L);
        long patch = patches.isEmpty() ? 0 : Long.parseLong(patches.get(patches.size() - 1).get(0).strip());
        Version base = Version.parse(major + ".0");
        Version reached = Version.parse(major + "." + patch);
        List<String> tables = majors.isPresent() ? List.of(majorTable, "gopg_migrations") : List.of("gopg_migrations");
        String origin = String.join(" and ", tables) + ": schema " + reached;
        Long latestMajor = sources.majors().get(module.name());
        if (latestMajor != null && latestMajor != major) {
            throw new GearshiftException(ErrorCode.USAGE, origin + " is applied, but the project's latest major is "
                    + latestMajor + ": Gearshift takes over a database at the project's latest major only (moving"
                    + " between majors is a manual data migration, in Lily too); nothing was recorded");
        }
        if (sources.migration(module.name(), reached).isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, origin + " is applied, but the sources have no version "
                    + reached + " (Lily's base of major " + major + " is version " + base + ", its patch n version "
                    + major + ".n); nothing was recorded");
        }
        List<Imported> applied = new ArrayList<>();
        for (Migration migration : module.migrations()) {
            Optional<Version> version = migration.version();
            if (version.isPresent() && version.get().compareTo(base) < 0) {
                throw new GearshiftException(ErrorCode.USAGE, migration.location() + ": version " + version.get()
                        + " belongs to an earlier major than the database's " + major + "; Lily moves between majors"
                        + " by hand: keep only major " + major + "'s base and patches; nothing was recorded");
            }
            if (version.isPresent() && version.get().compareTo(reached) <= 0) {
                applied.add(imported(migration, origin));
            }
        }
        return new Read(tables, applied);
    }

    /**
     * Where a table of the other tool was looked for: its schema (a registry's of its own, {@code sqitch.changes},
     * else the target's), as the store's display names the database only.
     */
    private String searched(String table) {
        int dot = table.indexOf('.');
        Optional<String> schema = dot > 0 ? Optional.of(table.substring(0, dot))
                : store.session().map(Store.Session::schema);
        return schema.map(name -> "schema " + name + " of ").orElse("") + store.display();
    }

    private Module single(String table) {
        if (sources.modules().size() != 1) {
            throw new GearshiftException(ErrorCode.USAGE, table + " holds the history of one folder, and this"
                    + " project has modules " + sources.modules().stream().map(Module::name).toList()
                    + "; import it into a project of one module");
        }
        return sources.modules().get(0);
    }

    private static GearshiftException missing(String origin, String script) {
        return new GearshiftException(ErrorCode.USAGE, origin + " names " + script + ", which the sources do not"
                + " have; restore it before importing; nothing was recorded");
    }

    private static Version parse(String text, String origin) {
        try {
            return Version.parse(text.strip().replace('_', '.'));
        } catch (IllegalArgumentException e) {
            throw new GearshiftException(ErrorCode.USAGE, origin + ": " + e.getMessage());
        }
    }

    private static String fileName(String path) {
        String unix = path.replace('\\', '/');
        return unix.substring(unix.lastIndexOf('/') + 1);
    }

    static boolean isTrue(String value) {
        return value != null && (value.equals("t") || value.equalsIgnoreCase("true") || value.equals("1"));
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
                migration.checksum(), origin, "up");
    }
}
