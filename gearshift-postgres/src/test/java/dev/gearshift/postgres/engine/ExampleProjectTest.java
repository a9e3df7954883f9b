package dev.gearshift.postgres.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.Gearshift;
import dev.gearshift.Result;
import dev.gearshift.Status;
import dev.gearshift.Target;
import dev.gearshift.Verification;
import dev.gearshift.Version;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bundled example project: up, verify, down to zero and up again, against a real PostgreSQL. */
@ExtendWith({PostgresExtension.class, TestProject.DropSchemas.class})
class ExampleProjectTest {

    private static final Path EXAMPLE = Path.of("../examples/saas");

    @Test
    void migratesUpDownToZeroAndUpAgainToTheSameSchema(TestDatabase db) throws Exception {
        String schema = db.newSchema();
        TestProject.DropSchemas.later(db, schema);
        Gearshift gs = Gearshift.configure().project(EXAMPLE).url(db.url()).schema(schema).build();

        Result up = gs.up(Target.latest());

        assertThat(up.applied()).extracting(a -> a.module() + "/" + a.version().orElseThrow()).containsExactly(
                "core/1", "core/2", "core/3", "core/4", "core/5", "core/6", "auth/1", "auth/2");
        assertThat(up.applied()).allMatch(Result.Applied::executed);
        Status status = gs.status();
        assertThat(status.isCurrent()).as(status.toString()).isTrue();
        assertThat(status.module("core").orElseThrow().current()).contains(Version.of(6));
        assertThat(status.module("auth").orElseThrow().current()).contains(Version.of(2));

        // The COPY seed data and the Java migration (5_plan_features.java) both ran.
        assertThat(db.column("SELECT code || ' ' || (features->>'seats') || ' ' || (features->>'sso') FROM \""
                + schema + "\".plans ORDER BY price_cents"))
                .containsExactly("free 1 false", "team 10 false", "business 250 true");
        // The no-transaction CREATE INDEX CONCURRENTLY built a valid index; the trigger normalizes slugs.
        assertThat(db.column("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = 'tenants_email_idx' AND c.relnamespace = '" + schema + "'::regnamespace"))
                .containsExactly("t");
        db.execute("SET search_path TO \"" + schema + "\"; INSERT INTO tenants (slug, plan_code, email) VALUES ('Acme; Inc', 'free', 'a@x')");
        assertThat(db.column("SELECT slug FROM \"" + schema + "\".tenants")).containsExactly("acme-inc");
        db.execute("DELETE FROM \"" + schema + "\".tenants");

        Verification verification = gs.verify();
        assertThat(verification.checks()).extracting(c -> c.module() + "/" + c.version().orElseThrow())
                .containsExactlyInAnyOrder("core/3", "auth/2");
        assertThat(verification.passed()).as(verification.toString()).isTrue();

        String afterFirstUp = db.snapshot(schema);

        Result down = gs.down(Target.zero());

        // Most recently applied first: auth before core, each module from its highest version.
        assertThat(down.applied()).extracting(a -> a.module() + "/" + a.version().orElseThrow()).containsExactly(
                "auth/2", "auth/1", "core/6", "core/5", "core/4", "core/3", "core/2", "core/1");
        assertThat(db.column("SELECT relname FROM pg_class WHERE relnamespace = '" + schema + "'::regnamespace"
                + " AND relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY 1"))
                .containsExactly(Gearshift.HISTORY_TABLE);
        assertThat(db.column("SELECT proname FROM pg_proc WHERE pronamespace = '" + schema + "'::regnamespace"))
                .isEmpty();
        assertThat(gs.status().modules()).allSatisfy(m -> {
            assertThat(m.current()).isEmpty();
            assertThat(m.applied()).isEmpty();
        });

        Result again = gs.up(Target.latest());

        assertThat(again.applied()).hasSize(8);
        assertThat(db.snapshot(schema)).isEqualTo(afterFirstUp);
        assertThat(db.column("SELECT features->>'seats' FROM \"" + schema + "\".plans WHERE code = 'business'"))
                .containsExactly("250");
        assertThat(gs.status().isCurrent()).isTrue();
        assertThat(gs.up(Target.latest()).applied()).isEmpty();
    }
}
