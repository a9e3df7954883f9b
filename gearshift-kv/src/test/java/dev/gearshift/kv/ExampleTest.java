package dev.gearshift.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/kv, as the README runs it: its specs compile against this module and migrate a store once. */
class ExampleTest {

    private static final Path SOURCES = Path.of("..", "examples", "kv", "src", "example", "kv");

    @TempDir
    Path dir;

    @Test
    void theExampleSpecsMigrateAStoreOnceAndTheirRewriteTagsEveryUser() throws Exception {
        List<String> args = new ArrayList<>(List.of("-d", dir.resolve("classes").toString(), "-cp",
                System.getProperty("java.class.path")));
        try (Stream<Path> files = Files.list(SOURCES)) {
            files.map(Path::toString).sorted().forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac " + args).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()},
                getClass().getClassLoader());
             KvStore store = KvStores.mvstore(dir.resolve("app.mv"))) {
            @SuppressWarnings("unchecked")
            List<Spec> specs = (List<Spec>) loader.loadClass("example.kv.All").getField("SPECS").get(null);

            assertThat(KvMigrator.of(store, specs).up().applied()).hasSize(3);
            assertThat(KvMigrator.of(store, specs).up().applied()).isEmpty();

            assertThat(Values.entries(store, "users")).containsExactly("admin=v2|Ada Admin", "guest=v2|Gus Guest");
            assertThat(KvMigrator.of(store, specs).list()).extracting(m -> m.state().id())
                    .containsExactly("up", "up", "up");
        }
    }
}
