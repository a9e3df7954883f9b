package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A migrations directory as it was at a git revision, whatever the work tree holds now: deploys pin the
 * migrations they run to a commit. The tree is copied out to a temporary directory, read, and deleted.
 */
public final class GitRevision implements AutoCloseable {

    private final Path checkout;
    private final String shownRoot;

    private GitRevision(Path checkout, String shownRoot) {
        this.checkout = checkout;
        this.shownRoot = shownRoot;
    }

    /** @param directory the migrations directory inside a git work tree; its path at {@code revision} is read */
    public static GitRevision checkout(Path directory, String revision) {
        Path absolute = directory.toAbsolutePath().normalize();
        try (Repository repository = new FileRepositoryBuilder().findGitDir(absolute.toFile()).setMustExist(true)
                .build()) {
            if (repository.getWorkTree() == null) {
                throw new GearshiftException(ErrorCode.USAGE, directory + " is not in a git work tree");
            }
            String inside = repository.getWorkTree().toPath().toAbsolutePath().normalize().relativize(absolute)
                    .toString().replace('\\', '/');
            return copyOut(repository, revision, inside, repository.getWorkTree().toString());
        } catch (org.eclipse.jgit.errors.RepositoryNotFoundException e) {
            throw new GearshiftException(ErrorCode.USAGE, directory + " is not inside a git repository", e);
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read git revision " + revision + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the tree under {@code inside} at {@code revision} of {@code repository} out to a temporary directory.
     *
     * @param where how the repository is named in messages
     */
    static GitRevision copyOut(Repository repository, String revision, String inside, String where) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            ObjectId id = repository.resolve(revision + "^{commit}");
            if (id == null) {
                throw new GearshiftException(ErrorCode.USAGE, "unknown git revision '" + revision + "' in "
                        + where);
            }
            RevCommit commit = walk.parseCommit(id);
            String sha = id.abbreviate(10).name();
            Path target = Files.createTempDirectory("gearshift-git-" + sha);
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                String prefix = inside.isEmpty() ? "" : inside + "/";
                boolean found = false;
                while (tree.next()) {
                    String path = tree.getPathString();
                    if (!path.startsWith(prefix)) {
                        continue;
                    }
                    found = true;
                    Path file = target.resolve(path.substring(prefix.length()));
                    Files.createDirectories(file.getParent());
                    Files.write(file, repository.open(tree.getObjectId(0)).getBytes());
                }
                if (!found) {
                    delete(target);
                    throw new GearshiftException(ErrorCode.USAGE, "there is no " + inside + " at git revision "
                            + revision + " (" + sha + ")");
                }
            }
            return new GitRevision(target, "git:" + sha + ":" + inside);
        }
    }

    /** The copied-out directory. */
    public Path directory() {
        return checkout;
    }

    /** How files are named in messages: {@code git:<sha>:<path>}. */
    public String shownRoot() {
        return shownRoot;
    }

    @Override
    public void close() {
        delete(checkout);
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
