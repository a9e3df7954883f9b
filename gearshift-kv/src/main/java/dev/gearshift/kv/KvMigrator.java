package dev.gearshift.kv;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.JavaMigration;
import dev.gearshift.MigrationContext;
import dev.gearshift.Repair;
import dev.gearshift.Result;
import dev.gearshift.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Migrates a key-value store over a static, ordered list of {@link Spec}s, as InfluxDB's {@code migration.Migrator}
 * does, on Gearshift's one engine: {@link #up} applies each outstanding spec in order from the lowest not applied,
 * {@link #down} reverts applied ones from the highest, {@link #list} shows each with its state. The record lives in
 * the store's reserved bucket {@code migrationsv1}. A list that was reordered, renamed or shortened after it was
 * applied is refused before anything runs.
 *
 * <pre>{@code
 * try (KvStore store = KvStores.mvstore(Path.of("data/app.mv"))) {
 *     KvMigrator.of(store, All.SPECS).backupPath(Path.of("data/app.mv")).up();
 *     ... // the application uses the store
 * }
 * }</pre>
 */
public final class KvMigrator {

    /** The module the specs' records are kept under. */
    public static final String MODULE = "kv";

    private final String url;
    private final List<Spec> specs;
    private final Optional<Path> backupPath;
    private final Duration migratorWait;

    private KvMigrator(String url, List<Spec> specs, Optional<Path> backupPath, Duration migratorWait) {
        this.url = url;
        this.specs = List.copyOf(specs);
        this.backupPath = backupPath;
        this.migratorWait = migratorWait;
    }

    /** A migrator of an open store (it is shared with the application, not closed by the migrator). */
    public static KvMigrator of(KvStore store, List<? extends Spec> specs) {
        return of(store.url(), specs);
    }

    /** A migrator of the store at {@code mvstore:PATH} or {@code rocksdb:PATH}. */
    public static KvMigrator of(String url, List<? extends Spec> specs) {
        return new KvMigrator(url, List.copyOf(specs), Optional.empty(), Duration.ofSeconds(60));
    }

    /**
     * Before the first spec of a run changes anything, a consistent copy of the store is written to
     * {@code <path>.pre-<migration>-upgrade.backup} ({@code <migration>}: the first spec to run, as
     * {@code 3_add-index-foo}); if it cannot be written, nothing runs.
     */
    public KvMigrator backupPath(Path path) {
        return new KvMigrator(url, specs, Optional.of(path), migratorWait);
    }

    /** How long to wait for another migrator of this store in this process (default 60 s). */
    public KvMigrator migratorWait(Duration wait) {
        return new KvMigrator(url, specs, backupPath, wait);
    }

    /** Applies every outstanding spec, in order. */
    public Result up() {
        requireListMatches();
        Gearshift gearshift = gearshift(backupPath.flatMap(this::backupFile));
        return gearshift.up(Target.latest());
    }

    /** Reverts every applied spec, from the highest. */
    public Result down() {
        return down(Target.zero());
    }

    /** Reverts applied specs down to {@code target} ({@code Target.latest()}: the last one only). */
    public Result down(Target target) {
        requireListMatches();
        return gearshift(Optional.empty()).down(target);
    }

    /** Clears a spec left started by a run that died, once its work was checked, so that {@code up} runs it again. */
    public Repair repair() {
        return gearshift(Optional.empty()).repair();
    }

    /** Each spec of the list with its state, and applied ones the list no longer has, in order. */
    public List<KvMigration> list() {
        Map<Long, HistoryEntry> last = lastRows(gearshift(Optional.empty()).history());
        List<KvMigration> migrations = new ArrayList<>();
        long count = Math.max(specs.size(), last.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
        for (long id = 1; id <= count; id++) {
            HistoryEntry row = last.get(id);
            String name = id <= specs.size() ? specs.get((int) id - 1).name() : row.name();
            KvMigration.State state = row == null ? KvMigration.State.DOWN : state(row);
            migrations.add(new KvMigration(id, name, state,
                    state == KvMigration.State.DOWN ? Optional.empty() : Optional.of(row.installedAt().minus(row.duration())),
                    state == KvMigration.State.UP ? Optional.of(row.installedAt()) : Optional.empty()));
        }
        return migrations;
    }

    private static KvMigration.State state(HistoryEntry row) {
        if (row.outcome().equals(HistoryEntry.STARTED) || row.outcome().equals(HistoryEntry.FAILED)) {
            return KvMigration.State.STARTED;
        }
        boolean applied = row.action().equals("up") || row.action().equals("baseline");
        return applied && row.outcome().equals(HistoryEntry.SUCCESS) ? KvMigration.State.UP : KvMigration.State.DOWN;
    }

    /** Per version, the row that says what it is now: its last up, down, or unfinished attempt. */
    private static Map<Long, HistoryEntry> lastRows(List<HistoryEntry> history) {
        Map<Long, HistoryEntry> last = new LinkedHashMap<>();
        for (HistoryEntry row : history) {
            if (!row.module().equals(MODULE) || row.version().isEmpty()) {
                continue;
            }
            long id = row.version().get().longValue();
            boolean decisive = row.outcome().equals(HistoryEntry.SUCCESS) && !row.action().equals("repair")
                    || row.outcome().equals(HistoryEntry.STARTED) || row.outcome().equals(HistoryEntry.FAILED);
            if (row.action().equals("repair") && last.containsKey(id)
                    && state(last.get(id)) == KvMigration.State.STARTED) {
                last.remove(id); // repaired: as if the failed attempt had not been
            } else if (decisive) {
                last.put(id, row);
            }
        }
        return last;
    }

    /**
     * Refuses, with {@link ErrorCode#VALIDATION}, a list that no longer matches what was applied to the store,
     * naming the first place they differ (also checked before {@link #up} and {@link #down} run anything).
     */
    public void check() {
        requireListMatches();
    }

    /**
     * Refuses a list that no longer matches what was applied, naming the first place they differ, before anything
     * runs: a list is static once applied.
     */
    private void requireListMatches() {
        Map<Long, HistoryEntry> last = lastRows(gearshift(Optional.empty()).history());
        for (Map.Entry<Long, HistoryEntry> applied : last.entrySet()) {
            if (state(applied.getValue()) == KvMigration.State.DOWN) {
                continue;
            }
            long id = applied.getKey();
            String expected = applied.getValue().name();
            String found = id <= specs.size() ? "\"" + specs.get((int) id - 1).name() + "\"" : "none";
            if (!found.equals("\"" + expected + "\"")) {
                throw new GearshiftException(ErrorCode.VALIDATION, "the spec list of " + url + " does not match"
                        + " the migrations applied to it: at position " + id + ", expected migration \"" + expected
                        + "\", found " + found + ". A list is static once applied: keep applied specs as they"
                        + " are, in their place, and add new ones at the end");
            }
        }
    }

    private Optional<Path> backupFile(Path base) {
        return list().stream().filter(m -> m.state() == KvMigration.State.DOWN).findFirst()
                .map(m -> Path.of(base + ".pre-" + m.id() + "_" + m.name().replaceAll("[^A-Za-z0-9]+", "-")
                        + "-upgrade.backup"));
    }

    private Gearshift gearshift(Optional<Path> backup) {
        List<JavaMigration> migrations = specs.stream().map(SpecMigration::new).map(JavaMigration.class::cast)
                .toList();
        Gearshift.Builder builder = Gearshift.configure().url(url).java(MODULE, migrations).migratorWait(migratorWait);
        backup.ifPresent(builder::backup);
        return builder.build();
    }

    /** A spec as the engine runs it: a Java migration handed the store's buckets. */
    private static final class SpecMigration implements JavaMigration {
        private final Spec spec;

        SpecMigration(Spec spec) {
            this.spec = spec;
        }

        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public String checksum() {
            return "spec:" + spec.name();
        }

        @Override
        public void up(MigrationContext context) throws Exception {
            spec.up(context.store(Buckets.class));
        }

        @Override
        public void down(MigrationContext context) throws Exception {
            spec.down(context.store(Buckets.class));
        }

        @Override
        public boolean transactional() {
            return spec.transactional();
        }
    }
}
