package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Spec;
import dev.gearshift.kv.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gearshift kv}: the application's spec list, loaded by class name, run against a store file. */
class KvCliTest {

    /** The spec list the commands load, as an application's would be. */
    public static final class All {
        public static final List<Spec> SPECS = List.of(Specs.createBuckets("add bucket users", "users"),
                new Spec() {
                    @Override
                    public String name() {
                        return "seed users";
                    }

                    @Override
                    public void up(Buckets store) {
                        store.put("users", "alice".getBytes(), "Alice".getBytes());
                    }

                    @Override
                    public void down(Buckets store) {
                        store.delete("users", "alice".getBytes());
                    }
                });
    }

    @TempDir
    Path dir;

    @Test
    void upListStatusAndDownOnAnMvStoreAndARocksDb() {
        for (String kind : List.of("mvstore", "rocksdb")) {
            String store = kind + ":" + dir.resolve(kind);
            String[] target = {"--store", store, "--specs", All.class.getName()};

            Cli.Run up = Cli.run(concat(new String[] {"kv", "up", "--json"}, target));
            assertThat(up.exit()).as(up.toString()).isZero();
            assertThat(up.json().get("applied")).hasSize(2);

            Cli.Run list = Cli.run(concat(new String[] {"kv", "list"}, target));
            assertThat(list.out()).as(list.toString()).contains("add bucket users", "seed users").containsPattern("2 +up");

            Cli.Run status = Cli.run(concat(new String[] {"--json", "kv", "status"}, target));
            assertThat(status.json().get("applied").asInt()).as(status.toString()).isEqualTo(2);

            Cli.Run down = Cli.run(concat(new String[] {"kv", "down", "--steps", "1"}, target));
            assertThat(down.out()).as(down.toString()).contains("down  seed users");
            assertThat(Cli.run(concat(new String[] {"kv", "list", "--json"}, target)).json().get("migrations")
                    .get(1).get("state").asText()).isEqualTo("down");
        }
    }

    @Test
    void aMissingStoreOrSpecClassIsAUsageError() {
        Cli.Run missing = Cli.run("kv", "list", "--store", "mvstore:" + dir.resolve("nope.mv"), "--specs",
                All.class.getName());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("there is no store at");
        assertThat(dir.resolve("nope.mv")).doesNotExist();

        Cli.Run noClass = Cli.run("kv", "up", "--store", "mvstore:" + dir.resolve("s.mv"), "--specs", "com.example.Nope");
        assertThat(noClass.exit()).isEqualTo(2);
        assertThat(noClass.err()).contains("com.example.Nope", "--classpath");
    }

    @Test
    void newWritesTheNextSpecAndRegistersIt() throws Exception {
        Path all = Files.writeString(dir.resolve("All.java"), """
                package app;

                import java.util.List;

                public final class All {
                    public static final List<dev.gearshift.kv.Spec> SPECS = List.of(
                            new M0001AddBucketUsers()
                    );
                }
                """);

        Cli.Run run = Cli.run("kv", "new", "--list", all.toString(), "add index foo");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(dir.resolve("M0002AddIndexFoo.java")).exists();
        assertThat(Files.readString(all)).contains("new M0001AddBucketUsers(),", "new M0002AddIndexFoo()");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
