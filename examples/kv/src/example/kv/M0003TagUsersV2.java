package example.kv;

import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Spec;
import dev.gearshift.kv.Specs;
import java.nio.charset.StandardCharsets;

/**
 * Migration 3: a data migration. Every user record gets the v2 format, 1,000 keys a unit, with a cursor that lets
 * a run killed half-way resume after `gearshift kv` / KvMigrator repair instead of tagging records twice.
 */
public final class M0003TagUsersV2 implements Spec {

    private final Spec rewrite = Specs.rewrite("tag user records v2", "users", 1_000,
            value -> ("v2|" + new String(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
            done -> { });

    @Override
    public String name() {
        return rewrite.name();
    }

    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public void up(Buckets store) throws Exception {
        rewrite.up(store);
    }
}
