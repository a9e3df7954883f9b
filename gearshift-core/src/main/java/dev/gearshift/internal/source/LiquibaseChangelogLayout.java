package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.Problem;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Directives;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.Script;
import dev.gearshift.spi.ChangelogReader;
import dev.gearshift.spi.SqlStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Liquibase XML and YAML changelogs, read by a {@link ChangelogReader} (gearshift-liquibase, which turns each change
 * into PostgreSQL with Liquibase's own library): each changeset is a migration of the one module, versioned by its
 * position (1, 2, ...) and named by its id, as in {@link LiquibaseSqlLayout}, so that DATABASECHANGELOG is imported
 * the same way.
 */
final class LiquibaseChangelogLayout {

    /** The names Liquibase's documentation and templates give the master changelog, in order of preference. */
    private static final List<String> MASTER_NAMES = List.of("db.changelog-master", "changelog-master",
            "db.changelog", "changelog");
    private static final List<String> EXTENSIONS = List.of("xml", "yaml", "yml", "json");

    private final MigrationLoader loader;
    private final Path dir;
    private final String changelog;

    private LiquibaseChangelogLayout(MigrationLoader loader, Path dir, String changelog) {
        this.loader = loader;
        this.dir = dir;
        this.changelog = changelog;
    }

    /**
     * The master changelog directly in {@code dir}: one of the names Liquibase projects use, else the one XML or YAML
     * file there that is a changelog (it says databaseChangeLog); two such files are ambiguous and refused.
     */
    static Optional<String> master(Path dir) {
        for (String name : MASTER_NAMES) {
            for (String extension : EXTENSIONS) {
                if (Files.isRegularFile(dir.resolve(name + "." + extension))) {
                    return Optional.of(name + "." + extension);
                }
            }
        }
        List<String> changelogs = MigrationLoader.entries(dir).stream().filter(Files::isRegularFile)
                .filter(p -> EXTENSIONS.contains(extension(p.getFileName().toString())))
                .filter(p -> new String(MigrationLoader.bytesOf(p), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("databaseChangeLog"))
                .map(p -> p.getFileName().toString()).toList();
        if (changelogs.size() > 1) {
            throw new GearshiftException(ErrorCode.USAGE, dir + " holds more than one Liquibase changelog "
                    + changelogs + ", and none is named db.changelog-master.xml (or .yaml): name the master"
                    + " changelog so, or move the others into a sub-folder it includes");
        }
        return changelogs.stream().findFirst();
    }

    private static String extension(String fileName) {
        return fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    /** The master changelog named in the project (unless it is formatted SQL), else found by looking. */
    static Optional<LiquibaseChangelogLayout> of(MigrationLoader loader, Path dir, Optional<String> named) {
        Optional<String> changelog = named.isPresent()
                ? named.filter(n -> EXTENSIONS.contains(extension(n))).map(n -> n.replace('\\', '/'))
                : master(dir);
        return changelog.map(name -> new LiquibaseChangelogLayout(loader, dir, name));
    }

    /** What to do when gearshift-liquibase is missing. */
    static final String INSTALL = "add the gearshift-liquibase module (dev.gearshift:gearshift-liquibase) to the"
            + " class path; the gearshift command carries it";

    /** The installed reader of a changelog format (gearshift-liquibase's), if any. */
    static Optional<ChangelogReader> reader(String extension) {
        return ServiceLoader.load(ChangelogReader.class, LiquibaseChangelogLayout.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).filter(r -> r.extensions().contains(extension)).findFirst();
    }

    Map<String, List<Migration>> read() {
        String extension = extension(changelog);
        ChangelogReader reader = reader(extension).orElseThrow(() -> new GearshiftException(ErrorCode.USAGE,
                loader.shownPath(dir.resolve(changelog)) + " is a Liquibase " + extension.toUpperCase(Locale.ROOT)
                        + " changelog, and no reader for it is installed: " + INSTALL));
        ChangelogReader.Changelog read = reader.read(dir, changelog);
        String module = loader.flatModuleOf(dir);
        List<Problem> problems = loader.problems();
        int before = problems.size();
        read.refusals().forEach(r -> problems.add(new Problem(Problem.BAD_DIRECTIVE, shown(r.file()), r.message())));
        List<Migration> migrations = new ArrayList<>();
        Map<String, ChangelogReader.Changeset> seen = new LinkedHashMap<>();
        java.util.Set<String> files = read.changesets().stream().map(ChangelogReader.Changeset::file)
                .collect(java.util.stream.Collectors.toSet());
        long position = 0;
        for (ChangelogReader.Changeset changeset : read.changesets()) {
            String location = "changeset " + changeset.author() + ":" + changeset.id() + " in "
                    + shown(changeset.file());
            ChangelogReader.Changeset other = seen.putIfAbsent(changeset.author() + ":" + changeset.id(), changeset);
            if (other != null) {
                problems.add(new Problem(Problem.DUPLICATE_VERSION, shown(changeset.file()), location + " is also in "
                        + shown(other.file())));
                continue;
            }
            boolean repeatable = changeset.runOnChange();
            Optional<Version> version = repeatable ? Optional.empty() : Optional.of(Version.of(++position));
            if (changeset.up().isEmpty()) {
                problems.add(new Problem(Problem.BAD_DIRECTIVE, shown(changeset.file()), location
                        + ": it runs no SQL on PostgreSQL; give it a change, or remove it"));
                version.ifPresent(v -> loader.unreadable().add(module + "/" + v));
                continue;
            }
            Script up = script(location, changeset, changeset.up(), Optional.of(changeset.checksum()))
                    .withToolChecksum(changeset.checksum());
            Optional<Script> down = repeatable ? Optional.empty()
                    : changeset.down().filter(d -> !d.isEmpty()).map(d -> script(location, changeset, d,
                    Optional.empty()));
            Migration migration = new Migration(module, version, changeset.id(), Optional.of(up), down,
                    Optional.empty(), Optional.empty(), ScriptReader.checksum(changeset.text()), List.of(), List.of());
            migrations.add(loader.keepsToolHistory() ? LiquibaseHistory.keep(migration, changeset, read.toolVersion(),
                    files) : migration);
        }
        problems.subList(before, problems.size()).forEach(problem -> loader.owners().put(problem, module));
        Map<String, List<Migration>> modules = new TreeMap<>();
        modules.put(module, migrations.stream().sorted(Migration.ORDER).toList());
        return modules;
    }

    private String shown(String file) {
        return loader.shownPath(dir.resolve(file));
    }

    /**
     * The generated statements, one per line so that a failure points at the one that failed, after a first line
     * that names the changeset and, for an up, Liquibase's checksum, so that {@code plan} shows them.
     */
    private static Script script(String location, ChangelogReader.Changeset changeset, List<String> sql,
                                 Optional<String> checksum) {
        List<SqlStatement> statements = new ArrayList<>();
        for (int i = 0; i < sql.size(); i++) {
            statements.add(new SqlStatement(sql.get(i), i + 2, 1, null));
        }
        String header = "-- Liquibase " + location + checksum.map(c -> ", " + MD5SUM + c).orElse("") + "\n";
        return new Script(location, header + String.join(";\n", sql) + (sql.isEmpty() ? "" : ";\n"), statements,
                new Directives(changeset.transactional(), Map.of()));
    }

    private static final String MD5SUM = "MD5SUM ";
}
