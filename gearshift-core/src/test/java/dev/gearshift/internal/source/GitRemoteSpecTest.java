package dev.gearshift.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.GearshiftException;
import org.junit.jupiter.api.Test;

/** How a git source is named: URL#REF:path, and Skygear's github://owner/repo/path#ref. */
class GitRemoteSpecTest {

    @Test
    void readsUrlRefAndPath() {
        assertThat(GitRemote.Spec.parse("https://github.com/acme/app.git#v1.4:/db/migrations/"))
                .isEqualTo(new GitRemote.Spec("https://github.com/acme/app.git", "v1.4", "db/migrations"));
        assertThat(GitRemote.Spec.parse("file:///srv/git/app.git#main:"))
                .isEqualTo(new GitRemote.Spec("file:///srv/git/app.git", "main", ""));
    }

    @Test
    void readsSkygearsGithubSourceWithoutItsCredentials() {
        assertThat(GitRemote.Spec.parse("github://:@skygeario/skygear-server/migrations/core#6918eed"))
                .isEqualTo(new GitRemote.Spec("https://github.com/skygeario/skygear-server.git", "6918eed",
                        "migrations/core"));
    }

    @Test
    void refusesASpecWithoutRefOrPath() {
        assertThatThrownBy(() -> GitRemote.Spec.parse("https://github.com/acme/app.git"))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("expected URL#REF:path");
        assertThatThrownBy(() -> GitRemote.Spec.parse("github://acme"))
                .isInstanceOf(GearshiftException.class).hasMessageContaining("expected github://owner/repo/path#ref");
    }
}
