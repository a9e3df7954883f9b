package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Remedy;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where migrations are read from: one or more directories, each holding one folder per module, seen as
 * {@link Path}s so that one loader reads them all. A directory on disk is itself; a git revision is copied out;
 * a classpath location is read in place, a jar through a zip file system over it, so that a jar's scripts are
 * the same bytes (and checksums) as the files it was built from. Close it when the migrations are read.
 */
public final class MigrationRoots implements AutoCloseable {

    /** The prefix of a location on the class path, as in {@code classpath:db/migrations}. */
    public static final String CLASSPATH = "classpath:";

    /**
     * One directory of module folders.
     *
     * @param shown how its files are named in messages and history ({@code shown/<module>/<file>}); empty: by
     *              their own path
     */
    public record Root(Path directory, Optional<String> shown) {
    }

    private final List<Root> roots;
    private final List<AutoCloseable> resources;

    private MigrationRoots(List<Root> roots, List<AutoCloseable> resources) {
        this.roots = List.copyOf(roots);
        this.resources = resources;
    }

    public static MigrationRoots none() {
        return new MigrationRoots(List.of(), List.of());
    }

    public static MigrationRoots directory(Path directory) {
        return new MigrationRoots(List.of(new Root(directory, Optional.empty())), List.of());
    }

    public static MigrationRoots gitRevision(Path directory, String revision) {
        GitRevision checkout = GitRevision.checkout(directory, revision);
        return new MigrationRoots(List.of(new Root(checkout.directory(), Optional.of(checkout.shownRoot()))),
                List.of(checkout));
    }

    /**
     * A remote git repository's path at a revision ({@code URL#REF:path}), cloned into {@code cache} and fetched
     * again only when the revision moved.
     */
    public static MigrationRoots gitRemote(String spec, Path cache) {
        GitRevision checkout = GitRemote.fetch(spec, cache, System.getenv());
        return new MigrationRoots(List.of(new Root(checkout.directory(), Optional.of(checkout.shownRoot()))),
                List.of(checkout));
    }

    /** Several locations read as one, each {@code classpath:...} or a directory's path. */
    public static MigrationRoots of(List<String> locations, ClassLoader loader) {
        List<Root> roots = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            for (String location : locations) {
                MigrationRoots one = location.startsWith(CLASSPATH) ? classpath(location, loader)
                        : directory(Path.of(location));
                roots.addAll(one.roots);
                open.addAll(one.resources);
            }
        } catch (RuntimeException e) {
            closeAll(open);
            throw e;
        }
        return new MigrationRoots(roots, open);
    }

    /**
     * Every directory named {@code location} on the class path of {@code loader}: in directories and in jars
     * (which must hold directory entries, as the jars Maven and Gradle build do). Several jars may each bring
     * modules of their own; a module found twice is reported by the loader.
     *
     * @param location a resource path such as {@code db/migrations}, with or without {@code classpath:}
     */
    public static MigrationRoots classpath(String location, ClassLoader loader) {
        String path = trimSlashes(location.startsWith(CLASSPATH) ? location.substring(CLASSPATH.length()) : location);
        String shown = CLASSPATH + path;
        Set<String> seen = new LinkedHashSet<>();
        List<Root> roots = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(path))) {
                if (seen.add(url.toString())) {
                    roots.add(new Root(inPlace(url, open), Optional.of(shown)));
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(open);
            throw e instanceof GearshiftException g ? g : new GearshiftException(ErrorCode.USAGE,
                    "cannot read " + shown + ": " + e.getMessage(), e);
        }
        if (roots.isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "there is no " + shown + " on the class path; put the"
                    + " migrations under src/main/resources/" + path + " (one folder per module)", Remedy.MIGRATIONS);
        }
        return new MigrationRoots(roots, open);
    }

    /** A directory as it is, or a folder inside a jar (also a jar nested in a Spring Boot fat jar). */
    private static Path inPlace(URL url, List<AutoCloseable> open) throws IOException {
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());
            }
            String spec = url.toString();
            int separator = spec.lastIndexOf("!/");
            if (!url.getProtocol().equals("jar") || separator < 0) {
                throw new GearshiftException(ErrorCode.USAGE, "cannot read migrations from " + url
                        + ": only directories and jars are read");
            }
            // The jar itself through its own file system provider (file:, or Spring Boot's nested:), then a zip
            // file system of our own over it: never one shared with, or closed under, someone else.
            Path jar = Path.of(new URI(spec.substring("jar:".length(), separator)));
            FileSystem zip = FileSystems.newFileSystem(jar, (ClassLoader) null);
            open.add(zip);
            return zip.getPath(spec.substring(separator + 1));
        } catch (URISyntaxException e) {
            throw new IOException("not a readable location: " + url, e);
        }
    }

    private static String trimSlashes(String path) {
        String trimmed = path.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    public List<Root> roots() {
        return roots;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // Read already: a file system that fails to close leaks a file handle, nothing more.
            }
        }
    }
}
