package dev.gearshift.kv.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Keys as the stores order them: unsigned bytes, compared left to right. */
public final class Bytes {

    private Bytes() {
    }

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** The first key after {@code key}: the key with a zero byte appended. */
    public static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** The first key after every key that starts with {@code prefix}; empty when there is none (all 0xff). */
    public static Optional<byte[]> prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Optional.of(Arrays.copyOf(end, i + 1));
            }
        }
        return Optional.empty();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** An 8-byte big-endian number: such keys sort as their numbers do. */
    public static byte[] sequence(long n) {
        byte[] key = new byte[8];
        for (int i = 7; i >= 0; i--) {
            key[i] = (byte) n;
            n >>>= 8;
        }
        return key;
    }

    /** The number of an 8-byte {@link #sequence} key; 0 for any other key. */
    public static long sequenceOf(byte[] key) {
        if (key.length != 8) {
            return 0;
        }
        long n = 0;
        for (byte b : key) {
            n = (n << 8) | (b & 0xff);
        }
        return n;
    }

    /** MVStore keys: one char per byte, so that strings sort as the bytes do. */
    static String latin1(byte[] key) {
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    static byte[] fromLatin1(String key) {
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }
}
