package dev.gearshift;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ordered key of a versioned migration: one non-negative integer (a sequence number, a timestamp, a position
 * in a list: {@code 7}, {@code 20240101120000}) or several separated by dots (Flyway's {@code 1.2.3}, Lily's
 * {@code major.patch} as {@code 0.28}). Versions compare segment by segment, numerically: {@code 1.9 < 1.10}.
 *
 * <p>Trailing zero segments carry no meaning, as in Flyway: {@code 1.2.0} is {@code 1.2} and {@code 2.0} is
 * {@code 2}, so two migrations whose versions differ only by them are one version twice (a duplicate), never two
 * migrations ordered by a typo. Leading zeros are read away ({@code 0001} is {@code 1}). A version prints in that
 * canonical form, which is also how the history records it.
 *
 * @param segments the canonical segments: at least one, none negative, no trailing zero after the first
 */
public record Version(List<Long> segments) implements Comparable<Version> {

    public Version {
        if (segments.isEmpty() || segments.stream().anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("a version is one or more non-negative integers, got " + segments);
        }
        List<Long> canonical = new ArrayList<>(segments);
        while (canonical.size() > 1 && canonical.get(canonical.size() - 1) == 0) {
            canonical.remove(canonical.size() - 1);
        }
        segments = List.copyOf(canonical);
    }

    /** An integer version: a sequence number, a timestamp, a position in a list. */
    public static Version of(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("a version must be 0 or positive, got " + version);
        }
        return new Version(List.of(version));
    }

    /**
     * Reads {@code 7}, {@code 0001}, {@code 1.2.3}: non-negative integers (each below 2^63) separated by single dots.
     *
     * @throws IllegalArgumentException for anything else, saying what was expected
     */
    public static Version parse(String text) {
        List<Long> segments = new ArrayList<>();
        for (String segment : text.split("\\.", -1)) {
            if (segment.isEmpty() || !segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' is not a version: expected integers separated"
                        + " by dots, such as 7, 20240101120000 or 1.2.3");
            }
            try {
                segments.add(Long.parseLong(segment));
            } catch (NumberFormatException tooLarge) {
                throw new IllegalArgumentException("'" + text + "' is not a version: each part must be below 2^63");
            }
        }
        return new Version(segments);
    }

    /** True for a plain integer (one segment): stored, and printed in JSON, as a number, as before dotted versions. */
    public boolean isInteger() {
        return segments.size() == 1;
    }

    /**
     * The integer of an integer version.
     *
     * @throws IllegalStateException for a dotted version
     */
    public long longValue() {
        if (!isInteger()) {
            throw new IllegalStateException("version " + this + " is not an integer");
        }
        return segments.get(0);
    }

    /**
     * How messages, results and the CLI name a migration: {@code module/version_name}, or {@code module/R_name}
     * for a repeatable one (it has no version).
     */
    public static String migrationId(String module, java.util.Optional<Version> version, String name) {
        return module + "/" + version.map(String::valueOf).orElse("R") + "_" + name;
    }

    @Override
    public int compareTo(Version other) {
        for (int i = 0; i < Math.max(segments.size(), other.segments.size()); i++) {
            int order = Long.compare(segment(i), other.segment(i));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    private long segment(int index) {
        return index < segments.size() ? segments.get(index) : 0;
    }

    @Override
    public String toString() {
        return segments.stream().map(String::valueOf).collect(Collectors.joining("."));
    }
}
