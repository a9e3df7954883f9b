package dev.gearshift.internal.source;

import dev.gearshift.Problem;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.Script;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A Flyway project's folder as it is: one module; {@code V<version>__<description>.sql} (a version of digits with
 * dots or underscores, {@code 1.2.3}, {@code 2_1}), {@code U<version>__} undo scripts as downs, {@code R__}
 * repeatable migrations; sub-folders read as Flyway scans them. Callbacks and per-script {@code .conf} files would
 * change what runs, and Gearshift does not run them: they are refused, naming the file, never ignored. A
 * flyway.conf's prefixes, separator and suffixes replace {@code V}, {@code U}, {@code R}, {@code __} and
 * {@code .sql} ({@link FlywayConf.Naming}). Several locations are one migration set, as Flyway scans them: a version
 * (or a repeatable's description) in two of them is a problem naming both files.
 */
final class FlywayLayout {

    private static final Pattern VERSIONED = Pattern.compile("([VU])(.*?)__(.+)\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__(.+)\\.sql");
    private static final Pattern CALLBACK = Pattern.compile("(before|after)[A-Z][A-Za-z]*(__.*)?\\.sql|createSchema(__.*)?\\.sql");

    private final MigrationLoader loader;
    /** The locations, the first naming the module (as one folder does). */
    private final List<Path> dirs;
    private final FlywayConf.Naming naming;
    /** The versioned and undo names, and the repeatable ones, with the project's prefixes and separator. */
    private final Pattern versioned;
    private final Pattern repeatable;

    FlywayLayout(MigrationLoader loader, List<Path> dirs) {
        this.loader = loader;
        this.dirs = List.copyOf(dirs);
        this.naming = loader.flyway();
        String suffix = "(?:" + String.join("|", naming.suffixes().stream().map(Pattern::quote).toList()) + ")";
        String separator = Pattern.quote(naming.separator());
        this.versioned = Pattern.compile("(" + Pattern.quote(naming.versioned()) + "|" + Pattern.quote(naming.undo())
                + ")(.*?)" + separator + "(.+)" + suffix);
        this.repeatable = Pattern.compile(Pattern.quote(naming.repeatable()) + separator + "(.+)" + suffix);
    }

    /** Whether a file is named as Flyway names scripts by default: how a Flyway folder is found by looking. */
    static boolean looksLikeFlyway(String fileName) {
        return VERSIONED.matcher(fileName).matches() || REPEATABLE.matcher(fileName).matches();
    }

    /**
     * Flyway's checksum of a script: CRC32 over the UTF-8 bytes of each line without its line end, the BOM removed
     * (as Flyway's own calculation reads the file line by line), as the signed int Flyway stores.
     */
    static int checksum(String text) {
        CRC32 crc = new CRC32();
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        body.lines().forEach(line -> crc.update(line.getBytes(StandardCharsets.UTF_8)));
        return (int) crc.getValue();
    }

    /** The files of one version. */
    private static final class Pair {
        Path up;
        Path down;
        String name;
        /** The version as the file writes it ({@code 1_2}, {@code 1.01}): Flyway's history records that text. */
        String written;
        final List<Path> all = new ArrayList<>();
    }

    Map<String, List<Migration>> read() {
        String module = loader.flatModuleOf(dirs.get(0));
        List<Problem> problems = loader.problems();
        int before = problems.size();
        Map<Version, Pair> versions = new TreeMap<>();
        Map<String, Path> repeatables = new TreeMap<>();
        Map<Path, Path> locationOf = new java.util.LinkedHashMap<>();
        for (Path dir : dirs) {
            files(dir).forEach(file -> locationOf.putIfAbsent(file, dir)); // a file two locations hold is read once
        }
        for (Path file : locationOf.keySet()) {
            String fileName = file.getFileName().toString();
            String shown = loader.shownPath(file);
            if (fileName.endsWith(".sql.conf")) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown, "Flyway's per-script configuration is not"
                        + " read by Gearshift; for executeInTransaction=false put -- gearshift:no-transaction at the"
                        + " top of the script, then delete this file"));
                continue;
            }
            if (naming.suffixes().stream().noneMatch(fileName::endsWith)
                    && !fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".sql")) {
                continue;
            }
            if (CALLBACK.matcher(fileName).matches()) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown, "a Flyway callback: Gearshift does not run"
                        + " callbacks, and will not skip one silently; move its SQL into a migration (or, for SQL"
                        + " that must run after every migrate, a repeatable R__ migration), then delete this file"));
                continue;
            }
            Matcher repeatable = this.repeatable.matcher(fileName);
            if (repeatable.matches()) {
                Path other = repeatables.putIfAbsent(repeatable.group(1), file);
                if (other != null) {
                    problems.add(new Problem(Problem.DUPLICATE_VERSION, shown, "the repeatable migration '"
                            + repeatable.group(1) + "' is also in " + loader.shownPath(other)));
                }
                continue;
            }
            Matcher versioned = this.versioned.matcher(fileName);
            if (!versioned.matches()) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown, (fileName.matches("\\d+_.+\\.(up|down)\\.sql")
                        ? "a golang-migrate script in a Flyway folder: mixing layouts is refused; " : "")
                        + "expected Flyway's V<version>__<description>"
                        + ".sql, U<version>__<description>.sql or R__<description>.sql, e.g. V1.2__add_orders.sql"));
                continue;
            }
            Version version;
            try {
                version = Version.parse(versioned.group(2).replace('_', '.'));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, shown, "the Flyway version '" + versioned.group(2)
                        + "' cannot be ordered: expected digits separated by dots or underscores, such as 1.2.3"));
                continue;
            }
            Pair pair = versions.computeIfAbsent(version, v -> new Pair());
            pair.all.add(file);
            boolean up = versioned.group(1).equals(naming.versioned());
            if ((up ? pair.up : pair.down) != null || pair.name != null && !pair.name.equals(versioned.group(3))) {
                problems.add(new Problem(Problem.DUPLICATE_VERSION, shown, "version " + version + " is used by more"
                        + " than one Flyway script: " + pair.all.stream().map(loader::shownPath).toList()));
                continue;
            }
            pair.name = versioned.group(3);
            pair.written = versioned.group(2);
            if (up) {
                pair.up = file;
            } else {
                pair.down = file;
            }
        }
        List<Migration> migrations = new ArrayList<>();
        versions.forEach((version, pair) -> {
            if (pair.up == null) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, loader.shownPath(pair.down), "an undo script"
                        + " without its V" + version + "__" + pair.name + ".sql"));
                loader.unreadable().add(module + "/" + version);
                return;
            }
            Optional<Script> up = read(pair.up, problems);
            if (up.isEmpty()) {
                loader.unreadable().add(module + "/" + version);
                return;
            }
            List<Problem> downProblems = new ArrayList<>();
            Optional<Script> down = Optional.ofNullable(pair.down).flatMap(f -> read(f, downProblems));
            Migration migration = new Migration(module, Optional.of(version), pair.name, up, down, Optional.empty(),
                    Optional.empty(), ScriptReader.checksum(up.get().text()), downProblems, List.of());
            migrations.add(loader.keepsToolHistory() ? ToolHistory.keep(migration, FlywayHistory.applied(naming.table(), pair.written,
                    pair.name, FlywayHistory.script(locationOf.get(pair.up), pair.up), checksum(up.get().text())),
                    FlywayHistory.undone(naming.table(), pair.written)) : migration);
        });
        repeatables.forEach((name, file) -> read(file, problems).ifPresent(up -> {
            Migration migration = new Migration(module, Optional.empty(), name, Optional.of(up), Optional.empty(),
                    Optional.empty(), Optional.empty(), ScriptReader.checksum(up.text()));
            migrations.add(loader.keepsToolHistory() ? ToolHistory.keep(migration, FlywayHistory.repeated(naming.table(), name,
                    FlywayHistory.script(locationOf.get(file), file), checksum(up.text())), List.of()) : migration);
        }));
        problems.subList(before, problems.size()).forEach(problem -> loader.owners().put(problem, module));
        Map<String, List<Migration>> modules = new TreeMap<>();
        modules.put(module, migrations.stream().sorted(Migration.ORDER).toList());
        return modules;
    }

    /**
     * A script, its problems added to {@code into}: an unknown {@code ${flyway:...}} placeholder is one (the script
     * is still read, so that it keeps its place, but nothing runs while the problem stands).
     */
    private Optional<Script> read(Path file, List<Problem> into) {
        Optional<Script> script = loader.readScript(file, into);
        script.ifPresent(s -> into.addAll(FlywayPlaceholders.unknown(s.location(), s.text())));
        return script;
    }

    /** Every file under a location, sub-folders included, as Flyway scans one. */
    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> !startsWithDot(dir.relativize(p))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean startsWithDot(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
