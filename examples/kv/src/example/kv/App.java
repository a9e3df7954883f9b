package example.kv;

import dev.gearshift.kv.Cursor;
import dev.gearshift.kv.KeyRange;
import dev.gearshift.kv.KvMigration;
import dev.gearshift.kv.KvMigrator;
import dev.gearshift.kv.KvStore;
import dev.gearshift.kv.KvStores;
import java.nio.file.Path;

/**
 * The application: at start-up it migrates its own store, in-process, before it uses it. A backup of the store as it
 * was is written beside it before the first outstanding migration runs.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "data/app.mv");
        try (KvStore store = KvStores.mvstore(file)) {
            var result = KvMigrator.of(store, All.SPECS).backupPath(file).up();
            System.out.println("Applied " + result.applied().size() + " migrations to " + store.url());
            for (KvMigration m : KvMigrator.of(store, All.SPECS).list()) {
                System.out.printf("  %d  %-5s %s%n", m.id(), m.state().id(), m.name());
            }
            try (Cursor users = store.cursor("users", KeyRange.all())) {
                users.forEachRemaining(user -> System.out.println("  user " + user.keyText() + ": " + user.valueText()));
            }
        }
    }
}
