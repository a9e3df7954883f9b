package example.kv;

import dev.gearshift.kv.Spec;
import java.util.List;

/** The store's migrations, in order. Append new ones at the end (`gearshift kv new --list ... "name"`). */
public final class All {

    public static final List<Spec> SPECS = List.of(
            new M0001CreateUsers(),
            new M0002SeedAdmin(),
            new M0003TagUsersV2()
    );

    private All() {
    }
}
