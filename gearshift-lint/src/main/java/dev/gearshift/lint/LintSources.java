package dev.gearshift.lint;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.jdbc.JdbcStoreProvider;
import dev.gearshift.jdbc.JdbcTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Which scripts a lint run reads: the project's migration files, those added since a git base, a target's facts. */
public final class LintSources {

    private static final Pattern LEADING_NUMBER = Pattern.compile("^[A-Za-z]?(\\d+)");

    private LintSources() {
    }

    /** The migrations directory: {@code dir} when given, else gearshift.yaml's {@code migrations:}, else migrations/. */
    public static Path migrationsDirectory(Path root, Path dir) {
        if (dir != null) {
            return dir.isAbsolute() ? dir : root.resolve(dir);
        }
        Path file = root.resolve("gearshift.yaml");
        if (Files.isRegularFile(file)) {
            try {
                Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
                if (yaml instanceof Map<?, ?> map && map.get("migrations") instanceof String location
                        && !location.contains(":")) {
                    return root.resolve(location);
                }
            } catch (IOException | RuntimeException e) {
                throw new GearshiftException(ErrorCode.VALIDATION, file + ": " + e.getMessage(), e);
            }
        }
        return root.resolve("migrations");
    }

    /**
     * Every up script under the directory (down and verify scripts are not linted: they never run on the way up),
     * module by module, in version order; files named relative to {@code root}.
     */
    public static List<LintScript> scripts(Path root, Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new GearshiftException(ErrorCode.USAGE, "no migrations directory " + directory
                    + "; give --dir or run in the project");
        }
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> sql = files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".sql"))
                    .filter(p -> !p.getFileName().toString().contains(".down.")
                            && !p.getFileName().toString().contains(".verify.")
                            && !p.getFileName().toString().startsWith("U"))
                    .sorted(Comparator.comparing((Path p) -> directory.relativize(p).getParent() == null ? ""
                                    : directory.relativize(p).getParent().toString())
                            .thenComparingLong(LintSources::leadingNumber)
                            .thenComparing(Path::toString))
                    .toList();
            List<LintScript> scripts = new ArrayList<>();
            for (Path p : sql) {
                scripts.add(new LintScript(relative(root, p), Files.readString(p, StandardCharsets.UTF_8)));
            }
            return scripts;
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "cannot read the migrations in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /** The scripts whose files were added or changed since {@code base} (committed or not, untracked included). */
    public static List<LintScript> changedSince(Path root, List<LintScript> scripts, String base) {
        Set<String> changed = new HashSet<>();
        changed.addAll(git(root, "diff", "--name-only", "--relative", base, "--"));
        changed.addAll(git(root, "ls-files", "--others", "--exclude-standard"));
        return scripts.stream().filter(s -> changed.contains(s.file().replace('\\', '/'))).toList();
    }

    private static List<String> git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new GearshiftException(ErrorCode.USAGE, "git " + String.join(" ", args) + " failed: "
                        + output.strip());
            }
            return output.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new GearshiftException(ErrorCode.USAGE, "--git-base needs git: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GearshiftException(ErrorCode.INTERNAL, "interrupted while running git", e);
        }
    }

    private static long leadingNumber(Path p) {
        Matcher m = LEADING_NUMBER.matcher(p.getFileName().toString());
        try {
            return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String relative(Path root, Path file) {
        Path r = root.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        return (f.startsWith(r) ? r.relativize(f) : f).toString().replace('\\', '/');
    }

    /** What a target tells the rules: its PostgreSQL major version and the tables its schema has. Read only. */
    public record TargetFacts(int postgresMajor, Set<String> tables) {

        /** @throws GearshiftException ({@code CONNECTION}) when the target cannot be read */
        public static TargetFacts read(String url, String user, String password, String schema) {
            JdbcTarget target = JdbcStoreProvider.resolve(url, user, password);
            try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.properties())) {
                connection.setReadOnly(true);
                int major = connection.getMetaData().getDatabaseMajorVersion();
                Set<String> tables = new HashSet<>();
                try (PreparedStatement statement = connection.prepareStatement("SELECT c.relname FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                        + " AND n.nspname = COALESCE(?, current_schema())")) {
                    statement.setString(1, schema);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            tables.add(rows.getString(1));
                        }
                    }
                }
                return new TargetFacts(major, Set.copyOf(tables));
            } catch (SQLException e) {
                throw new GearshiftException(ErrorCode.CONNECTION, "cannot read the target " + target.display()
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
