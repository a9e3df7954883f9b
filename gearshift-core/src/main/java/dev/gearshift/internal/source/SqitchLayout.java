package dev.gearshift.internal.source;

import dev.gearshift.Problem;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.Script;
import dev.gearshift.spi.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sqitch project as it is: {@code sqitch.plan} lists the changes in order, each a migration of the one module
 * (named by the plan's {@code %project}, unless the project file names it), versioned by its position, with
 * {@code deploy/<change>.sql} as up, {@code revert/<change>.sql} as down and {@code verify/<change>.sql} as verify.
 * Sqitch's templates wrap each script in BEGIN ... COMMIT (verify: ROLLBACK): the bodies run in Gearshift's
 * transaction. Dependencies must name earlier changes; reworked changes (a name planned again after a tag) and
 * dependencies on other projects are refused, naming the plan's line. With keep_tool_history, each change also
 * keeps Sqitch's registry ({@link SqitchRegistry}), in the schema the project's {@code sqitch.conf} names
 * ({@code [engine "pg"] registry}, or its target's {@code [target "..."] registry}; else {@code sqitch}), which
 * {@code import --from sqitch} reads too. Only the project's sqitch.conf is read, not the user's or the system's:
 * the project, not a machine, says where its registry is.
 */
final class SqitchLayout {

    static final String PLAN = "sqitch.plan";
    static final String CONF = "sqitch.conf";
    /** A git-config line of sqitch.conf: a section ({@code [engine "pg"]}) or a key ({@code registry = app}). */
    private static final Pattern SECTION = Pattern.compile("\\[\\s*([A-Za-z0-9.-]+)(?:\\s+\"((?:[^\"\\\\]|\\\\.)*)\")?\\s*]\\s*(?:[#;].*)?");
    private static final Pattern KEY = Pattern.compile("([A-Za-z][A-Za-z0-9-]*)\\s*(?:=\\s*(.*?))?\\s*");
    /** A registry schema as Sqitch's registries are named: a plain identifier. */
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern CHANGE = Pattern.compile("([+-]?)([^\\s\\[@#:%][^\\s\\[]*)\\s*(?:\\[([^\\]]*)\\])?\\s*(\\S+)?.*");
    private static final Pattern ROLLBACK = Pattern.compile("(?is)\\s*ROLLBACK(\\s+(TRANSACTION|WORK))?\\s*;?\\s*");
    private static final Pattern OPENS = Pattern.compile("(?is)\\s*(BEGIN|START\\s+TRANSACTION)(\\s+(TRANSACTION|WORK))?\\s*;?\\s*");

    private final MigrationLoader loader;
    private final Path dir;

    SqitchLayout(MigrationLoader loader, Path dir) {
        this.loader = loader;
        this.dir = dir;
    }

    /** The project name the plan declares ({@code %project=flipr}), if any. */
    static Optional<String> project(String plan) {
        return SqitchRegistry.pragma(plan, "project");
    }

    Map<String, List<Migration>> read() {
        Path planFile = dir.resolve(PLAN);
        String shownPlan = loader.shownPath(planFile);
        List<Problem> problems = loader.problems();
        int before = problems.size();
        String plan = ScriptReader.decode(shownPlan, MigrationLoader.bytesOf(planFile), problems).orElse("");
        String module = loader.flatModule().orElseGet(() -> project(plan).filter(p -> p.matches("[A-Za-z0-9][A-Za-z0-9_-]*"))
                .orElse(loader.flatModuleOf(dir)));
        String schema = registry(problems);
        loader.sqitchRegistry(schema);
        List<Migration> migrations = new ArrayList<>();
        // With keep_tool_history, every change as Sqitch plans it: each id chains to the one before
        List<SqitchRegistry.Change> registry = new ArrayList<>();
        boolean keep = loader.keepsToolHistory();
        if (keep && project(plan).isEmpty()) {
            problems.add(new Problem(Problem.BAD_FILE_NAME, shownPlan, "keep_tool_history needs the plan's %project"
                    + " pragma: Sqitch's registry and change ids name the project"));
        }
        Set<String> planned = new HashSet<>();
        boolean tagged = false;
        long position = 0;
        List<String> lines = plan.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String at = shownPlan + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("%")) {
                continue;
            }
            if (line.startsWith("@")) {
                tagged = true;
                if (keep && !registry.isEmpty()) {
                    SqitchRegistry.parse(line).ifPresentOrElse(registry.get(registry.size() - 1).tags()::add,
                            () -> problems.add(unplanned(at)));
                }
                continue;
            }
            Matcher change = CHANGE.matcher(line);
            if (!change.matches()) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, at, "not a Sqitch plan line: expected"
                        + " <change> [dependencies] <timestamp> <planner> <email> # note, or @tag"));
                continue;
            }
            String name = change.group(2);
            if (change.group(1).equals("-")) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, at, "'" + name + "' is planned as a revert (-): Gearshift"
                        + " plans only deploys; remove the line and the change's earlier entry, or add a change that"
                        + " undoes it"));
                continue;
            }
            if (!planned.add(name)) {
                problems.add(new Problem(Problem.DUPLICATE_VERSION, at, "'" + name + "' is reworked"
                        + (tagged ? " after a tag" : "") + " (planned again): Gearshift does not run Sqitch reworks;"
                        + " give the new version a change of its own, with its own deploy script"));
                continue;
            }
            boolean ok = true;
            if (change.group(3) != null) {
                for (String dependency : change.group(3).strip().split("\\s+")) {
                    if (dependency.isEmpty() || dependency.startsWith("!")) {
                        continue; // a conflict: the change it conflicts with was planned away before
                    }
                    if (dependency.contains(":")) {
                        problems.add(new Problem(Problem.BAD_FILE_NAME, at, "'" + name + "' requires " + dependency
                                + " of another Sqitch project: Gearshift cannot check that; declare it in"
                                + " gearshift.yaml's requires, or remove it"));
                        ok = false;
                    } else if (!planned.contains(dependency.replaceFirst("@.*$", ""))) {
                        problems.add(new Problem(Problem.BAD_FILE_NAME, at, "'" + name + "' requires '" + dependency
                                + "', which is not planned before it"));
                        ok = false;
                    }
                }
            }
            Version version = Version.of(++position);
            Path deploy = dir.resolve("deploy").resolve(name + ".sql");
            if (keep) {
                Optional<SqitchRegistry.Planned> details = SqitchRegistry.parse(line);
                if (details.isEmpty()) {
                    problems.add(unplanned(at));
                } else {
                    registry.add(new SqitchRegistry.Change(details.get(), new ArrayList<>(), Files.isRegularFile(deploy)
                            ? scriptHash(MigrationLoader.bytesOf(deploy)) : ""));
                }
            }
            if (!Files.isRegularFile(deploy)) {
                problems.add(new Problem(Problem.BAD_FILE_NAME, at, "the plan names '" + name + "', but there is no "
                        + loader.shownPath(deploy)));
                loader.unreadable().add(module + "/" + version);
                continue;
            }
            if (!ok) {
                loader.unreadable().add(module + "/" + version);
                continue;
            }
            Optional<Script> up = loader.readScript(deploy, problems);
            if (up.isEmpty()) {
                loader.unreadable().add(module + "/" + version);
                continue;
            }
            List<Problem> downProblems = new ArrayList<>();
            List<Problem> verifyProblems = new ArrayList<>();
            Path revert = dir.resolve("revert").resolve(name + ".sql");
            Path verify = dir.resolve("verify").resolve(name + ".sql");
            Optional<Script> down = Files.isRegularFile(revert) ? loader.readScript(revert, downProblems) : Optional.empty();
            Optional<Script> check = Files.isRegularFile(verify)
                    ? loader.readScript(verify, verifyProblems).map(SqitchLayout::withoutRollback) : Optional.empty();
            migrations.add(new Migration(module, Optional.of(version), name, up, down, check, Optional.empty(),
                    ScriptReader.checksum(up.get().text()), downProblems, verifyProblems));
        }
        problems.subList(before, problems.size()).forEach(problem -> loader.owners().put(problem, module));
        Map<String, List<Migration>> modules = new TreeMap<>();
        modules.put(module, keep && problems.size() == before ? SqitchRegistry.keep(migrations, schema, project(plan)
                .orElseThrow(), SqitchRegistry.pragma(plan, "uri"), registry) : migrations);
        return modules;
    }

    /**
     * The registry schema the project's sqitch.conf names for PostgreSQL, as Sqitch resolves it: the registry of the
     * target {@code [engine "pg"] target} (else {@code [core] target}) names, else {@code [engine "pg"] registry},
     * else Sqitch's {@code sqitch}.
     */
    private String registry(List<Problem> problems) {
        Path conf = dir.resolve(CONF);
        if (!Files.isRegularFile(conf)) {
            return SqitchRegistry.SCHEMA;
        }
        String shown = loader.shownPath(conf);
        Map<String, String> keys = new java.util.HashMap<>();
        Map<String, Integer> lineOf = new java.util.HashMap<>();
        String section = "";
        List<String> lines = ScriptReader.decode(shown, MigrationLoader.bytesOf(conf), problems).orElse("").lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            Matcher header = SECTION.matcher(line);
            Matcher key = KEY.matcher(line);
            if (header.matches()) {
                // git config: section names are case-insensitive, subsections are not
                section = header.group(1).toLowerCase(java.util.Locale.ROOT)
                        + (header.group(2) == null ? "" : "." + header.group(2).replaceAll("\\\\(.)", "$1"));
            } else if (key.matches()) {
                String name = section + "." + key.group(1).toLowerCase(java.util.Locale.ROOT);
                keys.put(name, value(key.group(2)));
                lineOf.put(name, i + 1);
            }
        }
        String target = keys.getOrDefault("engine.pg.target", keys.get("core.target"));
        String name = target != null && keys.containsKey("target." + target + ".registry")
                ? "target." + target + ".registry" : "engine.pg.registry";
        String registry = keys.getOrDefault(name, SqitchRegistry.SCHEMA);
        if (!REGISTRY.matcher(registry).matches()) {
            problems.add(new Problem(Problem.BAD_FILE_NAME, shown + ":" + lineOf.get(name), name + " = '" + registry
                    + "': Gearshift reads a registry schema named as a plain identifier (letters, digits, _)"));
            return SqitchRegistry.SCHEMA;
        }
        return registry;
    }

    /** A git-config value: without its comment, its double quotes removed. */
    private static String value(String raw) {
        if (raw == null) {
            return "true";
        }
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && i + 1 < raw.length()) {
                value.append(raw.charAt(++i));
            } else if (!quoted && (c == '#' || c == ';')) {
                break;
            } else {
                value.append(c);
            }
        }
        return value.toString().strip();
    }

    private static Problem unplanned(String at) {
        return new Problem(Problem.BAD_FILE_NAME, at, "keep_tool_history needs each change and tag line as Sqitch"
                + " requires it, with its timestamp and planner (2013-12-30T23:19:45Z Marge <marge@example.com>):"
                + " Sqitch's change ids are computed from them");
    }

    /** Sqitch's verify template: BEGIN; ... ROLLBACK; Gearshift rolls verify scripts back by itself. */
    private static Script withoutRollback(Script script) {
        List<SqlStatement> statements = script.statements();
        if (statements.size() >= 2 && OPENS.matcher(statements.get(0).sql()).matches()
                && ROLLBACK.matcher(statements.get(statements.size() - 1).sql()).matches()) {
            return new Script(script.location(), script.text(), statements.subList(1, statements.size() - 1),
                    script.directives());
        }
        return script;
    }

    /** SHA-1 of a deploy script's bytes, as Sqitch records it in sqitch.changes.script_hash. */
    static String scriptHash(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static String scriptHash(String text) {
        return scriptHash(text.getBytes(StandardCharsets.UTF_8));
    }
}
