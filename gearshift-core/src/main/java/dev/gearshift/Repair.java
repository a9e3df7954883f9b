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
 */
public record Repair(List<String> cleared, List<Realigned> realigned) {

    public Repair {
        cleared = List.copyOf(cleared);
        realigned = List.copyOf(realigned);
    }

    /**
     * One applied migration whose recorded checksum was replaced by its file's.
     *
     * @param location the edited file
     */
    public record Realigned(String module, long version, String name, String location, String previousChecksum,
                            String checksum) {

        public String id() {
            return module + "/" + version + "_" + name;
        }
    }

    public boolean isEmpty() {
        return cleared.isEmpty() && realigned.isEmpty();
    }

    /** Every migration repaired, cleared ones first, as {@code module/version_name}. */
    public List<String> repaired() {
        List<String> all = new ArrayList<>(cleared);
        realigned.forEach(r -> all.add(r.id()));
        return all;
    }
}
