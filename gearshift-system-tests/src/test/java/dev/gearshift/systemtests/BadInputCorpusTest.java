package dev.gearshift.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of broken projects ({@code src/test/resources/corpus/<case>/}; the few that need exact bytes are
 * written here): each one gives its documented exit code, error code and problems naming the file (and line),
 * in text and in JSON, and leaves the database exactly as it was: not even the earlier, valid pending
 * migrations are applied. A few inputs that look odd but are fine (BOM, CRLF, a 50 MB COPY) are accepted.
 */
@ExtendWith(PostgresExtension.class)
class BadInputCorpusTest {

    private static final Report REPORT = Report.of(BadInputCorpusTest.class);
    private static final List<String> SUMMARY = new ArrayList<>();

    @TempDir
    Path dir;

    /** A problem the output must contain: its code and a fragment of its location ({@code file:line}). */
    private record Expected(String code, String where) {
    }

    private static Expected problem(String code, String where) {
        return new Expected(code, where);
    }

    // ------------------------------------------------------------------ rejected before anything runs

    @Test
    void malformedFileNames(TestDatabase db) throws Exception {
        rejected(db, "malformed-names", List.of("up"), 2, "validation",
                problem("bad-file-name", "core/2-create-orders.up.sql"),
                problem("bad-file-name", "core/v3_create_items.up.sql"),
                problem("bad-file-name", "core/0_zero.up.sql"),
                problem("bad-file-name", "core/4_create_notes.sql"),
                problem("bad-file-name", "core/5_orphan.down.sql"),
                problem("bad-file-name", "migrations/loose.sql"));
    }

    @Test
    void duplicateVersions(TestDatabase db) throws Exception {
        rejected(db, "duplicate-versions", List.of("up"), 2, "validation", problem("duplicate-version", "core"));
    }

    @Test
    void aGapFilledAfterLaterVersionsWereAppliedIsOutOfOrder(TestDatabase db) throws Exception {
        String schema = rejected(db, "out-of-order", List.of("up"), 2, "validation",
                problem("out-of-order", "core/2_create_orders.up.sql"));
        // Accepted when asked for explicitly.
        Cli.Outcome accepted = Cli.run(args(db, schema, project("out-of-order"), "up", "--out-of-order"));
        assertThat(accepted.exit()).as("%s", accepted).isZero();
        assertThat(Db.stateFromHistory(Db.history(db, schema))).containsOnlyKeys("core/1", "core/2", "core/3", "core/4");
    }

    @Test
    void anAppliedFileEditedAfterwards(TestDatabase db) throws Exception {
        rejected(db, "edited-applied-file", List.of("up"), 2, "validation",
                problem("checksum-mismatch", "core/1_create_accounts.up.sql"));
    }

    @Test
    void aDownRequestedWithoutADownScript(TestDatabase db) throws Exception {
        rejected(db, "missing-down", List.of("down", "--to", "0"), 2, "validation",
                problem("missing-down", "core/2_create_orders.up.sql"));
    }

    @Test
    void unterminatedQuote(TestDatabase db) throws Exception {
        rejected(db, "unterminated-quote", List.of("up"), 2, "script-syntax",
                problem("script-syntax", "core/2_seed.up.sql:2:33"));
    }

    @Test
    void unterminatedDollarQuote(TestDatabase db) throws Exception {
        rejected(db, "unterminated-dollar-quote", List.of("up"), 2, "script-syntax",
                problem("script-syntax", "core/2_count_accounts.up.sql:3:21"));
    }

    @Test
    void unterminatedNestedComment(TestDatabase db) throws Exception {
        rejected(db, "unterminated-comment", List.of("up"), 2, "script-syntax",
                problem("script-syntax", "core/2_orders.up.sql:2:1"));
    }

    @Test
    void invalidUtf8(TestDatabase db) throws Exception {
        Path project = project("invalid-utf8");
        Projects.write(project.resolve("migrations/core/1_create_cafes.up.sql"), "CREATE TABLE cafes (name text);\n");
        ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
        latin1.writeBytes("-- Saved by an editor in Latin-1:\nINSERT INTO cafes VALUES ('caf".getBytes(StandardCharsets.US_ASCII));
        latin1.write(0xE9); // 'é' in Latin-1, never valid alone in UTF-8
        latin1.writeBytes("');\n".getBytes(StandardCharsets.US_ASCII));
        Projects.write(project.resolve("migrations/core/2_seed_cafes.up.sql"), latin1.toByteArray());
        rejectedProject(db, "invalid-utf8", project, List.of("up"), 2, "validation",
                problem("invalid-encoding", "core/2_seed_cafes.up.sql:2:31"));
    }

    @Test
    void uneditedTemplateOfNew(TestDatabase db) throws Exception {
        rejected(db, "unedited-template", List.of("up"), 2, "validation",
                problem("empty-migration", "core/2_nothing_yet.up.sql"));
    }

