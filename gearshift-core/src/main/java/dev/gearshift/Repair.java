package dev.gearshift;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code repair} recorded in the history: one {@code repair} row for each migration it names.
 *
 * @param cleared   migrations that failed, or were left unfinished, outside a transaction: the next {@code up}
 *                  runs them again
 * @param realigned applied migrations whose file was edited since: the history now holds the file's checksum,
 *                  so the edit is accepted
 * @param invalidIndexes invalid indexes left in the schema (a failed concurrent build), not dropped: their names
 *                  block the build's next attempt. Dropped only when asked, as one being built by someone else
 *                  right now looks the same
 * @param droppedIndexes invalid indexes dropped, when asked to
 */
public record Repair(List<String> cleared, List<Realigned> realigned, List<String> invalidIndexes,
                     List<String> droppedIndexes) {

    public Repair {
        cleared = List.copyOf(cleared);
        realigned = List.copyOf(realigned);
        invalidIndexes = List.copyOf(invalidIndexes);
        droppedIndexes = List.copyOf(droppedIndexes);
    }

    /**
     * One applied migration whose recorded checksum was replaced by its file's.
     *
     * @param location the edited file
     */
    public record Realigned(String module, Version version, String name, String location, String previousChecksum,
                            String checksum) {

        public String id() {
            return Version.migrationId(module, java.util.Optional.of(version), name);
        }
    }

    public boolean isEmpty() {
        return cleared.isEmpty() && realigned.isEmpty() && invalidIndexes.isEmpty() && droppedIndexes.isEmpty();
    }

    /** Every migration repaired, cleared ones first, as {@code module/version_name}. */
    public List<String> repaired() {
        List<String> all = new ArrayList<>(cleared);
        realigned.forEach(r -> all.add(r.id()));
        return all;
    }
}
