package bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * What `flyway migrate` / `flyway info` amount to, through Flyway's public API, in one fresh JVM per call:
 * <pre>
 * java -cp 'target/lib/*:target/classes' bench.FlywayRunner migrate|info --url JDBC_URL --locations filesystem:DIR
 *      (--schema S | --schemas-like 'tenant_%') [--threads N]
 * </pre>
 * Every schema gets its own Flyway instance (own configuration, own connections, own history table in the schema),
 * as a user looping over tenants with the Flyway CLI or API does; --threads N runs N of them at once.
 */
public final class FlywayRunner {
    public static void main(String[] args) throws Exception {
        String command = args[0];
        String url = Targets.arg(args, "--url", null);
        String locations = Targets.arg(args, "--locations", null);
        int threads = Integer.parseInt(Targets.arg(args, "--threads", "1"));
        List<String> schemas = Targets.schemas(url, Targets.arg(args, "--schema", null),
                Targets.arg(args, "--schemas-like", null));
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger pending = new AtomicInteger();
        int failures = Targets.forEach(schemas, threads, schema -> {
            Flyway flyway = Flyway.configure()
                    .dataSource(url, null, null)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .locations(locations)
                    .load();
            if (command.equals("migrate")) {
                applied.addAndGet(flyway.migrate().migrationsExecuted);
            } else if (command.equals("info")) {
                pending.addAndGet(flyway.info().pending().length);
            } else {
                throw new IllegalArgumentException("unknown command " + command);
            }
        });
        System.out.println("flyway " + command + ": " + schemas.size() + " schemas, " + applied + " applied, "
                + pending + " pending, " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