    @Test
    void moduleDependencyCycle(TestDatabase db) throws Exception {
        rejected(db, "dependency-cycle", List.of("up"), 2, "validation", problem("dependency-cycle", "gearshift.yaml"));
    }

    @Test
    void misspelledDirective(TestDatabase db) throws Exception {
        rejected(db, "bad-directive", List.of("up"), 2, "validation",
                problem("bad-directive", "core/2_email_index.up.sql:2"));
    }

    @Test
    void transactionControlInsideAMigration(TestDatabase db) throws Exception {
        rejected(db, "transaction-control", List.of("up"), 2, "validation",
                problem("transaction-control", "core/2_orders.up.sql:1:1"),
                problem("transaction-control", "core/2_orders.up.sql:3:1"));
    }

    @Test
    void statementThatCannotRunInATransaction(TestDatabase db) throws Exception {
        rejected(db, "needs-no-transaction", List.of("up"), 2, "validation",
                problem("needs-no-transaction", "core/2_email_index.up.sql:1:1"));
    }

    @Test
    void unknownModule(TestDatabase db) throws Exception {
        rejected(db, "unknown-module", List.of("up", "--module", "billing"), 2, "usage",
                problem("unknown-module", ""));
    }

    @Test
    void everyProblemReportedAtOnce(TestDatabase db) throws Exception {
        rejected(db, "many-problems", List.of("up"), 2, "validation",
                problem("bad-file-name", "core/2-bad-name.up.sql"),
                problem("script-syntax", "core/3_quote.up.sql:1:8"),
                problem("empty-migration", "core/4_empty.up.sql"),
                problem("duplicate-version", "core"),
                problem("bad-directive", "core/6_directive.up.sql:1"));
    }

    // ------------------------------------------------------------------ fails while running

