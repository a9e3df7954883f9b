package dev.gearshift;

/**
 * A count with its noun in agreement, {@code 1 migration} and {@code 2 migrations}, for every message and front end:
 * one helper rather than a ternary at each count, which is how "1 problems" got out.
 */
public final class Counts {

    private Counts() {
    }

    /** {@code 1 migration}, {@code 0 migrations}: for nouns whose plural adds an s. */
    public static String of(long count, String noun) {
        return of(count, noun, noun + "s");
    }

    /** {@code of(n, "object differs", "objects differ")}: an irregular plural, or a noun with its verb. */
    public static String of(long count, String singular, String plural) {
        return count + " " + word(count, singular, plural);
    }

    /** The word alone, as {@code word(repaired.size(), "it", "them")}. */
    public static String word(long count, String singular, String plural) {
        return count == 1 ? singular : plural;
    }
}
