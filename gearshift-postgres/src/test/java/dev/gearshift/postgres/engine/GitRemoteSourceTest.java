package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Result;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations read from a git repository by URL ({@code file://}, as a remote would be), {@code URL#REF:path}: cloned
 * into a cache, fetched again when the branch moved, and read from the cache alone for a commit it already holds.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class GitRemoteSourceTest {

    @TempDir
    Path dir;

    private static RevCommit commit(Git git, Path repo, String path, String text) throws Exception {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        git.add().addFilepattern(".").call();
        return git.commit().setMessage("add " + path).setAuthor("t", "t@example.com")
                .setCommitter("t", "t@example.com").setSign(false).call();
    }

    @Test
    void readsARemoteBranchFetchesItWhenItMovesAndACachedCommitOffline(TestDatabase db) throws Exception {
        Path repo = dir.resolve("origin");
        Path cache = dir.resolve("cache");
        TestProject project = new TestProject(db, dir.resolve("work"));
        String url = repo.toUri().toString();
        RevCommit first;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            first = commit(git, repo, "db/migrations/core/1_plans.up.sql", "CREATE TABLE plans (id int);\n");
            Gearshift gs = Gearshift.configure().url(db.url()).schema(project.schema).createSchema(true)
                    .git(url + "#main:db/migrations", cache).build();
            Result up = gs.up();
            assertThat(up.applied()).extracting(Result.Applied::id).containsExactly("core/1_plans");

            commit(git, repo, "db/migrations/core/2_orders.up.sql", "CREATE TABLE orders (id int);\n");
            Gearshift moved = Gearshift.configure().url(db.url()).schema(project.schema)
                    .git(url + "#main:db/migrations", cache).build();
            assertThat(moved.status().module("core").orElseThrow().pending()).containsExactly(Version.of(2));
        }
        // The origin is gone: a commit the cache holds is still read, without asking the remote.
        try (Stream<Path> paths = Files.walk(repo)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Gearshift pinned = Gearshift.configure().url(db.url()).schema(project.schema)
                .git(url + "#" + first.getName() + ":db/migrations", cache).build();
        assertThat(pinned.status().module("core").orElseThrow().pending()).isEmpty();

        assertThatThrownBy(() -> Gearshift.configure().url(db.url()).schema(project.schema)
                .git(url + "-no-ref", cache).build()).isInstanceOf(GearshiftException.class)
                .hasMessageContaining("expected URL#REF:path");
    }
}
