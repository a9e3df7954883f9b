package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.HistoryEntry;
import dev.gearshift.Problem;
import dev.gearshift.Status;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations packaged under {@code db/migrations} in a jar, or in a directory of the class path, are read in place
 * and are the same migrations, with the same checksums, as the directory they were packaged from.
 */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class ClasspathMigrationsTest {

    private static final Path EXAMPLE = Path.of("../examples/saas");

    @TempDir
    Path temp;

    @Test
    void aJarOnTheClassPathMigratesLikeTheDirectoryItWasBuiltFrom(TestDatabase db) throws Exception {
        Path jar = jar(temp.resolve("app.jar"), EXAMPLE.resolve("migrations"), "db/migrations/");
        String fromDirectory = db.newSchema();
        String fromJar = db.newSchema();
        TestProject.DropSchemas.later(db, fromDirectory);
        TestProject.DropSchemas.later(db, fromJar);
        Gearshift.configure().project(EXAMPLE).url(db.url()).schema(fromDirectory).build().up();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Gearshift packaged = Gearshift.configure().project(EXAMPLE).migrations("classpath:db/migrations")
                    .classLoader(loader).url(db.url()).schema(fromJar).build();
            assertThat(packaged.planUp(dev.gearshift.Target.latest()).steps().get(0).location())
                    .isEqualTo("classpath:db/migrations/core/1_create_plans.up.sql");
            packaged.up();

            // Same checksums: the schema the directory migrated is current for the jar, and the reverse.
            Gearshift jarOnDirectorySchema = Gearshift.configure().project(EXAMPLE)
                    .migrations("classpath:db/migrations").classLoader(loader).url(db.url()).schema(fromDirectory)
                    .build();
            Status status = jarOnDirectorySchema.status();
            assertThat(status.isCurrent()).as(status.toString()).isTrue();
            assertThat(packaged.status().isCurrent()).isTrue();
            assertThat(checksums(packaged.history())).isEqualTo(checksums(
                    Gearshift.configure().project(EXAMPLE).url(db.url()).schema(fromDirectory).build().history()))
                    .hasSize(8);
        }
        assertThat(db.snapshot(fromJar)).isEqualTo(db.snapshot(fromDirectory));
        // The jar was read through a file system of our own, closed after reading: the jar can be deleted.
        Files.delete(jar);
    }

    @Test
    void aDirectoryOnTheClassPathIsReadAsWell(TestDatabase db) throws Exception {
        Path classes = temp.resolve("classes");
        copy(EXAMPLE.resolve("migrations"), classes.resolve("db/migrations"));
        String schema = db.newSchema();
        TestProject.DropSchemas.later(db, schema);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Gearshift gs = Gearshift.configure().project(EXAMPLE).migrations("classpath:/db/migrations/")
                    .classLoader(loader).url(db.url()).schema(schema).build();

            assertThat(gs.planUp(dev.gearshift.Target.latest()).steps().get(0).location())
                    .isEqualTo("classpath:db/migrations/core/1_create_plans.up.sql");
            assertThat(gs.up().applied()).hasSize(8);
            assertThat(gs.status().isCurrent()).isTrue();
        }
    }

    @Test
    void modulesMayComeFromSeveralJarsButEachFromOne(TestDatabase db) throws Exception {
        Path core = jar(temp.resolve("core.jar"), EXAMPLE.resolve("migrations"), "db/migrations/", "core");
        Path auth = jar(temp.resolve("auth.jar"), EXAMPLE.resolve("migrations"), "db/migrations/", "auth");
        String schema = db.newSchema();
        TestProject.DropSchemas.later(db, schema);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {core.toUri().toURL(), auth.toUri().toURL()},
                null)) {
            Gearshift gs = Gearshift.configure().project(EXAMPLE).migrations("classpath:db/migrations")
                    .classLoader(loader).url(db.url()).schema(schema).build();
            assertThat(gs.up().applied()).extracting(a -> a.module()).containsOnly("core", "auth").hasSize(8);
        }

        Path both = jar(temp.resolve("both.jar"), EXAMPLE.resolve("migrations"), "db/migrations/");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {core.toUri().toURL(), both.toUri().toURL()},
                null)) {
            Status status = Gearshift.configure().project(EXAMPLE).migrations("classpath:db/migrations")
                    .classLoader(loader).url(db.url()).schema(schema).build().status();
            assertThat(status.problems()).extracting(Problem::code, Problem::location)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Problem.DUPLICATE_VERSION,
                            "classpath:db/migrations/core"));
        }
    }

    @Test
    void severalLocationsAreReadAsOne(TestDatabase db) throws Exception {
        Path core = jar(temp.resolve("core.jar"), EXAMPLE.resolve("migrations"), "db/migrations/", "core");
        Path auth = temp.resolve("auth-only");
        copy(EXAMPLE.resolve("migrations/auth"), auth.resolve("auth"));
        String schema = db.newSchema();
        TestProject.DropSchemas.later(db, schema);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {core.toUri().toURL()}, null)) {
            Gearshift gs = Gearshift.configure().project(EXAMPLE)
                    .migrations(List.of("classpath:db/migrations", auth.toString())).classLoader(loader)
                    .url(db.url()).schema(schema).build();

            assertThat(gs.up().applied()).extracting(a -> a.module()).containsOnly("core", "auth").hasSize(8);
        }
    }

    @Test
    void aLocationNotOnTheClassPathIsAUsageError(TestDatabase db) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> Gearshift.configure().migrations("classpath:db/nothing-here")
                    .classLoader(loader).url(db.url()).build())
                    .isInstanceOfSatisfying(GearshiftException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                        assertThat(e.getMessage()).contains("classpath:db/nothing-here");
                    });
        }
    }

    private static List<String> checksums(List<HistoryEntry> history) {
        return history.stream().filter(h -> h.outcome().equals(HistoryEntry.SUCCESS)).map(h -> h.migrationId() + " " + h.checksum()).sorted().toList();
    }

    /** A jar as Maven builds one: directory entries first, then the files, under {@code prefix}. */
    private static Path jar(Path jar, Path directory, String prefix, String... onlyModules) throws IOException {
        List<String> modules = List.of(onlyModules);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files =
                Files.walk(directory)) {
            String parents = "";
            for (String segment : prefix.split("/")) {
                parents += segment + "/";
                out.putNextEntry(new JarEntry(parents));
                out.closeEntry();
            }
            for (Path file : files.sorted().toList()) {
                String relative = directory.relativize(file).toString().replace('\\', '/');
                if (relative.isEmpty() || !modules.isEmpty() && !modules.contains(relative.split("/")[0])) {
                    continue;
                }
                boolean folder = Files.isDirectory(file);
                out.putNextEntry(new JarEntry(prefix + relative + (folder ? "/" : "")));
                if (!folder) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.sorted().toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

}
