package dev.gearshift.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What happens between processes: a store held by one is refused to another, and a killed one leaves no lock. */
class ProcessesTest {

    @TempDir
    Path dir;

    private static Process start(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // RocksDB's JNI library: JDK 22 and later warn on stderr (read here as the holder's first line)
                // unless native access is granted; JDK 17 accepts the option too.
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OtherProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aStoreHeldByAnotherProcessIsRefusedAndAKilledHolderLeavesNoLockBehind(String kind) throws Exception {
        String url = kind + ":" + dir.resolve("store");
        Process holder = start("hold", url);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).startsWith("open ");

            GearshiftException e = catchThrowableOfType(GearshiftException.class,
                    () -> KvMigrator.of(url, OtherProcess.specs(done -> { })).up());

            assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
            assertThat(e.getMessage()).contains(dir.resolve("store").toString(), "held by another process");
        } finally {
            holder.destroyForcibly(); // SIGKILL: nothing of the holder runs any more
            assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(KvMigrator.of(url, OtherProcess.specs(done -> { })).up().applied()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvstore", "rocksdb"})
    void aRewriteKilledHalfWayIsReportedRefusedUntilRepairedAndThenResumesWhereItStopped(String kind)
            throws Exception {
        String url = kind + ":" + dir.resolve("store");
        try (KvStore store = KvStores.open(url)) {
            KvMigrator.of(store, OtherProcess.specs(done -> { }).subList(0, 1)).up();
            try (WriteUnit unit = store.begin()) {
                for (int i = 1; i <= 1000; i++) {
                    unit.put("data", dev.gearshift.kv.internal.Bytes.sequence(i), Values.bytes("1"));
                }
                unit.commit();
            }
        }

        Process crashing = start("crash", url, "300");
        assertThat(crashing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(crashing.exitValue()).as(new String(crashing.getInputStream().readAllBytes())).isEqualTo(9);

        try (KvStore store = KvStores.open(url)) {
            KvMigrator migrator = KvMigrator.of(store, OtherProcess.specs(done -> { }));
            assertThat(migrator.list()).extracting(m -> m.name() + " " + m.state().id())
                    .containsExactly("add bucket data up", "increment data started");
            assertThat(Values.entries(store, "data")).filteredOn(e -> e.endsWith("=2")).hasSize(300);

            GearshiftException refused = catchThrowableOfType(GearshiftException.class, migrator::up);
            assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION);
            assertThat(refused.problems()).extracting(Problem::code).contains(Problem.FAILED_MIGRATION);
            assertThat(refused.getMessage()).contains("increment data", "repair");

            assertThat(migrator.repair().cleared()).containsExactly("kv/2_increment data");
            migrator.up();

            assertThat(Values.entries(store, "data")).hasSize(1000).allSatisfy(e -> assertThat(e).endsWith("=2"));
            assertThat(migrator.list()).extracting(m -> m.state().id()).containsExactly("up", "up");
        }
    }
}
