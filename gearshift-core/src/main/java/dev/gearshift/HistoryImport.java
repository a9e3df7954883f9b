package dev.gearshift;

import java.util.List;
import java.util.Optional;

/**
 * What {@code import} took over from another migration tool's history: the migrations it recorded as applied,
 * without running any of them.
 *
 * @param from    the tool ({@code golang-migrate}, {@code skygear}, ...)
 * @param tables  the tables read, schema-relative
 * @param dryRun  whether nothing was recorded (only printed)
 */
public record HistoryImport(String from, List<String> tables, List<Imported> recorded, boolean dryRun) {

    public HistoryImport {
        tables = List.copyOf(tables);
        recorded = List.copyOf(recorded);
    }

    /**
     * One migration taken over.
     *
     * @param version  empty for a repeatable migration
     * @param checksum Gearshift's checksum of its script, as recorded
     * @param origin   the row of the other tool's table it comes from, as that tool names it
     * @param action   {@code up} for a migration the other tool applied; {@code baseline} for its baseline, below
     *                 which nothing counts as pending
     */
    public record Imported(String module, Optional<Version> version, String name, String location, String checksum,
                           String origin, String action) {
    }
}
