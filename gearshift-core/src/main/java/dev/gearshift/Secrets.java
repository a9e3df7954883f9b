package dev.gearshift;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks secrets before they are printed anywhere: the one masker of every front end. It masks by structure,
 * never by searching for a known password: that would garble any name that happens to spell the password, and
 * answer a caller who guesses it with the mask.
 */
public final class Secrets {

    private static final String MASK = "***";

    // Neither pattern crosses whitespace: masking a URL inside a sentence must leave the rest of it alone.
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#\\s]*):[^@/?#\\s]*@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;](?:password|pass|pwd)=)[^&;\\s]*");

    private Secrets() {
    }

    /**
     * {@code postgres://app:secret@db/x?password=y} becomes {@code postgres://app:***@db/x?password=***}, and so
     * does every URL inside a longer text (an error message, a JSON document).
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
        return PASSWORD_PARAM.matcher(masked).replaceAll("$1" + MASK);
    }

    /**
     * A command line with the value of every option whose name says password (misspelt too: --passwrd, --pass,
     * --pwd) replaced by {@link #MASK}: a usage error quotes the arguments it could not match, so it must be worded
     * from such a copy. URLs stay: {@link #mask} masks their passwords wherever text is printed.
     */
    public static String[] maskArguments(String[] args) {
        String[] masked = args.clone();
        for (int i = 0; i < masked.length; i++) {
            String arg = masked[i];
            int equals = arg.indexOf('=');
            String name = (equals < 0 ? arg : arg.substring(0, equals)).toLowerCase(Locale.ROOT);
            if (name.startsWith("-") && (name.contains("pass") || name.contains("pwd"))) {
                if (equals >= 0) {
                    masked[i] = arg.substring(0, equals + 1) + MASK;
                } else if (i + 1 < masked.length) {
                    masked[++i] = MASK;
                }
            }
        }
        return masked;
    }

    /** True when the command line holds a password value that {@link #maskArguments} hides. */
    public static boolean holdsPassword(String[] args) {
        return !Arrays.equals(args, maskArguments(args));
    }
}
