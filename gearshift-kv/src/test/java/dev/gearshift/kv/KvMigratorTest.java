package dev.gearshift.kv;

import static dev.gearshift.kv.Values.bytes;
import static dev.gearshift.kv.Values.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The migrator over a static list of specs, on both stores. */
class KvMigratorTest {

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    private String url(String kind) {
        return kind + ":" + dir.resolve("store");
    }

    private static List<Spec> specs() {
        return List.of(Specs.createBuckets("add bucket foo", "foo"),
                Values.put("seed foo", "foo", "a", "1"),
                Specs.createBuckets("add bucket bar", "bar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void upAppliesEachOutstandingSpecOnceInOrderAndListShowsTheirStates(String kind) {
        try (KvStore store = KvStores.open(url(kind))) {
            KvMigrator migrator = KvMigrator.of(store, specs());
            assertThat(migrator.list()).extracting(KvMigration::state).containsOnly(KvMigration.State.DOWN);

            KvMigrator.of(store, specs().subList(0, 2)).up();
            Result rest = migrator.up();

            assertThat(rest.applied()).extracting(Result.Applied::name).containsExactly("add bucket bar");
            assertThat(migrator.up().applied()).isEmpty();
            assertThat(store.buckets()).contains("foo", "bar", "migrationsv1");
            assertThat(entries(store, "foo")).containsExactly("a=1");
            List<KvMigration> list = migrator.list();
            assertThat(list).extracting(m -> m.id() + " " + m.name() + " " + m.state().id())
                    .containsExactly("1 add bucket foo up", "2 seed foo up", "3 add bucket bar up");
            assertThat(list).allSatisfy(m -> assertThat(m.finishedAt().orElseThrow())
                    .isAfterOrEqualTo(m.startedAt().orElseThrow()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void downRevertsAppliedSpecsFromTheHighest(String kind) {
        try (KvStore store = KvStores.open(url(kind))) {
            KvMigrator migrator = KvMigrator.of(store, specs());
            migrator.up();

            Result down = migrator.down();

            assertThat(down.applied()).extracting(Result.Applied::name)
                    .containsExactly("add bucket bar", "seed foo", "add bucket foo");
            assertThat(store.buckets()).containsExactly("migrationsv1");
            assertThat(migrator.list()).extracting(KvMigration::state).containsOnly(KvMigration.State.DOWN);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aListReorderedRenamedOrShortenedAfterApplyIsRefusedNamingTheFirstMismatch(String kind) {
        try (KvStore store = KvStores.open(url(kind))) {
            KvMigrator.of(store, specs()).up();
            List<String> before = store.buckets();
            Spec foo = specs().get(0);
            Spec seed = specs().get(1);
            Spec bar = specs().get(2);
            Spec baz = Specs.createBuckets("add bucket baz", "baz");

            assertThat(refused(() -> KvMigrator.of(store, List.of(bar, foo, seed, baz)).up()))
                    .contains("expected migration \"add bucket foo\", found \"add bucket bar\"");
            assertThat(refused(() -> KvMigrator.of(store, List.of(foo, seed, baz)).up()))
                    .contains("expected migration \"add bucket bar\", found \"add bucket baz\"");
            assertThat(refused(() -> KvMigrator.of(store, List.of(foo, seed)).down()))
                    .contains("expected migration \"add bucket bar\", found none");

            assertThat(store.buckets()).isEqualTo(before).doesNotContain("baz");
        }
    }

    private static String refused(Runnable run) {
        GearshiftException e = catchThrowableOfType(GearshiftException.class, run::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        return e.getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aSpecThatThrowsHalfWayLeavesTheStoreAsItWasAndIsNamed(String kind) {
        Spec failing = new Spec() {
            @Override
            public String name() {
                return "fill foo";
            }

            @Override
            public void up(Buckets store) {
                store.put("foo", bytes("b"), bytes("2"));
                store.createBucket("half");
                throw new IllegalStateException("the source row 7 is malformed");
            }
        };
        try (KvStore store = KvStores.open(url(kind))) {
            KvMigrator.of(store, specs().subList(0, 2)).up();

            GearshiftException e = catchThrowableOfType(GearshiftException.class,
                    () -> KvMigrator.of(store, List.of(specs().get(0), specs().get(1), failing)).up());

            assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
            assertThat(e.getMessage()).contains("kv/3_fill foo", "the source row 7 is malformed", "rolled back");
            assertThat(store.buckets()).doesNotContain("half");
            assertThat(entries(store, "foo")).containsExactly("a=1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aSecondMigratorOfTheStoreWaitsForTheFirstAndGivesUpNamingIt(String kind) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Spec slow = new Spec() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public void up(Buckets store) throws Exception {
                entered.countDown();
                assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
                store.createBucket("slow");
            }
        };
        try (KvStore store = KvStores.open(url(kind))) {
            Future<Result> first = threads.submit(() -> KvMigrator.of(store, List.of(slow)).up());
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            GearshiftException e = catchThrowableOfType(GearshiftException.class, () -> KvMigrator.of(store,
                    List.of(slow)).migratorWait(Duration.ofMillis(200)).up());

            assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
            assertThat(e.getMessage()).contains(store.url(), "holds the lock");
            release.countDown();
            assertThat(first.get(20, TimeUnit.SECONDS).applied()).hasSize(1);
            assertThat(store.buckets()).contains("slow");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aBackupIsWrittenBeforeTheFirstSpecRunsAndRestores(String kind) {
        Path base = dir.resolve("store");
        try (KvStore store = KvStores.open(url(kind))) {
            KvMigrator.of(store, specs().subList(0, 2)).up();
            KvMigrator.of(store, specs()).backupPath(base).up();
            store.deleteBucket("foo"); // a mistake after the upgrade
        }
        Path backup = dir.resolve("store.pre-3_add-bucket-bar-upgrade.backup");
        assertThat(backup).exists();

        KvStores.restore(url(kind), backup);

        try (KvStore store = KvStores.open(url(kind))) {
            assertThat(entries(store, "foo")).containsExactly("a=1");
            assertThat(store.buckets()).doesNotContain("bar");
            assertThat(KvMigrator.of(store, specs()).list()).extracting(m -> m.state().id())
                    .containsExactly("up", "up", "down");
        }
        assertThat(backup).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aBackupPathThatCannotBeWrittenStopsTheRunBeforeAnythingChanges(String kind) throws Exception {
        Path missing = dir.resolve("no-such-folder").resolve("store");
        try (KvStore store = KvStores.open(url(kind))) {
            KvMigrator.of(store, specs().subList(0, 1)).up();

            GearshiftException e = catchThrowableOfType(GearshiftException.class,
                    () -> KvMigrator.of(store, specs()).backupPath(missing).up());

            assertThat(e.getMessage()).contains(store.url(), missing.getParent().toString());
            assertThat(entries(store, "foo")).isEmpty();
            assertThat(KvMigrator.of(store, specs()).list()).extracting(m -> m.state().id())
                    .containsExactly("up", "down", "down");
        }
        assertThat(Files.exists(missing.getParent())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aDamagedStoreIsAClearErrorNamingIt(String kind) throws Exception {
        Path path = dir.resolve("store");
        if (kind.equals("mvstore")) {
            Files.write(path, new byte[4096]);
        } else {
            Files.createDirectories(path);
            Files.writeString(path.resolve("CURRENT"), "MANIFEST-000042\n");
        }

        GearshiftException e = catchThrowableOfType(GearshiftException.class,
                () -> KvMigrator.of(url(kind), specs()).up());

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(e.getMessage()).contains(kind + ":" + path, "cannot be opened", "restore it from a backup");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void bucketHelpersGoUpAndDown(String kind) {
        try (KvStore store = KvStores.open(url(kind))) {
            List<Spec> specs = List.of(specs().get(0), specs().get(1),
                    Specs.copyBucket("copy foo", "foo", "foo_copy"),
                    Specs.renameBucket("rename foo", "foo", "renamed"));
            KvMigrator migrator = KvMigrator.of(store, specs);

            migrator.up();
            assertThat(store.buckets()).contains("foo_copy", "renamed").doesNotContain("foo");
            assertThat(entries(store, "renamed")).containsExactly("a=1");
            assertThat(entries(store, "foo_copy")).containsExactly("a=1");

            migrator.down(dev.gearshift.Target.version(2));
            assertThat(store.buckets()).contains("foo").doesNotContain("foo_copy", "renamed");
            assertThat(entries(store, "foo")).containsExactly("a=1");
        }
    }
}
