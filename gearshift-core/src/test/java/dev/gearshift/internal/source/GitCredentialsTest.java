package dev.gearshift.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gearshift.GearshiftException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials of a git remote from git's credential store: real files under a temporary HOME, and a real HTTP
 * server that asks for them, so that what JGit sends is what the store held.
 */
class GitCredentialsTest {

    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    /** "user:password" as JGit would send them, from the provider chosen. */
    private static String sent(Optional<GitCredentials> found, String url) throws Exception {
        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password password = new CredentialItem.Password();
        assertThat(found).as(url).isPresent();
        assertThat(found.get().provider().get(new URIish(url), user, password)).isTrue();
        return user.getValue() + ":" + new String(password.getValue());
    }

    @Test
    void takesTheFirstStoredLineWhoseProtocolHostPathAndUserMatch() throws Exception {
        Files.writeString(home.resolve(".git-credentials"), String.join("\n",
                "https://other:x@gitlab.com",
                "not a url",
                "https://alice:p%40ss%3Aw0rd@github.com/acme/secret.git",
                "https://bob:tok+en@github.com",
                "http://carol:plain@github.com",
                "https://dave@example.org/",
                "https://erin@example.org",
                ""));
        assertThat(sent(GitCredentials.find("https://github.com/acme/secret.git", env()), "https://github.com"))
                .isEqualTo("alice:p@ss:w0rd");
        assertThat(sent(GitCredentials.find("https://github.com/acme/other.git", env()), "https://github.com"))
                .isEqualTo("bob:tok+en");
        assertThat(sent(GitCredentials.find("https://bob@GitHub.com/acme/secret.git", env()), "https://github.com"))
                .isEqualTo("bob:tok+en");
        assertThat(sent(GitCredentials.find("http://github.com/acme/secret.git", env()), "http://github.com"))
                .isEqualTo("carol:plain");
        assertThat(GitCredentials.find("https://gitlab.com:8443/acme/app.git", env())).isEmpty();
        assertThat(GitCredentials.find("https://example.org/x.git", env())).isEmpty();
        assertThat(GitCredentials.find("file:///srv/git/app.git", env())).isEmpty();
        assertThat(GitCredentials.find("https://github.com/acme/secret.git", env()).orElseThrow().toString())
                .isEqualTo("user 'alice' for github.com (from " + home.resolve(".git-credentials") + ")")
                .doesNotContain("w0rd");
    }

    @Test
    void readsTheXdgFileAfterHomesAndTheEnvironmentWins() throws Exception {
        Path xdg = home.resolve("xdg");
        Files.createDirectories(xdg.resolve("git"));
        Files.writeString(xdg.resolve("git/credentials"), "https://xdg:one@github.com\nhttps://xdg:two@gitlab.com\n");
        Files.createDirectories(home.resolve(".config/git"));
        Files.writeString(home.resolve(".config/git/credentials"), "https://config:three@gitlab.com\n");
        Files.writeString(home.resolve(".git-credentials"), "https://home:zero@github.com\n");
        Map<String, String> withXdg = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString());

        assertThat(sent(GitCredentials.find("https://github.com/a.git", withXdg), "https://github.com"))
                .isEqualTo("home:zero");
        assertThat(sent(GitCredentials.find("https://gitlab.com/a.git", withXdg), "https://gitlab.com"))
                .isEqualTo("xdg:two");
        assertThat(sent(GitCredentials.find("https://gitlab.com/a.git", env()), "https://gitlab.com"))
                .isEqualTo("config:three"); // no XDG_CONFIG_HOME: ~/.config/git/credentials
        Map<String, String> both = Map.of("HOME", home.toString(), "GEARSHIFT_GIT_USER", "ci",
                "GEARSHIFT_GIT_PASSWORD", "from-env");
        assertThat(sent(GitCredentials.find("https://github.com/a.git", both), "https://github.com"))
                .isEqualTo("ci:from-env");
    }

    @Test
    void theStoredCredentialsAreWhatJgitSendsAndNoErrorShowsThem() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "none" : authorization);
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            }
            exchange.sendResponseHeaders(authorization == null ? 401 : 403, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/acme/app.git";
            Files.writeString(home.resolve(".git-credentials"), "http://bob:s3cr%2Ft@127.0.0.1:"
                    + server.getAddress().getPort() + "\n");
            assertThatThrownBy(() -> GitRemote.fetch(url + "#main:db", home.resolve("cache"), env()))
                    .isInstanceOf(GearshiftException.class)
                    .hasMessageContaining("cannot read migrations from " + url + "#main")
                    .hasMessageContaining("(as user 'bob' for 127.0.0.1:" + server.getAddress().getPort())
                    .hasMessageNotContaining("s3cr");
            assertThat(authorizations).contains("Basic " + Base64.getEncoder()
                    .encodeToString("bob:s3cr/t".getBytes(StandardCharsets.UTF_8)));
        } finally {
            server.stop(0);
        }
    }
}