    @Test
    void errorInTheLastStatementOfTheLastMigration(TestDatabase db) throws Exception {
        Path project = project("error-in-last-statement");
        String expected = db.newSchema();
        Cli.Outcome reference = Cli.run(args(db, expected, project, "--create-schema", "up", "--to", "2"));
        assertThat(reference.exit()).as("%s", reference).isZero();

        String schema = db.newSchema();
        Cli.Outcome outcome = Cli.run(args(db, schema, project, "--create-schema", "up"));
        assertThat(outcome.exit()).as("%s", outcome).isEqualTo(1);
        assertThat(outcome.err()).as("%s", outcome).contains("core/3_backfill failed at")
                .contains("core/3_backfill.up.sql:6:8").contains("column \"acount_id\" does not exist")
                .contains("HINT").contains("rolled back");
        Map<String, String> state = Db.stateFromHistory(Db.history(db, schema));
        assertThat(state).containsOnly(Map.entry("core/1", "applied"), Map.entry("core/2", "applied"));
        assertThat(db.snapshot(schema)).as("earlier migrations applied, the failing one not at all")
                .isEqualTo(db.snapshot(expected).replace(expected, schema));
        assertThat(Db.count(db, "SELECT count(*) FROM " + schema + ".accounts")).isZero();
        Cli.Outcome json = Cli.run(args(db, schema, project, "--json", "up"));
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.json().at("/error/code").asText()).isEqualTo("migration-failed");
        summary("error-in-last-statement", "up", outcome.exit(), "migration-failed",
                "core/3_backfill.up.sql:6:8 (column \"acount_id\"); core/1, core/2 applied, core/3 not");
        Db.dropSchema(db, expected);
        Db.dropSchema(db, schema);
    }

    // ------------------------------------------------------------------ accepted

    @Test
    void commentOnlyAndEmptyFilesAreNoOps(TestDatabase db) throws Exception {
        Path project = project("comment-only");
        Projects.write(project.resolve("migrations/core/3_nothing_yet.up.sql"), "");
        String schema = db.newSchema();
        Cli.Outcome outcome = Cli.run(args(db, schema, project, "--create-schema", "up"));
        assertThat(outcome.exit()).as("%s", outcome).isZero();
        assertThat(Db.stateFromHistory(Db.history(db, schema))).containsOnlyKeys("core/1", "core/2", "core/3")
                .doesNotContainValue("failed");
        Cli.Outcome validate = Cli.run(args(db, schema, project, "validate"));
        assertThat(validate.exit()).as("%s", validate).isZero();
        assertThat(validate.out()).contains("Note: 2 scripts have no statements");
        summary("comment-only, empty file (generated)", "up; validate", 0, "-", "accepted: applied as no-ops and"
                + " recorded; validate notes them");
        Db.dropSchema(db, schema);
    }

    @Test
    void byteOrderMarkIsAcceptedAndItsDirectivesHonoured(TestDatabase db) throws Exception {
        Path project = project("bom");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Projects.write(project.resolve("migrations/core/1_create_accounts.up.sql"),
                concat(bom, "CREATE TABLE accounts (id integer, email text);\n"));
        // Its first line is a directive: seen through the BOM, or CREATE INDEX CONCURRENTLY would be refused.
        Projects.write(project.resolve("migrations/core/2_email_index.up.sql"), concat(bom,
                "-- gearshift:no-transaction\nCREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n"));
        String schema = db.newSchema();
        Cli.Outcome outcome = Cli.run(args(db, schema, project, "--create-schema", "up"));
        assertThat(outcome.exit()).as("%s", outcome).isZero();
        assertThat(Db.stateFromHistory(Db.history(db, schema))).containsOnlyKeys("core/1", "core/2")
                .doesNotContainValue("failed");
        // Removing the BOM is not an edit.
        Projects.write(project.resolve("migrations/core/1_create_accounts.up.sql"),
                "CREATE TABLE accounts (id integer, email text);\n");
        Cli.Outcome validate = Cli.run(args(db, schema, project, "validate"));
        assertThat(validate.exit()).as("%s", validate).isZero();
        summary("bom", "up; validate after removing the BOM", 0, "-", "accepted; directive after the BOM honoured;"
                + " no checksum change");
        Db.dropSchema(db, schema);
    }

    @Test
    void crlfLineEndsAreAcceptedEverywhere(TestDatabase db) throws Exception {
        Path project = project("crlf");
        String crlf = String.join("\r\n",
                "-- Written on Windows.",
                "CREATE TABLE notes (id integer PRIMARY KEY, body text);",
                "CREATE FUNCTION note_count() RETURNS bigint",
                "    LANGUAGE sql AS $body$",
                "    SELECT count(*) FROM notes;",
                "$body$;",
                "COPY notes (id, body) FROM stdin;",
                "1\tfirst",
                "2\tsecond; with a semicolon",
                "\\.",
                "INSERT INTO notes VALUES (3, 'third');",
                "");
        Projects.write(project.resolve("migrations/core/1_notes.up.sql"), crlf);
        String schema = db.newSchema();
        Cli.Outcome outcome = Cli.run(args(db, schema, project, "--create-schema", "up"));
        assertThat(outcome.exit()).as("%s", outcome).isZero();
        assertThat(db.column("SELECT body FROM " + schema + ".notes ORDER BY id"))
                .containsExactly("first", "second; with a semicolon", "third");
        try (java.sql.Connection connection = db.connect(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = " + schema);
            try (java.sql.ResultSet count = statement.executeQuery("SELECT note_count()")) {
                assertThat(count.next()).isTrue();
                assertThat(count.getLong(1)).as("the function written with CRLF works").isEqualTo(3);
            }
        }
        // The same file with LF line ends is not an edit.
        Projects.write(project.resolve("migrations/core/1_notes.up.sql"), crlf.replace("\r\n", "\n"));
        Cli.Outcome validate = Cli.run(args(db, schema, project, "validate"));
        assertThat(validate.exit()).as("%s", validate).isZero();
        summary("crlf", "up; validate after converting to LF", 0, "-", "accepted: statements, dollar quotes and COPY"
                + " rows without stray \\r; no checksum change");
        Db.dropSchema(db, schema);
    }

    @Test
    void fiftyMegabyteCopyDataMigration(TestDatabase db) throws Exception {
        Path project = project("big-copy");
        Path file = project.resolve("migrations/core/2_load_events.up.sql");
        Projects.write(project.resolve("migrations/core/1_create_events.up.sql"),
                "CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, payload text);\n");
        long rows = 0;
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("-- Generated by the test: 50 MB of rows, as pg_dump writes them.\n");
            out.write("COPY events (id, kind, payload) FROM stdin;\n");
            while (written < 50L * 1024 * 1024) {
                rows++;
                String row = rows + "\t" + (rows % 7 == 0 ? "signup" : "page_view") + "\t"
                        + (rows % 13 == 0 ? "\\N" : "{\"path\": \"/docs/page-" + rows + "\", \"ms\": " + rows % 997
                                + ", \"note\": \"semicolons; quotes ' and $$ are data here\"}") + "\n";
                out.write(row);
                written += row.length();
            }
            out.write("\\.\n");
        }
        long bytes = Files.size(file);
        assertThat(bytes).isGreaterThan(50L * 1024 * 1024);
        String schema = db.newSchema();
        Cli.Outcome outcome = Cli.run(args(db, schema, project, "--create-schema", "up"));
        assertThat(outcome.exit()).as("%s", outcome).isZero();
        assertThat(Db.count(db, "SELECT count(*) FROM " + schema + ".events")).isEqualTo(rows);
        assertThat(Db.count(db, "SELECT count(*) FROM " + schema + ".events WHERE payload IS NULL"))
                .isEqualTo(rows / 13);
        REPORT.line(String.format("50 MB COPY data migration: %.1f MiB, %d rows loaded, `up` took %d ms (process start"
                + " to exit)", bytes / 1048576.0, rows, outcome.took().toMillis()));
        summary("big-copy (generated)", "up", 0, "-", String.format("accepted: %.1f MiB, %d rows in %d ms",
                bytes / 1048576.0, rows, outcome.took().toMillis()));
        Db.dropSchema(db, schema);
    }

    @AfterAll
    static void writeSummary() {
        REPORT.line("case | command | exit | error code | what was checked");
        SUMMARY.stream().sorted().forEach(REPORT::line);
    }

    // ------------------------------------------------------------------ plumbing

    private String rejected(TestDatabase db, String name, List<String> command, int exit, String errorCode,
                            Expected... problems) throws Exception {
        return rejectedProject(db, name, project(name), command, exit, errorCode, problems);
    }

    /**
     * Runs {@code command} on a corpus case (after applying its {@code setup/} project, if any) in text and in
     * JSON; checks the exit code, the error code, every expected problem with its location, and that the schema
     * and its history are exactly as before. Returns the schema.
     */
    private String rejectedProject(TestDatabase db, String name, Path project, List<String> command, int exit,
                                   String errorCode, Expected... problems) throws Exception {
        String schema = db.newSchema();
        if (Files.isDirectory(project.resolve("setup"))) {
            Cli.Outcome setup = Cli.run(args(db, schema, project.resolve("setup"), "--create-schema", "up"));
            assertThat(setup.exit()).as("setup of %s: %s", name, setup).isZero();
        }
        String before = db.snapshot(schema);
        List<Db.Row> historyBefore = Db.history(db, schema);

        List<String> textArgs = args(db, schema, project, "--create-schema");
        textArgs.addAll(command);
        Cli.Outcome text = Cli.run(textArgs);
        assertThat(text.exit()).as("%s: %s", name, text).isEqualTo(exit);
        assertThat(text.out()).as("%s: nothing on stdout", name).isEmpty();
        assertThat(text.err()).as("%s", text).startsWith("error: ");
        for (Expected problem : problems) {
            assertThat(text.err()).as("%s: names %s", name, problem.where()).contains(problem.where());
        }

        List<String> jsonArgs = new ArrayList<>(textArgs);
        jsonArgs.add("--json");
        Cli.Outcome json = Cli.run(jsonArgs);
        assertThat(json.exit()).as("%s: %s", name, json).isEqualTo(exit);
        JsonNode error = json.json().get("error");
        assertThat(error.get("code").asText()).as("%s: %s", name, json).isEqualTo(errorCode);
        assertThat(error.get("exit_code").asInt()).isEqualTo(exit);
        JsonNode reported = error.get("problems");
        assertThat(reported).as("%s: every problem, each once: %s", name, json).hasSize(problems.length);
        for (Expected problem : problems) {
            boolean found = false;
            for (JsonNode entry : reported) {
                found |= entry.get("code").asText().equals(problem.code())
                        && entry.get("location").asText().contains(problem.where())
                        && !entry.get("message").asText().isBlank();
            }
            assertThat(found).as("%s: a problem %s located at %s in %s", name, problem.code(), problem.where(), json)
                    .isTrue();
        }

        assertThat(db.snapshot(schema)).as("%s: the schema is unchanged", name).isEqualTo(before);
        assertThat(Db.history(db, schema)).as("%s: the history is unchanged", name).isEqualTo(historyBefore);
        summary(name, String.join(" ", command), exit, errorCode, problems.length == 0 ? error.get("message").asText()
                : String.join(", ", java.util.Arrays.stream(problems)
                        .map(p -> p.where().isEmpty() ? p.code() : p.code() + " @ " + p.where()).toList())
                + "; schema and history unchanged");
        return schema;
    }

    private static void summary(String name, String command, int exit, String code, String checked) {
        SUMMARY.add(name + " | " + command + " | " + exit + " | " + code + " | " + checked);
    }

    /** A private copy of a corpus case (or an empty project for the generated ones). */
    private Path project(String name) throws URISyntaxException {
        Path copy = dir.resolve(name);
        if (Files.isDirectory(copy)) {
            return copy;
        }
        java.net.URL corpus = BadInputCorpusTest.class.getResource("/corpus/" + name);
        if (corpus == null) {
            return copy; // generated by the test
        }
        return Projects.copy(Path.of(corpus.toURI()), copy);
    }

    private static List<String> args(TestDatabase db, String schema, Path project, String... more) {
        List<String> args = new ArrayList<>(List.of("--url", db.url(), "--schema", schema, "-C", project.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static byte[] concat(byte[] prefix, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(body, 0, all, prefix.length, body.length);
        return all;
    }
}
