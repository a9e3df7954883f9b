package example.kv;

import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Spec;
import dev.gearshift.kv.Specs;

/** Migration 1: the buckets the application keeps its users and sessions in. */
public final class M0001CreateUsers implements Spec {

    private final Spec buckets = Specs.createBuckets("create users and sessions", "users", "sessions");

    @Override
    public String name() {
        return buckets.name();
    }

    @Override
    public void up(Buckets store) throws Exception {
        buckets.up(store);
    }

    @Override
    public void down(Buckets store) throws Exception {
        buckets.down(store);
    }
}
