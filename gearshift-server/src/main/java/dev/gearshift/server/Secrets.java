package dev.gearshift.server;

import dev.gearshift.Urls;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence: every response body with a message and every log line passes through
 * {@link #scrub}. URLs get their passwords masked, and the passwords the service was configured with are
 * replaced wherever they appear (a driver may quote one in an error).
 */
final class Secrets {

    private static final Pattern WORD = Pattern.compile("\\S+");

    private final Set<String> passwords = ConcurrentHashMap.newKeySet();

    void add(String password) {
        if (password != null && !password.isEmpty()) {
            passwords.add(password);
        }
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        // URL by URL: a masked password parameter must end at its URL, not eat the rest of the message
        String result = WORD.matcher(text).replaceAll(word -> Matcher.quoteReplacement(Urls.mask(word.group())));
        for (String password : passwords) {
            result = result.replace(password, "***");
        }
        return result;
    }
}
