package dev.gearshift.liquibase;

import dev.gearshift.spi.ChangelogReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import liquibase.ChecksumVersion;
import liquibase.ContextExpression;
import liquibase.Labels;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.core.EmptyChange;
import liquibase.change.core.ExecuteShellCommandChange;
import liquibase.change.core.OutputChange;
import liquibase.change.core.StopChange;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.OfflineConnection;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.RollbackImpossibleException;
import liquibase.exception.ValidationErrors;
import liquibase.logging.core.NoOpLogService;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.precondition.Precondition;
import liquibase.precondition.PreconditionLogic;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.sqlgenerator.core.MarkChangeSetRanGenerator;
import liquibase.statement.SqlStatement;
import liquibase.util.StringUtil;

/**
 * Liquibase XML, YAML and JSON changelogs (and formatted SQL, for its checksums and descriptions), parsed by
 * Liquibase's own parser (includes and includeAll followed), each change turned into PostgreSQL by Liquibase's own SQL generators over an offline connection, as {@code update-sql} does:
 * nothing is re-implemented, so a changelog means here what it means to Liquibase. What needs a live database
 * (loadData reading the table, custom Java changes) or would not run as Liquibase runs it (preconditions, contexts,
 * labels, runAlways, another dbms) is refused, naming the changeset.
 */
public final class LiquibaseChangelogReader implements ChangelogReader {

    @Override
    public Set<String> extensions() {
        return Set.of("xml", "yaml", "yml", "json", "sql");
    }

    @Override
    public Changelog read(Path root, String changelog) {
        return readEach(root, List.of(changelog)).get(0);
    }

    /** Each changelog, over one offline connection: setting one up costs far more than parsing a file. */
    @Override
    public List<Changelog> readEach(Path root, List<String> changelogs) {
        List<Changelog> read = new ArrayList<>();
        Path scratch = null;
        try {
            // An offline connection keeps its own history in a CSV file, by default in the working directory: it goes
            // in a scratch directory instead, removed below (nothing here reads or needs it).
            scratch = Files.createTempDirectory("gearshift-liquibase");
            ResourceAccessor accessor = new DirectoryResourceAccessor(root.toFile());
            PostgresDatabase database = new PostgresDatabase();
            database.setConnection(new OfflineConnection("offline:postgresql?changeLogFile="
                    + scratch.resolve("databasechangelog.csv"), accessor));
            // Unqualified names: the statements run in the target's schema, as Gearshift's search_path sets it.
            database.setOutputDefaultSchema(false);
            database.setOutputDefaultCatalog(false);
            Map<String, Object> scope = new HashMap<>();
            scope.put(Scope.Attr.resourceAccessor.name(), accessor);
            scope.put(Scope.Attr.database.name(), database);
            // Liquibase's INFO lines would interleave with Gearshift's output; what matters is refused here.
            scope.put(Scope.Attr.logService.name(), new NoOpLogService());
            Scope.child(scope, () -> changelogs.forEach(changelog -> read.add(read(changelog, database, accessor))));
        } catch (Exception e) {
            changelogs.stream().skip(read.size()).forEach(changelog -> read.add(new Changelog(List.of(),
                    List.of(unreadable(changelog, e)), version())));
        } finally {
            delete(scratch);
        }
        return read;
    }

    private static Changelog read(String changelog, PostgresDatabase database, ResourceAccessor accessor) {
        List<Changeset> changesets = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        try {
            DatabaseChangeLog log = ChangeLogParserFactory.getInstance().getParser(changelog, accessor)
                    .parse(changelog, new ChangeLogParameters(database), accessor);
            if (hasPreconditions(log.getPreconditions())) {
                refusals.add(new Refusal(changelog, "changelog " + changelog + ": Liquibase preconditions are"
                        + " not evaluated by Gearshift, and are not skipped silently; remove them"));
            }
            for (ChangeSet changeSet : log.getChangeSets()) {
                read(changeSet, database, refusals).ifPresent(changesets::add);
            }
        } catch (Exception e) {
            refusals.add(unreadable(changelog, e));
        }
        return new Changelog(changesets, refusals, version());
    }

