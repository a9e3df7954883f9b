package dev.gearshift.internal.source;

import dev.gearshift.Problem;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Directives;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.Script;
import dev.gearshift.spi.ChangelogReader;
import dev.gearshift.spi.SqlStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Liquibase formatted SQL as it is: every {@code .sql} file of the folder (sub-folders included, in path order, as
 * Liquibase's includeAll reads them) starts with {@code --liquibase formatted sql}; each {@code --changeset
 * author:id} is a migration of the one module, versioned by its position (1, 2, ...), named by its id; its
 * {@code --rollback} lines are the down. {@code runOnChange:true} makes it repeatable, {@code splitStatements:false}
 * runs it as one statement, {@code endDelimiter} splits it there, {@code runInTransaction:false} runs it outside a
 * transaction. What Gearshift would not honour (contexts, labels, preconditions, runAlways, failOnError:false,
 * another dbms) is refused, naming the changeset. With gearshift-liquibase on the class path, Liquibase's library also
 * reads each file, for what Liquibase records of a changeset: its checksum (MD5SUM, compared on import) and, with
 * {@code keep_tool_history}, its DATABASECHANGELOG row.
 */
final class LiquibaseSqlLayout {

    private static final Pattern HEADER = Pattern.compile("(?i)\\s*--\\s*liquibase\\s+formatted\\s+sql.*");
    private static final Pattern CHANGESET = Pattern.compile("(?i)\\s*--\\s*changeset\\b\\s*(.*)");
    private static final Pattern AUTHOR_ID = Pattern.compile("(\"[^\"]+\"|[^:\\s]+):\\s*(\"[^\"]+\"|\\S+)\\s*(.*)");
    private static final Pattern ROLLBACK = Pattern.compile("(?i)\\s*--\\s*rollback\\b\\s?(.*)");
    private static final Pattern PRECONDITION = Pattern.compile("(?i)\\s*--\\s*precondition.*");
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z]+):(\"[^\"]*\"|\\S+)");

    private final MigrationLoader loader;
    private final Path dir;
    private final ScriptReader reader;

    /** The one formatted SQL changelog named in the project, else every .sql file of the folder. */
    private final Optional<String> changelog;

    LiquibaseSqlLayout(MigrationLoader loader, Path dir, ScriptReader reader, Optional<String> changelog) {
        this.loader = loader;
        this.dir = dir;
        this.reader = reader;
        this.changelog = changelog;
    }

    static boolean isFormattedSql(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql") || !Files.isRegularFile(file)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.map(l -> l.replace("\uFEFF", "")).filter(l -> !l.isBlank()).findFirst()
                    .map(l -> HEADER.matcher(l).matches()).orElse(false);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** One changeset as written. */
    private record Changeset(String file, int line, String author, String id, Map<String, String> attributes,
                             String body, String rollback) {
        String location() {
            return "changeset " + author + ":" + id + " in " + file;
        }
    }

    Map<String, List<Migration>> read() {
        String module = loader.flatModuleOf(dir);
        List<Problem> problems = loader.problems();
        int before = problems.size();
        List<Changeset> changesets = new ArrayList<>();
        Optional<ChangelogReader> liquibase = LiquibaseChangelogLayout.reader("sql");
        Map<String, ChangelogReader.Changeset> recorded = new LinkedHashMap<>();
        Map<String, List<String>> unread = new LinkedHashMap<>();
        String toolVersion = "";
        List<Path> formatted = new ArrayList<>();
        for (Path file : files()) {
            if (!isFormattedSql(file)) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, loader.shownPath(file), "not Liquibase formatted"
                        + " SQL: its first line must be --liquibase formatted sql (a folder of one layout only)"));
                continue;
            }
            parse(file, problems, changesets);
            formatted.add(file);
        }
        if (liquibase.isPresent() && !formatted.isEmpty()) {
            // Liquibase records a file by its path from the directory it was given, as includeAll reads it.
            List<ChangelogReader.Changelog> read = liquibase.get().readEach(dir, formatted.stream()
                    .map(file -> dir.relativize(file).toString().replace('\\', '/')).toList());
            for (int i = 0; i < formatted.size(); i++) {
                String shown = loader.shownPath(formatted.get(i));
                read.get(i).changesets().forEach(c -> recorded.put(key(shown, c.author(), c.id()), c));
                unread.put(shown, read.get(i).refusals().stream().map(ChangelogReader.Refusal::message).toList());
                toolVersion = read.get(i).toolVersion();
            }
        }
        if (liquibase.isEmpty() && loader.keepsToolHistory()) {
            problems.add(new Problem(Problem.BAD_DIRECTIVE, loader.shownPath(dir), "keep_tool_history writes"
                    + " DATABASECHANGELOG with Liquibase's own checksums, which only Liquibase's library computes: "
                    + LiquibaseChangelogLayout.INSTALL));
        }
        List<Migration> migrations = new ArrayList<>();
        java.util.Set<String> files = recorded.values().stream().map(ChangelogReader.Changeset::file)
                .collect(java.util.stream.Collectors.toSet());
        Map<String, Changeset> seen = new LinkedHashMap<>();
        long position = 0;
        for (Changeset changeset : changesets) {
            Changeset other = seen.putIfAbsent(changeset.author() + ":" + changeset.id(), changeset);
            if (other != null) {
                problems.add(new Problem(Problem.DUPLICATE_VERSION, changeset.file() + ":" + changeset.line(),
                        "changeset " + changeset.author() + ":" + changeset.id() + " is also at " + other.file() + ":"
                                + other.line()));
                continue;
            }
            if (!honoured(changeset, problems)) {
                continue;
            }
            boolean repeatable = "true".equalsIgnoreCase(changeset.attributes().get("runonchange"));
            Optional<Version> version = repeatable ? Optional.empty() : Optional.of(Version.of(++position));
            Optional<Script> up = script(changeset, changeset.body(), problems);
            if (up.isEmpty()) {
                version.ifPresent(v -> loader.unreadable().add(module + "/" + v));
                continue;
            }
            List<Problem> downProblems = new ArrayList<>();
            Optional<Script> down = changeset.rollback().isBlank() || repeatable ? Optional.empty()
                    : script(changeset, changeset.rollback(), downProblems);
            Migration migration = new Migration(module, version, changeset.id(), up, down, Optional.empty(),
                    Optional.empty(), ScriptReader.checksum(up.get().text()), downProblems, List.of());
            if (liquibase.isPresent()) {
                ChangelogReader.Changeset record = recorded.get(key(changeset.file(), changeset.author(),
                        changeset.id()));
                if (record == null) {
                    List<String> why = unread.getOrDefault(changeset.file(), List.of());
                    problems.add(new Problem(Problem.BAD_DIRECTIVE, changeset.file() + ":" + changeset.line(),
                            changeset.location() + ": Liquibase's library does not read it as a changeset, so its"
                                    + " checksum is unknown" + (why.isEmpty() ? "" : ": " + String.join("; ", why))));
                    version.ifPresent(v -> loader.unreadable().add(module + "/" + v));
                    continue;
                }
                migration = new Migration(module, version, changeset.id(), up.map(s -> s.withToolChecksum(
                        record.checksum())), down, Optional.empty(), Optional.empty(), migration.checksum(),
                        downProblems, List.of());
                if (loader.keepsToolHistory()) {
                    migration = LiquibaseHistory.keep(migration, record, toolVersion, files);
                }
            }
            migrations.add(migration);
        }
        problems.subList(before, problems.size()).forEach(problem -> loader.owners().put(problem, module));
        Map<String, List<Migration>> modules = new TreeMap<>();
        modules.put(module, migrations.stream().sorted(Migration.ORDER).toList());
        return modules;
    }

    private static String key(String file, String author, String id) {
        return file + "\n" + author + ":" + id;
    }

    private void parse(Path file, List<Problem> problems, List<Changeset> into) {
        String shown = loader.shownPath(file);
        Optional<String> text = ScriptReader.decode(shown, MigrationLoader.bytesOf(file), problems);
        if (text.isEmpty()) {
            return;
        }
        List<String> lines = text.get().lines().toList();
        Changeset open = null;
        StringBuilder body = new StringBuilder();
        StringBuilder rollback = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher changeset = CHANGESET.matcher(line);
            if (changeset.matches()) {
                if (open != null) {
                    into.add(withText(open, body, rollback));
                }
                body.setLength(0);
                rollback.setLength(0);
                Matcher authorId = AUTHOR_ID.matcher(changeset.group(1).strip());
                if (!authorId.matches()) {
                    problems.add(new Problem(Problem.BAD_FILE_NAME, shown + ":" + (i + 1), "a changeset without an"
                            + " author and id: write --changeset author:id"));
                    open = null;
                    continue;
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                Matcher attribute = ATTRIBUTE.matcher(authorId.group(3));
                while (attribute.find()) {
                    attributes.put(attribute.group(1).toLowerCase(Locale.ROOT), unquote(attribute.group(2)));
                }
                open = new Changeset(shown, i + 1, unquote(authorId.group(1)), unquote(authorId.group(2)),
                        attributes, "", "");
                continue;
            }
            if (open == null) {
                continue; // the header and comments before the first changeset
            }
            Matcher rollbackLine = ROLLBACK.matcher(line);
            if (rollbackLine.matches()) {
                rollback.append(rollbackLine.group(1)).append('\n');
            } else if (PRECONDITION.matcher(line).matches()) {
                problems.add(new Problem(Problem.BAD_DIRECTIVE, shown + ":" + (i + 1), open.location()
                        + ": Liquibase preconditions are not evaluated by Gearshift, and are not skipped silently;"
                        + " remove them"));
            } else {
                body.append(line).append('\n');
            }
        }
        if (open != null) {
            into.add(withText(open, body, rollback));
        }
    }

    private static Changeset withText(Changeset changeset, StringBuilder body, StringBuilder rollback) {
        return new Changeset(changeset.file(), changeset.line(), changeset.author(), changeset.id(),
                changeset.attributes(), body.toString(), rollback.toString());
    }

    /** Refuses, naming the changeset, what Gearshift would otherwise quietly not do as Liquibase does. */
    private static boolean honoured(Changeset changeset, List<Problem> problems) {
        List<String> refused = new ArrayList<>();
        changeset.attributes().forEach((key, value) -> {
            switch (key) {
                case "runonchange", "splitstatements", "enddelimiter", "runintransaction", "stripcomments",
                     "comment", "created" -> {
                }
                case "context", "contextfilter", "labels" -> {
                    if (!value.isBlank()) {
                        refused.add(key + ":" + value + " (Gearshift has no contexts or labels: every changeset"
                                + " runs; move it to a project of its own, or remove the attribute)");
                    }
                }
                case "dbms" -> {
                    if (!value.toLowerCase(Locale.ROOT).contains("postgresql") && !value.equalsIgnoreCase("all")) {
                        refused.add("dbms:" + value + " (it would not run on PostgreSQL)");
                    }
                }
                case "runalways" -> {
                    if (value.equalsIgnoreCase("true")) {
                        refused.add("runAlways:true (Gearshift runs a migration once, a repeatable one when it changes)");
                    }
                }
                case "failonerror" -> {
                    if (value.equalsIgnoreCase("false")) {
                        refused.add("failOnError:false (Gearshift never ignores a failed migration)");
                    }
                }
                default -> refused.add(key + ":" + value + " (not read by Gearshift)");
            }
        });
        if (!refused.isEmpty()) {
            problems.add(new Problem(Problem.BAD_DIRECTIVE, changeset.file() + ":" + changeset.line(),
                    changeset.location() + ": " + String.join("; ", refused)));
        }
        return refused.isEmpty();
    }

    private Optional<Script> script(Changeset changeset, String text, List<Problem> problems) {
        Map<String, String> attributes = changeset.attributes();
        boolean transactional = !"false".equalsIgnoreCase(attributes.get("runintransaction"));
        String location = changeset.location();
        List<SqlStatement> statements;
        if ("false".equalsIgnoreCase(attributes.get("splitstatements"))) {
            statements = text.isBlank() ? List.of() : List.of(new SqlStatement(text.strip(), changeset.line() + 1, 1,
                    null));
        } else if (attributes.containsKey("enddelimiter")) {
            statements = new ArrayList<>();
            Pattern end = Pattern.compile("(?m)" + Pattern.quote(attributes.get("enddelimiter")) + "[ \\t]*$");
            for (String piece : end.split(text)) {
                if (!piece.isBlank()) {
                    statements.add(new SqlStatement(piece.strip(), changeset.line() + 1, 1, null));
                }
            }
        } else {
            Optional<Script> split = reader.read(location, text.getBytes(StandardCharsets.UTF_8), problems);
            if (split.isEmpty()) {
                return split;
            }
            statements = split.get().statements();
        }
        return Optional.of(new Script(location, text, statements, new Directives(transactional, Map.of())));
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : text;
    }

    private List<Path> files() {
        if (changelog.isPresent()) {
            return List.of(dir.resolve(changelog.get()));
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                    .filter(p -> !dir.relativize(p).toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
