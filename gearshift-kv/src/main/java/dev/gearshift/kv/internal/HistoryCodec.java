package dev.gearshift.kv.internal;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.Version;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * History rows as the store keeps them in its migrations bucket ({@code migrationsv1} by default): under their id
 * as an 8-byte key, one flat JSON object each, with the record's fields as InfluxDB names them ({@code id},
 * {@code name}, {@code state}, {@code started_at}, {@code finished_at}) and the rest of Gearshift's history row.
 * Flat objects of strings and numbers are all it writes, so a few lines read them back.
 */
public final class HistoryCodec {

    private HistoryCodec() {
    }

    public static byte[] encode(HistoryEntry entry, long id, Instant finished) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("module", entry.module());
        fields.put("version", entry.version().map(Version::toString).orElse(null));
        fields.put("name", entry.name());
        fields.put("kind", entry.kind());
        fields.put("action", entry.action());
        fields.put("state", entry.outcome());
        fields.put("checksum", entry.checksum());
        fields.put("error", entry.error());
        fields.put("installed_by", System.getProperty("user.name"));
        fields.put("started_at", finished.minus(entry.duration()).toString());
        fields.put("finished_at", finished.toString());
        fields.put("duration_ms", entry.duration().toMillis());
        fields.put("tool_version", entry.toolVersion());
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(name).append("\":");
            if (value == null) {
                json.append("null");
            } else if (value instanceof Long) {
                json.append(value);
            } else {
                quote(json, value.toString());
            }
        });
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    public static HistoryEntry decode(byte[] value) {
        Map<String, String> fields = parse(new String(value, StandardCharsets.UTF_8));
        Optional<Version> version = Optional.ofNullable(fields.get("version")).map(Version::parse);
        return new HistoryEntry(Long.parseLong(fields.get("id")), fields.get("module"), version, fields.get("name"),
                fields.get("kind"), fields.get("action"), fields.get("checksum"), fields.get("state"),
                fields.get("error"), fields.get("installed_by"), Instant.parse(fields.get("finished_at")),
                Duration.ofMillis(Long.parseLong(fields.getOrDefault("duration_ms", "0"))), fields.get("tool_version"));
    }

    /** A flat JSON object of strings, numbers and nulls, as {@link #encode} writes it. */
    static Map<String, String> parse(String json) {
        Map<String, String> fields = new HashMap<>();
        int[] at = {skip(json, 0)};
        expect(json, at, '{');
        while (json.charAt(skip(json, at[0])) != '}') {
            at[0] = skip(json, at[0]);
            if (json.charAt(at[0]) == ',') {
                at[0]++;
            }
            at[0] = skip(json, at[0]);
            String name = string(json, at);
            at[0] = skip(json, at[0]);
            expect(json, at, ':');
            at[0] = skip(json, at[0]);
            String text;
            if (json.charAt(at[0]) == '"') {
                text = string(json, at);
            } else {
                int end = at[0];
                while (end < json.length() && ",} \n\t\r".indexOf(json.charAt(end)) < 0) {
                    end++;
                }
                text = json.substring(at[0], end);
                at[0] = end;
                text = text.equals("null") ? null : text;
            }
            fields.put(name, text);
        }
        return fields;
    }

    private static int skip(String json, int at) {
        while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
            at++;
        }
        if (at >= json.length()) {
            throw new GearshiftException(ErrorCode.INTERNAL, "a history record is cut short: " + json);
        }
        return at;
    }

    private static void expect(String json, int[] at, char c) {
        if (json.charAt(at[0]) != c) {
            throw new GearshiftException(ErrorCode.INTERNAL, "a history record is not a JSON object: " + json);
        }
        at[0]++;
    }

    private static String string(String json, int[] at) {
        expect(json, at, '"');
        StringBuilder text = new StringBuilder();
        while (json.charAt(at[0]) != '"') {
            char c = json.charAt(at[0]++);
            if (c == '\\') {
                char e = json.charAt(at[0]++);
                switch (e) {
                    case 'n' -> text.append('\n');
                    case 'r' -> text.append('\r');
                    case 't' -> text.append('\t');
                    case 'u' -> {
                        text.append((char) Integer.parseInt(json.substring(at[0], at[0] + 4), 16));
                        at[0] += 4;
                    }
                    default -> text.append(e);
                }
            } else {
                text.append(c);
            }
        }
        at[0]++;
        return text.toString();
    }
}
