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
 * keeps Sqitch's registry ({@link SqitchRegistry}).
 */
final class SqitchLayout {

    static final String PLAN = "sqitch.plan";
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
        modules.put(module, keep && problems.size() == before ? SqitchRegistry.keep(migrations, project(plan)
                .orElseThrow(), SqitchRegistry.pragma(plan, "uri"), registry) : migrations);
        return modules;
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
