package dev.gearshift.cli;

import dev.gearshift.Urls;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The last line of defence: every text the CLI prints passes through {@link #scrub}. */
final class Secrets {

    private static final Pattern URL_PASSWORD = Pattern.compile("//[^/@:?#]*:([^@/?#]+)@");
    private static final Pattern PARAM_PASSWORD = Pattern.compile("(?i)[?&;]password=([^&;]+)");
    private static final Pattern WORD = Pattern.compile("\\S+");

    private final Set<String> secrets = new LinkedHashSet<>();

    void addPassword(String password) {
        if (password != null && password.length() >= 1) {
            secrets.add(password);
            try {
                secrets.add(URLDecoder.decode(password, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notEncoded) {
                // "100%" is a password, not a malformed URL escape: only its literal form can appear
            }
        }
    }

    /** Remembers the passwords inside a URL. */
    void addUrl(String url) {
        if (url == null) {
            return;
        }
        for (Pattern pattern : new Pattern[] {URL_PASSWORD, PARAM_PASSWORD}) {
            Matcher matcher = pattern.matcher(url);
            while (matcher.find()) {
                addPassword(matcher.group(1));
            }
        }
    }

    /**
     * Remembers what a command line holds that may be secret, before it is parsed, so even a usage error cannot
     * print it: URLs, and the value of any option whose name says password (also misspelt: --passwrd, --pass).
     */
    void addArguments(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = (equals < 0 ? arg : arg.substring(0, equals)).toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith("-") && (name.contains("pass") || name.contains("pwd"))) {
                addPassword(equals >= 0 ? arg.substring(equals + 1) : i + 1 < args.length ? args[i + 1] : null);
            }
            addUrl(arg);
        }
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        // URL by URL, not over the whole text: a masked password parameter must end at the URL, not eat the
        // rest of the message (the database's reason for refusing) up to the next ';' or '&'.
        String result = WORD.matcher(text).replaceAll(word -> Matcher.quoteReplacement(Urls.mask(word.group())));
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }
}
