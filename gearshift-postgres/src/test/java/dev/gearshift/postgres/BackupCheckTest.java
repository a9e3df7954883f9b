package dev.gearshift.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check that a backup holds the target schema before a run goes on, and the pattern pg_dump is given. */
class BackupCheckTest {

    @TempDir
    Path dir;

    @Test
    void theSchemaPatternIsQuotedSoNothingInItIsSpecial() {
        assertThat(PgDump.schemaPattern("SecUpper")).isEqualTo("\"SecUpper\"");
        assertThat(PgDump.schemaPattern("a.b*?\"c")).isEqualTo("\"a.b*?\"\"c\"");
    }

    @Test
    void aDumpOfAnotherSchemaIsRefused() throws Exception {
        Path dump = dir.resolve("f.sql");
        Files.writeString(dump, "--\nCREATE SCHEMA secupper;\nCREATE TABLE secupper.x (id int);\n");

        GearshiftException refused = catchThrowableOfType(() -> PgDump.requireOnly("SecUpper", dump,
                "pg_dump"), GearshiftException.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(refused.getMessage()).contains("does not hold schema SecUpper alone", "[secupper]",
                "nothing was migrated");
    }

    @Test
    void aDumpOfTheSchemaPassesWhateverRowsItHolds() throws Exception {
        Path dump = dir.resolve("f.sql");
        Files.writeString(dump, "CREATE SCHEMA \"Sec\"\"Upper\";\nCREATE TABLE \"Sec\"\"Upper\".x (t text);\n"
                + "COPY \"Sec\"\"Upper\".x (t) FROM stdin;\nCREATE SCHEMA other;\n\\.\n");

        PgDump.requireOnly("Sec\"Upper", dump, "pg_dump");
    }

    @Test
    void anEmptyDumpIsRefused() throws Exception {
        Path dump = dir.resolve("f.sql");
        Files.writeString(dump, "-- nothing\n");

        assertThat(catchThrowableOfType(() -> PgDump.requireOnly("app", dump, "pg_dump"),
                GearshiftException.class).getMessage()).contains("no schema");
    }
}
