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

    private final Set<String> secrets = new LinkedHashSet<>();

    void addPassword(String password) {
        if (password != null && password.length() >= 1) {
            secrets.add(password);
            secrets.add(URLDecoder.decode(password, StandardCharsets.UTF_8));
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

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String result = Urls.mask(text);
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }
}
