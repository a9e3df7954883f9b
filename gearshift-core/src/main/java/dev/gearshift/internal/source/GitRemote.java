package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Migrations read from a remote git repository, as Skygear read {@code github://owner/repo/path#ref}: a spec
 * {@code URL#REF:path} is cloned (bare) into a cache and fetched again only when the revision is not there yet, a
 * branch or tag whose commit moved included; then the path at that revision is copied out as a local checkout is.
 * Credentials of a private repository come from the environment ({@code GEARSHIFT_GIT_USER} and
 * {@code GEARSHIFT_GIT_PASSWORD}, a token for most hosts) or git's credential store ({@link GitCredentials}), never
 * from the command line.
 */
final class GitRemote {

    /** A parsed {@code URL#REF:path}. */
    record Spec(String url, String ref, String path) {

        static Spec parse(String spec) {
            if (spec.startsWith("github://")) {
                return github(spec);
            }
            int hash = spec.lastIndexOf('#');
            int colon = hash < 0 ? -1 : spec.indexOf(':', hash);
            if (hash <= 0 || colon < 0 || colon == hash + 1) {
                throw new GearshiftException(ErrorCode.USAGE, "'" + spec + "' is not a git source: expected"
                        + " URL#REF:path, e.g. https://github.com/acme/app.git#v1.4:migrations");
            }
            String path = spec.substring(colon + 1).replace('\\', '/');
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return new Spec(spec.substring(0, hash), spec.substring(hash + 1, colon), path);
        }
    }

    /**
     * Skygear's {@code github://[user:token@]owner/repo/path#ref}, as golang-migrate's github source reads it:
     * the same repository over https, with no credentials taken from the spec (they come from the environment).
     */
    static Spec github(String spec) {
        String rest = spec.substring("github://".length());
        int at = rest.indexOf('@');
        if (at >= 0) {
            rest = rest.substring(at + 1);
        }
        int hash = rest.indexOf('#');
        String ref = hash < 0 ? "HEAD" : rest.substring(hash + 1);
        String[] parts = (hash < 0 ? rest : rest.substring(0, hash)).split("/", 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty() || ref.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "'" + spec + "' is not a github source: expected"
                    + " github://owner/repo/path#ref");
        }
        return new Spec("https://github.com/" + parts[0] + "/" + parts[1] + ".git", ref,
                parts.length > 2 ? parts[2].replaceAll("^/+|/+$", "") : "");
    }

    private GitRemote() {
    }

    static GitRevision fetch(String specText, Path cache, Map<String, String> environment) {
        Spec spec = Spec.parse(specText);
        Path bare = cache.resolve(digest(spec.url()));
        Optional<GitCredentials> found = GitCredentials.find(spec.url(), environment);
        CredentialsProvider credentials = found.map(GitCredentials::provider).orElse(null);
        try {
            if (!Files.isDirectory(bare.resolve("objects"))) {
                Files.createDirectories(bare.getParent());
                try (Git ignored = Git.cloneRepository().setURI(spec.url()).setDirectory(bare.toFile()).setBare(true)
                        .setCredentialsProvider(credentials).call()) {
                    // cloned: every branch and tag of the moment
                }
            }
            try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build()) {
                if (moved(repository, spec, credentials)) {
                    try (Git git = new Git(repository)) {
                        git.fetch().setRemote(spec.url()).setCredentialsProvider(credentials)
                                .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"),
                                        new RefSpec("+refs/tags/*:refs/tags/*")).call();
                    }
                }
                return GitRevision.copyOut(repository, spec.ref(), spec.path(), spec.url());
            }
        } catch (GitAPIException | IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read migrations from " + spec.url() + "#"
                    + spec.ref() + ": " + e.getMessage() + found.map(c -> " (as " + c + ")").orElse(""), e);
        }
    }

    /**
     * Whether the cache lacks the revision: a commit id is fetched only when it is missing; a branch or tag when the
     * remote now points it elsewhere (one ls-remote, no download when nothing moved).
     */
    private static boolean moved(Repository repository, Spec spec, CredentialsProvider credentials)
            throws IOException, GitAPIException {
        if (spec.ref().matches("[0-9a-fA-F]{7,40}")) {
            ObjectId local = repository.resolve(spec.ref() + "^{commit}");
            return local == null;
        }
        Collection<Ref> remote = Git.lsRemoteRepository().setRemote(spec.url()).setCredentialsProvider(credentials)
                .setHeads(true).setTags(true).call();
        Optional<ObjectId> wanted = remote.stream().filter(r -> r.getName().equals("refs/heads/" + spec.ref())
                || r.getName().equals("refs/tags/" + spec.ref()) || r.getName().equals(spec.ref()))
                .map(r -> r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId()).findFirst();
        if (wanted.isEmpty()) {
            return repository.resolve(spec.ref() + "^{commit}") == null;
        }
        ObjectId local = repository.resolve(spec.ref() + "^{commit}");
        ObjectId localRef = repository.resolve(spec.ref());
        return local == null || !(wanted.get().equals(local) || wanted.get().equals(localRef));
    }

    private static String digest(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
