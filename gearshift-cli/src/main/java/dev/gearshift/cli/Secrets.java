package dev.gearshift.cli;

import java.util.Locale;

/**
 * The one thing about secrets only the CLI knows: which arguments of its command line are password values. Output
 * itself is masked by structure, below the front ends ({@link dev.gearshift.Urls#mask}); a usage error, though,
 * quotes the arguments picocli could not match, a misspelt {@code --passwrd S3cret} included, so such errors are
 * worded from a copy of the command line whose password values are masked by position.
 */
final class Secrets {

    static final String MASK = "***";

    private Secrets() {
    }

    /**
     * The command line with the value of every option whose name says password (misspelt too: --passwrd, --pass,
     * --pwd) replaced by {@link #MASK}. URLs stay: their passwords are masked wherever text is printed.
     */
    static String[] maskArguments(String[] args) {
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
    static boolean holdsPassword(String[] args) {
        return !java.util.Arrays.equals(args, maskArguments(args));
    }
}