    private static Refusal unreadable(String changelog, Exception e) {
        return new Refusal(changelog, "cannot read the Liquibase changelog " + changelog + ": " + message(e));
    }

    private static String version() {
        return MarkChangeSetRanGenerator.getLiquibaseBuildVersion();
    }

    private static void delete(Path scratch) {
        if (scratch == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A scratch file left in the temporary directory harms nothing.
        }
    }

    private static Optional<Changeset> read(ChangeSet changeSet, PostgresDatabase database, List<Refusal> refusals) {
        String file = changeSet.getFilePath();
        if (changeSet.getId() == null || changeSet.getId().isBlank()) {
            refusals.add(new Refusal(file, "a changeset without an id (author " + changeSet.getAuthor() + ") in "
                    + file + ": give it id=\"...\""));
            return Optional.empty();
        }
        String location = "changeset " + changeSet.getAuthor() + ":" + changeSet.getId() + " in " + file;
        List<String> refused = new ArrayList<>();
        if (hasPreconditions(changeSet.getPreconditions())) {
            refused.add("preconditions (Liquibase preconditions are not evaluated by Gearshift, and are not"
                    + " skipped silently; remove them)");
        }
        List<String> contexts = new ArrayList<>();
        if (!isEmpty(changeSet.getContextFilter())) {
            contexts.add("context:" + changeSet.getContextFilter());
        }
        changeSet.getInheritableContextFilter().stream().filter(c -> !isEmpty(c))
                .forEach(c -> contexts.add("context:" + c + " (of an include)"));
        if (!isEmpty(changeSet.getLabels())) {
            contexts.add("labels:" + changeSet.getLabels());
        }
        changeSet.getInheritableLabels().stream().filter(l -> !isEmpty(l))
                .forEach(l -> contexts.add("labels:" + l + " (of an include)"));
        contexts.forEach(c -> refused.add(c + " (Gearshift has no contexts or labels: every changeset runs; move it"
                + " to a project of its own, or remove the attribute)"));
        Set<String> dbms = changeSet.getDbmsSet();
        if (dbms != null && !dbms.isEmpty() && dbms.stream().map(d -> d.toLowerCase(Locale.ROOT).strip())
                .noneMatch(d -> d.equals("postgresql") || d.equals("all"))) {
            refused.add("dbms:" + String.join(",", dbms) + " (it would not run on PostgreSQL)");
        }
        if (changeSet.isAlwaysRun()) {
            refused.add("runAlways:true (Gearshift runs a migration once, a repeatable one when it changes)");
        }
        if (Boolean.FALSE.equals(changeSet.getFailOnError())) {
            refused.add("failOnError:false (Gearshift never ignores a failed migration)");
        }
        if (changeSet.isIgnore()) {
            refused.add("ignore:true (Liquibase skips it and records nothing; remove it)");
        }
        List<String> up = new ArrayList<>();
        for (Change change : changeSet.getChanges()) {
            sql(change, database, false, refused).ifPresent(up::addAll);
        }
        if (!refused.isEmpty()) {
            refusals.add(new Refusal(file, location + ": " + String.join("; ", refused)));
            return Optional.empty();
        }
        Optional<List<String>> down = rollback(changeSet, database);
        String checksum = changeSet.generateCheckSum(ChecksumVersion.latest()).toString();
        // Gearshift's checksum is taken of Liquibase's (of the changeset as written), not of the generated SQL, which
        // a newer liquibase-core may spell differently for an unchanged changeset.
        return Optional.of(new Changeset(file, changeSet.getAuthor(), changeSet.getId(), changeSet.isRunOnChange(),
                changeSet.isRunInTransaction(), checksum, up, down, checksum,
                StringUtil.limitSize(changeSet.getDescription(), 250),
                StringUtil.limitSize(StringUtil.trimToEmpty(changeSet.getComments()), 250)));
    }

