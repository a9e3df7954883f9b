package dev.gearshift.kv.bench;

import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.kv.KvEntry;
import dev.gearshift.kv.KvMigrator;
import dev.gearshift.kv.KvStore;
import dev.gearshift.kv.KvStores;
import dev.gearshift.kv.Spec;
import dev.gearshift.kv.Specs;
import dev.gearshift.kv.WriteUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * bench/kv-rewrite: a spec that rewrites every value of a bucket (Specs.rewrite, through KvMigrator and the
 * engine), beside the floor: a plain loop over the same store API doing the same writes with the same chunk.
 * Runs are alternated; the peak heap in use during each is sampled every 5 ms.
 *
 * <p>{@code RewriteBench KIND KEYS CHUNK REPS}
 */
public final class RewriteBench {

    private static final UnaryOperator<byte[]> INCREMENT = value -> Long.toString(
            Long.parseLong(new String(value, StandardCharsets.US_ASCII)) + 1).getBytes(StandardCharsets.US_ASCII);

    private RewriteBench() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int keys = Integer.parseInt(args[1]);
        int chunk = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory("kv-bench-");
        String url = kind + ":" + dir.resolve("store");
        List<Long> floor = new ArrayList<>();
        List<Long> spec = new ArrayList<>();
        long floorHeap = 0;
        long specHeap = 0;
        try (KvStore store = KvStores.open(url)) {
            fill(store, keys, chunk);
            List<Spec> specs = new ArrayList<>();
            for (int rep = 1; rep <= reps; rep++) {
                Sample sample = Sample.start();
                long started = System.nanoTime();
                loop(store, chunk);
                floor.add(System.nanoTime() - started);
                floorHeap = Math.max(floorHeap, sample.stop());

                specs.add(Specs.rewrite("rewrite " + rep, "data", chunk, INCREMENT, done -> { }));
                sample = Sample.start();
                started = System.nanoTime();
                KvMigrator.of(store, specs).up();
                spec.add(System.nanoTime() - started);
                specHeap = Math.max(specHeap, sample.stop());
            }
            check(store, keys, 1 + 2L * reps);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        long f = median(floor);
        long s = median(spec);
        System.out.printf("| %s | %,d | %,d | %.2f s | %.2f s | %.2fx | %d MiB | %d MiB |%n", kind, keys, chunk,
                f / 1e9, s / 1e9, (double) s / f, floorHeap >> 20, specHeap >> 20);
    }

    private static byte[] key(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static void fill(KvStore store, int keys, int chunk) {
        store.createBucket("data");
        for (int from = 1; from <= keys; from += chunk) {
            try (WriteUnit unit = store.begin()) {
                for (int n = from; n < from + chunk && n <= keys; n++) {
                    unit.put("data", key(n), "1".getBytes(StandardCharsets.US_ASCII));
                }
                unit.commit();
            }
        }
    }

    /** The floor: the same chunked rewrite, written by hand over the store's API. */
    private static void loop(KvStore store, int chunk) {
        byte[] after = null;
        while (true) {
            byte[] last = null;
            boolean more;
            try (WriteUnit unit = store.begin();
                 Cursor cursor = store.cursor("data", after == null ? KeyRange.all() : KeyRange.after(after))) {
                int n = 0;
                while (n < chunk && cursor.hasNext()) {
                    KvEntry entry = cursor.next();
                    unit.put("data", entry.key(), INCREMENT.apply(entry.value()));
                    last = entry.key();
                    n++;
                }
                more = cursor.hasNext();
                unit.commit();
            }
            if (!more) {
                return;
            }
            after = last;
        }
    }

    private static void check(KvStore store, int keys, long expected) {
        long count = 0;
        try (Cursor cursor = store.cursor("data", KeyRange.all())) {
            while (cursor.hasNext()) {
                KvEntry entry = cursor.next();
                if (Long.parseLong(entry.valueText()) != expected) {
                    throw new AssertionError("key " + ByteBuffer.wrap(entry.key()).getLong() + " holds "
                            + entry.valueText() + ", not " + expected);
                }
                count++;
            }
        }
        if (count != keys) {
            throw new AssertionError(count + " keys, not " + keys);
        }
    }

    private static long median(List<Long> times) {
        List<Long> sorted = times.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The peak heap in use while a run goes on, after a collection before it. */
    private static final class Sample {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        private Sample() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static Sample start() {
            System.gc();
            Sample sample = new Sample();
            sample.thread.setDaemon(true);
            sample.thread.start();
            return sample;
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak.get();
        }
    }
}
