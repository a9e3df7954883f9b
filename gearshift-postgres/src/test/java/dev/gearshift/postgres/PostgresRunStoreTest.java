package dev.gearshift.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import dev.gearshift.spi.RunStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Control tables made before runs recorded their tenant choice upgrade in place, their runs kept. */
@ExtendWith(PostgresExtension.class)
class PostgresRunStoreTest {

    @Test
    void controlTablesOfAnEarlierReleaseUpgradeInPlace(TestDatabase server) throws Exception {
        // A database of its own: the control tables' schema has a fixed name.
        String database = "gs_run_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        server.execute("CREATE DATABASE " + database);
        try {
            TestDatabase db = new TestDatabase(server.url().replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*",
                    "$1" + database));
            // The layout of the first release, with one finished run.
            db.execute("CREATE SCHEMA gearshift_fleet");
            db.execute("CREATE TABLE gearshift_fleet.runs (id text PRIMARY KEY, command text NOT NULL, module text,"
                    + " version bigint, steps integer, dry_run boolean NOT NULL, canary integer NOT NULL,"
                    + " max_failures integer NOT NULL, state text NOT NULL CHECK (state IN ('canary', 'running',"
                    + " 'stopped', 'finished')), stop_reason text, created_by text NOT NULL DEFAULT current_user,"
                    + " started_at timestamptz NOT NULL DEFAULT clock_timestamp(), finished_at timestamptz)");
            db.execute("CREATE TABLE gearshift_fleet.tenants (run_id text NOT NULL REFERENCES gearshift_fleet.runs"
                    + " (id) ON DELETE CASCADE, tenant text NOT NULL, position integer NOT NULL, schema_name text"
                    + " NOT NULL, database text NOT NULL, state text NOT NULL CHECK (state IN ('pending', 'running',"
                    + " 'done', 'failed', 'skipped')), attempts integer NOT NULL DEFAULT 0, worker text,"
                    + " lease_until timestamptz, migrations integer NOT NULL DEFAULT 0, duration_ms bigint NOT NULL"
                    + " DEFAULT 0, error_code text, message text, started_at timestamptz, finished_at timestamptz,"
                    + " PRIMARY KEY (run_id, tenant))");
            db.execute("INSERT INTO gearshift_fleet.runs (id, command, dry_run, canary, max_failures, state)"
                    + " VALUES ('20250101-000000-abcd', 'up', false, 0, 1, 'finished')");
            db.execute("INSERT INTO gearshift_fleet.tenants (run_id, tenant, position, schema_name, database, state)"
                    + " VALUES ('20250101-000000-abcd', 't1', 0, 't1', 'postgres://db/x', 'done')");

            try (RunStore store = new PostgresRunStore.Provider().open(db.url(), null, null)) {
                RunStore.StoredRun old = store.run("20250101-000000-abcd").orElseThrow();
                assertThat(old.selection()).isEmpty();
                assertThat(old.done()).isEqualTo(1);
                assertThat(old.state()).isEqualTo(RunStore.RunState.FINISHED);

                RunStore.Parameters up = new RunStore.Parameters("up", Optional.empty(), Optional.empty(),
                        Optional.empty(), false, 0, 1);
                store.createRun(new RunStore.NewRun("20250102-000000-beef", up, Optional.of("{\"kind\":\"file\"}"),
                        List.of(new RunStore.TenantEntry("t1", "t1", "postgres://db/x"))));
                assertThat(store.run("20250102-000000-beef").orElseThrow().selection())
                        .contains("{\"kind\":\"file\"}");
                assertThat(store.claim("20250102-000000-beef", "w", Duration.ofMinutes(1), false)).contains("t1");
                assertThat(store.claim("20250102-000000-beef", "w", Duration.ofMinutes(1), false)).isEmpty();
                assertThat(store.runs(10)).extracting(RunStore.StoredRun::id)
                        .containsExactly("20250102-000000-beef", "20250101-000000-abcd");
            }
        } finally {
            server.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
