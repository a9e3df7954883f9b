package dev.gearshift.internal.engine;

import dev.gearshift.HistoryEntry;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Migration;
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
 * checksum. A baseline row makes every version up to it count as applied. Repeatable migrations have no version:
 * the latest row of their name decides theirs.
 */
final class AppliedState {

    /** The state of one migration in the target: a version, or a repeatable migration (no version). */
    record Applied(String module, Optional<Version> version, String name, String checksum, boolean failed,
                   boolean baselined, long order) {
    }

    private final Map<String, TreeMap<Version, Applied>> modules = new TreeMap<>();
    private final Map<String, TreeMap<String, Applied>> repeatables = new TreeMap<>();
    private final boolean recorded;

    AppliedState(List<HistoryEntry> history) {
        this.recorded = !history.isEmpty();
        Map<String, Applied> latest = new HashMap<>();
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
            // A version is known by its number, whatever its name; a repeatable migration by its name.
            String key = entry.version().map(v -> entry.module() + "/" + v).orElse(entry.migrationId());
            Applied before = latest.get(key);
            boolean failed = entry.outcome().equals(HistoryEntry.FAILED) || entry.outcome().equals(HistoryEntry.STARTED);
            boolean applied = entry.action().equals("up") && entry.outcome().equals(HistoryEntry.SUCCESS);
            removed.remove(key);
            if (entry.action().equals("repair") && before != null && !before.failed()) {
                // A repair of an applied migration accepts its edited file: still applied, at its place in the
                // order of application (down reverts by that order), with the checksum the repair recorded.
                latest.put(key, new Applied(before.module(), before.version(), before.name(), entry.checksum(),
                        false, false, before.order()));
            } else if (failed || applied) {
                latest.put(key, new Applied(entry.module(), entry.version(), entry.name(), entry.checksum(), failed,
                        false, entry.id()));
            } else {
                latest.remove(key); // reverted, or a failure cleared by repair
                removed.put(key, entry);
            }
        }
        baselines.values().forEach(b -> versions(b.module()).put(b.version().orElseThrow(),
                new Applied(b.module(), b.version(), b.name(), null, false, true, b.id())));
        latest.values().forEach(v -> v.version().ifPresentOrElse(version -> versions(v.module()).put(version, v),
                () -> repeatables.computeIfAbsent(v.module(), m -> new TreeMap<>()).put(v.name(), v)));
        removed.values().forEach(e -> e.version().ifPresentOrElse(version -> versions(e.module()).remove(version),
                () -> repeatables.getOrDefault(e.module(), new TreeMap<>()).remove(e.name())));
    }

    private TreeMap<Version, Applied> versions(String module) {
        return modules.computeIfAbsent(module, m -> new TreeMap<>());
    }

    /** True if the history has any row, so its table exists. */
    boolean recorded() {
        return recorded;
    }

    /** Modules with versions or repeatable migrations in the history. */
    List<String> modules() {
        java.util.Set<String> names = new java.util.TreeSet<>(modules.keySet());
        names.addAll(repeatables.keySet());
        return new ArrayList<>(names);
    }

    /** Applied (or failed) versions of a module, ascending. */
    List<Applied> of(String module) {
        return new ArrayList<>(modules.getOrDefault(module, new TreeMap<>()).values());
    }

    /** Applied (or failed) repeatable migrations of a module, by name. */
    List<Applied> repeatables(String module) {
        return new ArrayList<>(repeatables.getOrDefault(module, new TreeMap<>()).values());
    }

    Optional<Applied> get(String module, Version version) {
        return Optional.ofNullable(modules.getOrDefault(module, new TreeMap<>()).get(version));
    }

    /** The latest state of a migration: its version's, or a repeatable one's. */
    Optional<Applied> get(Migration migration) {
        return migration.version().map(v -> get(migration.module(), v)).orElseGet(() -> Optional.ofNullable(
                repeatables.getOrDefault(migration.module(), new TreeMap<>()).get(migration.name())));
    }

    /** The baseline version of a module: versions up to it count as applied without their own rows. */
    Optional<Version> baseline(String module) {
        return of(module).stream().filter(Applied::baselined).map(v -> v.version().orElseThrow())
                .max(Comparator.naturalOrder());
    }

    boolean isApplied(String module, Version version) {
        Optional<Applied> state = get(module, version);
        if (state.isPresent()) {
            return !state.get().failed();
        }
        return baseline(module).map(b -> version.compareTo(b) <= 0).orElse(false);
    }

    /**
     * True for a version applied, and for a repeatable migration that ran, and succeeded, with its present
     * checksum: otherwise {@code up} runs it (again).
     */
    boolean isApplied(Migration migration) {
        if (migration.version().isPresent()) {
            return isApplied(migration.module(), migration.version().get());
        }
        return get(migration).filter(r -> !r.failed() && migration.checksum().equals(r.checksum())).isPresent();
    }

    Optional<Version> current(String module) {
        return of(module).stream().filter(v -> !v.failed()).map(v -> v.version().orElseThrow())
                .max(Comparator.naturalOrder());
    }

    List<Applied> failed() {
        return java.util.stream.Stream.concat(modules.values().stream(), repeatables.values().stream())
                .flatMap(m -> m.values().stream()).filter(Applied::failed).toList();
    }
}
