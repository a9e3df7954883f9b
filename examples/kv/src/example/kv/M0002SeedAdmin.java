package example.kv;

import dev.gearshift.kv.Buckets;
import dev.gearshift.kv.Spec;
import java.nio.charset.StandardCharsets;

/** Migration 2: the first users, written with their record in one unit. */
public final class M0002SeedAdmin implements Spec {

    @Override
    public String name() {
        return "seed admin and guest";
    }

    @Override
    public void up(Buckets store) {
        store.put("users", bytes("admin"), bytes("Ada Admin"));
        store.put("users", bytes("guest"), bytes("Gus Guest"));
    }

    @Override
    public void down(Buckets store) {
        store.delete("users", bytes("admin"));
        store.delete("users", bytes("guest"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
