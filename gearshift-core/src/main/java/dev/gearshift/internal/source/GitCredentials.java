package dev.gearshift.internal.source;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The user and password (a token, for most hosts) for a git remote over http(s): {@code GEARSHIFT_GIT_USER} and
 * {@code GEARSHIFT_GIT_PASSWORD} in the environment, else the files of git's {@code store} credential helper,
 * {@code ~/.git-credentials} then {@code $XDG_CONFIG_HOME/git/credentials} ({@code ~/.config/git/credentials}),
 * read as that helper reads them: lines {@code https://user:token@host[:port][/path]}, URL-encoded, the first line
 * whose protocol and host (and path and user, where the line has them) match the remote's wins. Never from the
 * command line, and never shown: {@link #toString()} names the user, the host and where they came from only.
 */
final class GitCredentials {

    private final String user;
    private final String password;
    private final String host;
    private final String origin;

    private GitCredentials(String user, String password, String host, String origin) {
        this.user = user;
        this.password = password;
        this.host = host;
        this.origin = origin;
    }

    /** The credentials for {@code url}, HOME and XDG_CONFIG_HOME taken from {@code environment}; empty: none. */
    static Optional<GitCredentials> find(String url, Map<String, String> environment) {
        Optional<Remote> remote = Remote.parse(url);
        String password = environment.get("GEARSHIFT_GIT_PASSWORD");
        if (password != null) {
            String user = environment.get("GEARSHIFT_GIT_USER");
            return Optional.of(new GitCredentials(user == null ? "git" : user, password,
                    remote.map(Remote::host).orElse(url), "GEARSHIFT_GIT_USER/GEARSHIFT_GIT_PASSWORD"));
        }
        if (remote.isEmpty() || !remote.get().protocol().startsWith("http")) {
            return Optional.empty();
        }
        for (Path file : storeFiles(environment)) {
            for (String line : lines(file)) {
                Optional<Remote> stored = Remote.parse(line.strip());
                if (stored.isPresent() && stored.get().user() != null && stored.get().password() != null
                        && stored.get().matches(remote.get())) {
                    return Optional.of(new GitCredentials(stored.get().user(), stored.get().password(),
                            remote.get().host(), file.toString()));
                }
            }
        }
        return Optional.empty();
    }

    /** git-credential-store's files, in the order it reads them. */
    static List<Path> storeFiles(Map<String, String> environment) {
        String home = environment.getOrDefault("HOME", environment.get("USERPROFILE"));
        List<Path> files = new ArrayList<>();
        if (home != null && !home.isEmpty()) {
            files.add(Path.of(home, ".git-credentials"));
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            files.add(Path.of(xdg, "git", "credentials"));
        } else if (home != null && !home.isEmpty()) {
            files.add(Path.of(home, ".config", "git", "credentials"));
        }
        return files;
    }

    CredentialsProvider provider() {
        return new UsernamePasswordCredentialsProvider(user, password);
    }

    String user() {
        return user;
    }

    @Override
    public String toString() {
        return "user '" + user + "' for " + host + " (from " + origin + ")";
    }

    private static List<String> lines(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of(); // as git: an unreadable store is no credentials, not an error
        }
    }

    /** A remote's URL, or a line of the store, in the parts git's credential matching compares. */
    private record Remote(String protocol, String host, String path, String user, String password) {

        static Optional<Remote> parse(String url) {
            try {
                URI uri = new URI(url);
                if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                    return Optional.empty();
                }
                String authority = uri.getRawAuthority();
                int at = authority.lastIndexOf('@');
                String userInfo = at < 0 ? null : authority.substring(0, at);
                String host = (at < 0 ? authority : authority.substring(at + 1)).toLowerCase(Locale.ROOT);
                String user = null;
                String password = null;
                if (userInfo != null) {
                    int colon = userInfo.indexOf(':');
                    user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                    password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
                }
                String path = uri.getRawPath() == null ? "" : decode(uri.getRawPath()).replaceAll("^/+", "");
                return Optional.of(new Remote(uri.getScheme().toLowerCase(Locale.ROOT), host,
                        path.isEmpty() ? null : path, user, password));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        /** A stored line matches a remote when each part the line has equals the remote's. */
        boolean matches(Remote remote) {
            return protocol.equals(remote.protocol()) && host.equals(remote.host())
                    && (path == null || path.equals(remote.path()))
                    && (remote.user() == null || remote.user().equals(user));
        }

        private static String decode(String text) {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return protocol + "://" + host; // a line of the store holds a secret
        }
    }
}
