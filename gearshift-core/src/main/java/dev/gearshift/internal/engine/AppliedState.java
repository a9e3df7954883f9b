package dev.gearshift.internal.engine;

import dev.gearshift.HistoryEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the history says is applied. The latest row of a version decides its state; rows of attempts
 * that were rolled back change nothing. A repair row clears a failed version, and gives an applied one a new
 * checksum. A baseline row makes every version up to it count as applied.
 */
final class AppliedState {

    /** The state of one version in the target. */
    record Version(String module, long version, String name, String checksum, boolean failed, boolean baselined,
                   long order) {
    }

    private final Map<String, TreeMap<Long, Version>> modules = new TreeMap<>();
    private final boolean recorded;

    AppliedState(List<HistoryEntry> history) {
        this.recorded = !history.isEmpty();
        Map<String, Version> latest = new HashMap<>();
        Map<String, HistoryEntry> removed = new HashMap<>();
        Map<String, HistoryEntry> baselines = new HashMap<>();
        for (HistoryEntry entry : history) {
            if (entry.outcome().equals(HistoryEntry.ROLLED_BACK)) {
                continue;
            }
            if (entry.action().equals("baseline")) {
                baselines.put(entry.module(), entry);
                continue;
            }
            String key = entry.module() + "/" + entry.version();
            Version before = latest.get(key);
            boolean failed = entry.outcome().equals(HistoryEntry.FAILED) || entry.outcome().equals(HistoryEntry.STARTED);
            boolean applied = entry.action().equals("up") && entry.outcome().equals(HistoryEntry.SUCCESS);
            removed.remove(key);
            if (entry.action().equals("repair") && before != null && !before.failed()) {
                // A repair of an applied migration accepts its edited file: still applied, at its place in the
                // order of application (down reverts by that order), with the checksum the repair recorded.
                latest.put(key, new Version(before.module(), before.version(), before.name(), entry.checksum(),
                        false, false, before.order()));
            } else if (failed || applied) {
                latest.put(key, new Version(entry.module(), entry.version(), entry.name(), entry.checksum(), failed,
                        false, entry.id()));
            } else {
                latest.remove(key); // reverted, or a failure cleared by repair
                removed.put(key, entry);
            }
        }
        baselines.values().forEach(b -> versions(b.module()).put(b.version(),
                new Version(b.module(), b.version(), b.name(), null, false, true, b.id())));
        latest.values().forEach(v -> versions(v.module()).put(v.version(), v));
        removed.values().forEach(e -> versions(e.module()).remove(e.version()));
    }

    private TreeMap<Long, Version> versions(String module) {
        return modules.computeIfAbsent(module, m -> new TreeMap<>());
    }

    /** True if the history has any row, so its table exists. */
    boolean recorded() {
        return recorded;
    }

    List<String> modules() {
        return new ArrayList<>(modules.keySet());
    }

    /** Applied (or failed) versions of a module, ascending. */
    List<Version> of(String module) {
        return new ArrayList<>(modules.getOrDefault(module, new TreeMap<>()).values());
    }

    Optional<Version> get(String module, long version) {
        return Optional.ofNullable(modules.getOrDefault(module, new TreeMap<>()).get(version));
    }

    /** The baseline version of a module: versions up to it count as applied without their own rows. */
    Optional<Long> baseline(String module) {
        return of(module).stream().filter(Version::baselined).map(Version::version).max(Comparator.naturalOrder());
    }

    boolean isApplied(String module, long version) {
        Optional<Version> state = get(module, version);
        if (state.isPresent()) {
            return !state.get().failed();
        }
        return baseline(module).map(b -> version <= b).orElse(false);
    }

    Optional<Long> current(String module) {
        return of(module).stream().filter(v -> !v.failed()).map(Version::version).max(Comparator.naturalOrder());
    }

    List<Version> failed() {
        return modules.values().stream().flatMap(m -> m.values().stream()).filter(Version::failed).toList();
    }
}
