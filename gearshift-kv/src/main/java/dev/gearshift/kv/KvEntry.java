package dev.gearshift.kv;

import java.nio.charset.StandardCharsets;

/** One key and its value. */
public record KvEntry(byte[] key, byte[] value) {

    public String keyText() {
        return new String(key, StandardCharsets.UTF_8);
    }

    public String valueText() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
