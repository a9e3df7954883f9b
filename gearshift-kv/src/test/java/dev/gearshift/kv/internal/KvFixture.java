package dev.gearshift.kv.internal;

import dev.gearshift.Gearshift;
import dev.gearshift.Guard;
import dev.gearshift.HistoryEntry;
import dev.gearshift.MigrationContext;
import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.kv.KvEntry;
import dev.gearshift.spi.Capability;
import dev.gearshift.spi.SqlStatement;
import dev.gearshift.spi.StoreProvider;
import dev.gearshift.testkit.StoreFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The test kit's fixture for a key-value store: one store file (MVStore) or directory (RocksDB) per test, a target
 * is a named schema in it, an object a bucket whose values are appended under sequence keys, a migrator is told
 * apart by the URL's {@code ?migrator=}.
 */
public final class KvFixture implements StoreFixture {

    private static final Pattern HOLDER = Pattern.compile("holds the lock of schema \\S+ in \\S+: '([^']+)'");

    private final String kind;
    private final Path dir;
    private final OpenStores.Location location;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    /** Held for the test, as an application holds its store: every other opening shares it, and is quick. */
    private final OpenStore held;

    public KvFixture(String kind) {
        this.kind = kind;
        try {
            this.dir = Files.createTempDirectory("gearshift-kv-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.location = OpenStores.Location.parse(kind + ":" + dir.resolve(kind.equals("mvstore") ? "store.mv" : "store"));
        this.held = OpenStores.process().open(location);
    }

    public String url() {
        return location.url();
    }

    @Override
    public Set<Capability> capabilities() {
        return KvStoreProvider.CAPABILITIES;
    }

    @Override
    public String newTarget() {
        String target = "t" + UUID.randomUUID().toString().substring(0, 8);
        targets.add(target);
        return target;
    }

    @Override
    public Gearshift.Builder configure(String target) {
        return Gearshift.configure().url(url()).schema(target).createSchema(true);
    }

    @Override
    public Gearshift.Builder configure(String target, String migrator) {
        return configure(target).url(url() + "?migrator=" + migrator);
    }

    private <T> T withStore(java.util.function.Function<OpenStore, T> work) {
        try (OpenStore store = OpenStores.process().open(location)) {
            return work.apply(store);
        }
    }

    @Override
    public void createTarget(String target) {
        withStore(store -> {
            store.createBucket(target + "/");
            return null;
        });
    }

    @Override
    public boolean targetExists(String target) {
        return location.exists() && withStore(store -> store.bucketExists(target + "/"));
    }

    @Override
    public void run(String target, String script) {
        withStore(store -> {
            try (var unit = store.begin()) {
                for (SqlStatement statement : new KvScript().split(script, "by hand")) {
                    KvScript.run(statement, Scoped.of(unit, Optional.of(target)), KvLocked.NO_SESSION);
                }
                unit.commit();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    @Override
    public boolean objectExists(String target, String object) {
        return location.exists() && withStore(store -> Scoped.of(store, Optional.of(target)).bucketExists(object));
    }

    @Override
    public String snapshot(String target) {
        if (!location.exists()) {
            return "no store";
        }
        return withStore(store -> {
            Scoped scoped = Scoped.of(store, Optional.of(target));
            StringBuilder picture = new StringBuilder("exists: " + store.bucketExists(target + "/") + "\n");
            for (String bucket : scoped.buckets()) {
                if (bucket.equals(KvTarget.MIGRATIONS_BUCKET)) {
                    continue;
                }
                picture.append(bucket).append(':');
                entries(scoped, bucket).forEach(e -> picture.append(' ').append(Bytes.sequenceOf(e.key()))
                        .append('=').append(e.valueText()));
                picture.append('\n');
            }
            return picture.toString();
        });
    }

    private static List<KvEntry> entries(Buckets buckets, String bucket) {
        List<KvEntry> entries = new ArrayList<>();
        try (Cursor cursor = buckets.cursor(bucket, KeyRange.all())) {
            cursor.forEachRemaining(entries::add);
        }
        return entries;
    }

    @Override
    public List<String> values(String target, String object) {
        return withStore(store -> entries(Scoped.of(store, Optional.of(target)), object).stream()
                .map(KvEntry::valueText).toList());
    }

    @Override
    public List<String> storedHistory(String target, String historyTable) {
        if (!location.exists()) {
            return List.of();
        }
        return withStore(store -> KvTarget.entries(Scoped.of(store, Optional.of(target)),
                KvTarget.historyBucket(historyTable)).stream().map(KvFixture::row).toList());
    }

    private static String row(HistoryEntry h) {
        return h.module() + "/" + h.version().orElseThrow() + " " + h.action() + " " + h.outcome();
    }

    @Override
    public boolean backupHolds(Path backup, String target, String object) {
        try (OpenStore copy = OpenStores.process().open(new OpenStores.Location(kind, backup.toAbsolutePath()))) {
            return Scoped.of(copy, Optional.of(target)).bucketExists(object);
        }
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public Guard guard(String target, String application) {
        return new KvTarget(url() + "?migrator=" + application, Optional.of(target),
                new StoreProvider.Options(Gearshift.HISTORY_TABLE, Map.of(), Duration.ZERO)).guard();
    }

    @Override
    public String scriptExtension() {
        return "kv";
    }

    @Override
    public String create(String object) {
        return "create-bucket " + object;
    }

    @Override
    public String drop(String object) {
        return "delete-bucket " + object;
    }

    @Override
    public String add(String object, int value) {
        return "append " + object + " " + value;
    }

    @Override
    public void add(MigrationContext context, String object, String value) {
        Buckets buckets = context.store(Buckets.class);
        if (!buckets.bucketExists(object)) {
            buckets.createBucket(object);
        }
        KvScript.append(buckets, object, Bytes.utf8(value));
    }

    @Override
    public String alter(String object) {
        return "put " + object + " altered yes";
    }

    @Override
    public String sleep(Duration duration) {
        return "sleep " + duration.toMillis() + "ms";
    }

    @Override
    public Failure failure() {
        return new Failure("append no_such_bucket 1", "bucket no_such_bucket does not exist");
    }

    @Override
    public String nonTransactional(String script) {
        return "-- gearshift:no-transaction\n" + script;
    }

    @Override
    public String releaseLocks() {
        return "release-lock";
    }

    @Override
    public Reader read(String target, String object) {
        throw new UnsupportedOperationException("a key-value store's readers hold no locks that writes wait for");
    }

    @Override
    public String lockTimeoutReason() {
        throw new UnsupportedOperationException("a key-value store's writes wait for no lock");
    }

    @Override
    public void awaitWaitingForLock(String migrator) {
        await(lock -> lock.isWaiting(migrator), migrator + " waiting for the lock");
    }

    @Override
    public void awaitSleeping(String migrator) {
        await(lock -> lock.isSleeping(migrator), migrator + " sleeping");
    }

    private void await(Predicate<SchemaLock> state, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (location.exists() && withStore(store -> targets.stream().anyMatch(t -> state.test(store.lock(t))))) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("never saw " + what);
    }

    @Override
    public void loseLock(String migrator) {
        withStore(store -> targets.stream().filter(t -> store.lock(t).lose(migrator)).count());
    }

    @Override
    public String lockHolderNamedIn(String message) {
        Matcher matcher = HOLDER.matcher(message);
        return matcher.find() ? matcher.group(1) : null;
    }

    @Override
    public void close() {
        held.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is no failure of the store
        }
    }
}
