package dev.gearshift;

import java.util.regex.Pattern;

/** Masks secrets in connection URLs before they are printed anywhere. */
public final class Urls {

    // Neither pattern crosses whitespace: masking a URL inside a sentence must leave the rest of it alone.
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#\\s]*):[^@/?#\\s]*@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;](?:password|pass|pwd)=)[^&;\\s]*");

    private Urls() {
    }

    /**
     * {@code postgres://app:secret@db/x?password=y} becomes {@code postgres://app:***@db/x?password=***}, and so
     * does every URL inside a longer text (an error message, a JSON document). The one masker of every front end.
     * It masks by structure, never by searching for a known password: that would garble any name that happens to
     * spell the password, and answer a caller who guesses it with the mask.
     */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String masked = USER_INFO.matcher(url).replaceAll("$1:***@");
        return PASSWORD_PARAM.matcher(masked).replaceAll("$1***");
    }
}
