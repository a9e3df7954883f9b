package bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The schemas a peer runner works on, and the loop over them (sequential, or on a fixed pool of threads). */
final class Targets {
    interface PerSchema {
        void run(String schema) throws Exception;
    }

    private Targets() {}

    /** {@code --schema S} or {@code --schemas-like PATTERN} (every schema of the database LIKE it, by name). */
    static List<String> schemas(String url, String schema, String like) throws SQLException {
        if (schema != null) {
            return List.of(schema);
        }
        List<String> found = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement s = c.prepareStatement(
                     "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE ? ORDER BY nspname")) {
            s.setString(1, like);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(r.getString(1));
                }
            }
        }
        return found;
    }

    /** Runs {@code work} for every schema; returns the number of failures (each printed). */
    static int forEach(List<String> schemas, int threads, PerSchema work) throws InterruptedException {
        AtomicInteger failures = new AtomicInteger();
        if (threads <= 1) {
            for (String s : schemas) {
                runOne(s, work, failures);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (String s : schemas) {
                futures.add(pool.submit(() -> runOne(s, work, failures)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.incrementAndGet();
                }
            }
            pool.shutdown();
        }
        return failures.get();
    }

    private static void runOne(String schema, PerSchema work, AtomicInteger failures) {
        try {
            work.run(schema);
        } catch (Throwable e) {
            failures.incrementAndGet();
            System.err.println("FAILED " + schema + ": " + e);
            e.printStackTrace();
        }
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
