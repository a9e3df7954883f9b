package dev.gearshift.kv;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * What the process tests run in a JVM of their own: {@code hold URL} opens the store and keeps it open until
 * killed; {@code crash URL KEYS} migrates it and dies, as kill -9 would, once its rewrite committed that many keys.
 */
public final class OtherProcess {

    private OtherProcess() {
    }

    /** The specs both processes run: a bucket, and a rewrite that adds 1 to each of its values. */
    static List<Spec> specs(LongConsumer progress) {
        return List.of(Specs.createBuckets("add bucket data", "data"),
                Specs.rewrite("increment data", "data", 100,
                        value -> Values.bytes(Integer.toString(Integer.parseInt(Values.text(value)) + 1)), progress));
    }

    public static void main(String[] args) throws Exception {
        String url = args[1];
        if (args[0].equals("hold")) {
            try (KvStore store = KvStores.open(url)) {
                System.out.println("open " + store.url());
                System.out.flush();
                Thread.sleep(120_000);
            }
            return;
        }
        long crashAfter = Long.parseLong(args[2]);
        try (KvStore store = KvStores.open(url)) {
            KvMigrator.of(store, specs(done -> {
                if (done >= crashAfter) {
                    Runtime.getRuntime().halt(9);
                }
            })).up();
        }
        System.exit(1); // never reached: the rewrite dies first
    }
}
