package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import dev.gearshift.Plan;
import dev.gearshift.Target;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Migrations read as committed at a git revision, whatever the work tree holds, named {@code git:<sha>:<path>}. */
@ExtendWith(PostgresExtension.class)
class GitRevisionSourceTest {

    @Test
    void readsTheMigrationsAsCommitted(TestDatabase db, @TempDir Path repository) throws Exception {
        Path core = Files.createDirectories(repository.resolve("db/migrations/core"));
        Files.writeString(core.resolve("1_create_plans.up.sql"), "CREATE TABLE plans (code text);");
        RevCommit commit;
        try (Git git = Git.init().setDirectory(repository.toFile()).call()) {
            git.add().addFilepattern(".").call();
            commit = git.commit().setMessage("plans").setAuthor("t", "t@x").setCommitter("t", "t@x")
                    .setSign(false).call();
        }
        Files.writeString(core.resolve("1_create_plans.up.sql"), "CREATE TABLE edited (code text);");
        Files.writeString(core.resolve("2_uncommitted.up.sql"), "SELECT 1;");

        Plan plan = Gearshift.configure().migrations(repository.resolve("db/migrations")).gitRevision(commit.name())
                .url(db.url()).schema(db.newSchema()).createSchema(true).build().planUp(Target.latest());

        assertThat(plan.steps()).extracting(Plan.Step::id).containsExactly("core/1_create_plans");
        assertThat(plan.steps().get(0).sql()).contains("plans").doesNotContain("edited");
        assertThat(plan.steps().get(0).location())
                .isEqualTo("git:" + commit.abbreviate(10).name() + ":db/migrations/core/1_create_plans.up.sql");
    }
}
