package dev.gearshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.cli.Cli.Run;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Schema names PostgreSQL would not keep as given are refused before anything is touched. */
@ExtendWith(PostgresExtension.class)
class SchemaNamesTest {

    @Test
    void aNameLongerThanTheDatabaseKeepsIsAUsageError(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String base = db.newSchema();
        // two names PostgreSQL would cut to the same 63 bytes: one schema, but two migration locks
        String longer = base + "_" + "x".repeat(63 - base.length());
        assertThat(longer.length()).isEqualTo(64);
        Run refused = Cli.run("-C", project.toString(), "--url", db.url(), "--schema", longer, "--create-schema", "up");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("64 bytes").contains("at most 63 bytes");
        assertThat(db.schemaExists(longer.substring(0, 63))).isFalse();
        // multi-byte characters count as bytes: 32 of them are 64 bytes
        Run bytes = Cli.run("-C", project.toString(), "--url", db.url(), "--schema", "é".repeat(32), "status");
        assertThat(bytes.exit()).as(bytes.toString()).isEqualTo(2);
        assertThat(bytes.err()).contains("64 bytes");

        String exact = longer.substring(0, 63);
        Run fits = Cli.run("-C", project.toString(), "--url", db.url(), "--schema", exact, "status", "--json");
        assertThat(fits.exit()).as(fits.toString()).isZero();
    }

    @Test
    void aControlCharacterInANameIsAUsageError(TestDatabase db, @TempDir Path temp) throws Exception {
        Path project = Cli.copyExample(temp);
        String schema = db.newSchema();
        Run refused = Cli.run("-C", project.toString(), "--url", db.url(), "--schema", schema + "\u0000x",
                "--create-schema", "up");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("control character (U+0000").doesNotContain("\u0000");
        assertThat(db.schemaExists(schema)).isFalse();
    }
}
