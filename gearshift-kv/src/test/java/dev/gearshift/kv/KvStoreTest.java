package dev.gearshift.kv;

import static dev.gearshift.kv.Values.bytes;
import static dev.gearshift.kv.Values.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gearshift.GearshiftException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bucket API itself, the same on both stores. */
class KvStoreTest {

    @TempDir
    Path dir;

    private KvStore open(String kind) {
        return KvStores.open(kind + ":" + dir.resolve("store"));
    }

    private static List<String> keys(Cursor cursor) {
        List<String> keys = new ArrayList<>();
        try (cursor) {
            cursor.forEachRemaining(e -> keys.add(e.keyText()));
        }
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void cursorsByPrefixAndRangeInUnsignedByteOrder(String kind) {
        try (KvStore store = open(kind)) {
            store.createBucket("b");
            for (String key : List.of("user/2", "user/10", "usex", "user/1", "a", "user\u00e9")) {
                store.put("b", bytes(key), bytes("v"));
            }
            store.put("b", new byte[] {(byte) 0xff}, bytes("high"));

            assertThat(keys(store.cursor("b", KeyRange.prefix(bytes("user/"))))).containsExactly("user/1", "user/10",
                    "user/2");
            assertThat(keys(store.cursor("b", KeyRange.between(bytes("user/10"), bytes("usex")))))
                    .containsExactly("user/10", "user/2", "user\u00e9");
            assertThat(store.lastKey("b")).hasValueSatisfying(k -> assertThat(k).containsExactly(0xff));
            assertThat(keys(store.cursor("b", KeyRange.after(bytes("user/2"))))).hasSize(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aUnitSeesItsOwnWritesAndNothingOfItIsSeenOrKeptUntilItCommits(String kind) {
        try (KvStore store = open(kind)) {
            store.createBucket("old");
            store.put("old", bytes("k"), bytes("1"));
            try (WriteUnit unit = store.begin()) {
                unit.createBucket("new");
                unit.put("new", bytes("a"), bytes("A"));
                unit.delete("old", bytes("k"));
                unit.put("old", bytes("j"), bytes("2"));

                assertThat(entries(unit, "new")).containsExactly("a=A");
                assertThat(entries(unit, "old")).containsExactly("j=2");
                assertThat(store.bucketExists("new")).isFalse();
                assertThat(entries(store, "old")).containsExactly("k=1");
            } // closed without commit: discarded
            assertThat(store.bucketExists("new")).isFalse();
            assertThat(entries(store, "old")).containsExactly("k=1");

            try (WriteUnit unit = store.begin()) {
                unit.deleteBucket("old");
                unit.createBucket("old"); // deleted and made again in one unit: empty
                unit.put("old", bytes("z"), bytes("26"));
                unit.commit();
            }
            assertThat(entries(store, "old")).containsExactly("z=26");
        }
        try (KvStore again = open(kind)) {
            assertThat(again.buckets()).containsExactly("old");
            assertThat(entries(again, "old")).containsExactly("z=26");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void bucketsUsedWronglyAreNamed(String kind) {
        try (KvStore store = open(kind)) {
            store.createBucket("b");
            assertThat(catchThrowableOfType(GearshiftException.class, () -> store.createBucket("b")))
                    .hasMessage("bucket b already exists");
            assertThat(catchThrowableOfType(GearshiftException.class, () -> store.put("c", bytes("k"), bytes("v"))))
                    .hasMessage("bucket c does not exist");
            assertThat(catchThrowableOfType(GearshiftException.class, () -> store.deleteBucket("c")))
                    .hasMessage("bucket c does not exist");
        }
    }
}