    /**
     * An explicit rollback block, else Liquibase's automatic rollback (the changes undone in reverse order) when
     * every change supports one; else none.
     */
    private static Optional<List<String>> rollback(ChangeSet changeSet, PostgresDatabase database) {
        List<Change> explicit = changeSet.getRollback().getChanges().stream()
                .filter(c -> !(c instanceof EmptyChange)).toList();
        List<String> refused = new ArrayList<>();
        if (!explicit.isEmpty()) {
            List<String> down = new ArrayList<>();
            for (Change change : explicit) {
                sql(change, database, false, refused).ifPresent(down::addAll);
            }
            return refused.isEmpty() && !down.isEmpty() ? Optional.of(down) : Optional.empty();
        }
        List<Change> changes = new ArrayList<>(changeSet.getChanges());
        Collections.reverse(changes);
        List<String> down = new ArrayList<>();
        for (Change change : changes) {
            if (!change.supportsRollback(database)) {
                return Optional.empty();
            }
            Optional<List<String>> sql = sql(change, database, true, refused);
            if (sql.isEmpty()) {
                return Optional.empty();
            }
            down.addAll(sql.get());
        }
        return refused.isEmpty() && !down.isEmpty() ? Optional.of(down) : Optional.empty();
    }

    /** The change's PostgreSQL statements (its rollback's when asked), or why it has none here. */
    private static Optional<List<String>> sql(Change change, PostgresDatabase database, boolean rollback,
                                              List<String> refused) {
        String name = change.getSerializedObjectName();
        if (change instanceof OutputChange || change instanceof ExecuteShellCommandChange
                || change instanceof CustomChangeWrapper || change instanceof StopChange) {
            // Liquibase does these itself as it runs (some already while making their statements): no SQL to run.
            refused.add("<" + name + "> is not SQL: Liquibase does it itself as it runs; write it as <sql>, a"
                    + " Gearshift (Java) migration, or remove it");
            return Optional.empty();
        }
        try {
            if (!change.supports(database)) {
                refused.add("<" + name + "> is not supported by Liquibase on PostgreSQL");
                return Optional.empty();
            }
            ValidationErrors errors = change.validate(database);
            if (errors != null && errors.hasErrors()) {
                refused.add("<" + name + ">: " + String.join("; ", errors.getErrorMessages()));
                return Optional.empty();
            }
            if (rollback ? change.generateRollbackStatementsVolatile(database)
                    : change.generateStatementsVolatile(database)) {
                refused.add("<" + name + "> needs a live database to be turned into SQL (it reads the database or"
                        + " runs code); write it as <sql> or a Gearshift migration");
                return Optional.empty();
            }
            SqlStatement[] statements = rollback ? change.generateRollbackStatements(database)
                    : change.generateStatements(database);
            List<String> sql = new ArrayList<>();
            for (SqlStatement statement : statements) {
                if (!SqlGeneratorFactory.getInstance().supports(statement, database)) {
                    refused.add("<" + name + "> makes a " + statement.getClass().getSimpleName()
                            + " that Liquibase cannot write as SQL for PostgreSQL");
                    return Optional.empty();
                }
                Sql[] generated = SqlGeneratorFactory.getInstance().generateSql(statement, database);
                if (generated == null || generated.length == 0) {
                    refused.add("<" + name + "> makes a statement that is not SQL (Liquibase runs it itself);"
                            + " remove it or write it as <sql>");
                    return Optional.empty();
                }
                for (Sql one : generated) {
                    String text = one.toSql();
                    if (text != null && !text.isBlank()) {
                        sql.add(text.strip());
                    }
                }
            }
            return Optional.of(sql);
        } catch (RollbackImpossibleException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            refused.add("<" + name + "> cannot be turned into SQL for PostgreSQL: " + message(e));
            return Optional.empty();
        }
    }

    /** Whether any precondition is set: an include nests its changelog's (often empty) container in the parent's. */
    private static boolean hasPreconditions(Precondition precondition) {
        if (precondition == null) {
            return false;
        }
        if (precondition instanceof PreconditionLogic logic) {
            return logic.getNestedPreconditions() != null
                    && logic.getNestedPreconditions().stream().anyMatch(LiquibaseChangelogReader::hasPreconditions);
        }
        return true;
    }

    private static boolean isEmpty(ContextExpression expression) {
        return expression == null || expression.isEmpty();
    }

    private static boolean isEmpty(Labels labels) {
        return labels == null || labels.isEmpty();
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
