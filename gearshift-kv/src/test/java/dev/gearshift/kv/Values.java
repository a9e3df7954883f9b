package dev.gearshift.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading and writing text in tests. */
final class Values {

    private Values() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Every entry of a bucket as {@code key=value}, in key order. */
    static List<String> entries(Buckets store, String bucket) {
        List<String> entries = new ArrayList<>();
        try (Cursor cursor = store.cursor(bucket, KeyRange.all())) {
            cursor.forEachRemaining(e -> entries.add(e.keyText() + "=" + e.valueText()));
        }
        return entries;
    }

    /** A spec that puts one key, and deletes it on the way down. */
    static Spec put(String name, String bucket, String key, String value) {
        return Spec.of(name, store -> store.put(bucket, bytes(key), bytes(value)),
                store -> store.delete(bucket, bytes(key)));
    }
}
