package dev.gearshift.internal.engine;

import dev.gearshift.Direction;
import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Problem;
import dev.gearshift.Target;
import dev.gearshift.Version;
import dev.gearshift.internal.model.Migration;
import dev.gearshift.internal.model.MigrationSet;
import dev.gearshift.internal.model.Module;
import dev.gearshift.internal.model.Script;
import dev.gearshift.spi.ScriptParser;
import dev.gearshift.spi.SqlStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares the sources with what the history says is applied: reports problems, module status, and the
 * migrations {@code up} and {@code down} would run. Pure computation, no database access.
 */
final class Planner {

    private final MigrationSet set;
    private final ScriptParser parser;
    private final boolean outOfOrder;

    Planner(MigrationSet set, ScriptParser parser, boolean outOfOrder) {
        this.set = set;
        this.parser = parser;
        this.outOfOrder = outOfOrder;
    }

    /**
     * Every problem with the sources and with how they match the history that stands in the way of {@code up}.
     * Problems of down and verify scripts are not among them: see {@link #downProblems} and {@link #verifyProblems}.
     */
    List<Problem> problems(AppliedState state) {
        return owned(state).stream().map(Owned::problem).toList();
    }

    /** A problem, and the module it belongs to: empty for gearshift.yaml and files beside the module folders. */
    private record Owned(Optional<String> module, Problem problem) {
    }

    private List<Owned> owned(AppliedState state) {
        List<Owned> owned = new ArrayList<>();
        set.problems().forEach(problem -> owned.add(new Owned(set.moduleOf(problem), problem)));
        for (Module module : set.modules()) {
            List<Problem> problems = new ArrayList<>();
            for (Migration migration : module.migrations()) {
                migration.up().ifPresent(s -> checkTransactionUse(s, problems));
            }
            problems.forEach(problem -> owned.add(new Owned(Optional.of(module.name()), problem)));
        }
        for (Module module : set.modules()) {
            if (set.majors().containsKey(module.name())) {
                for (Migration migration : module.migrations()) {
                    dataStatements(migration).forEach(p -> owned.add(new Owned(Optional.of(module.name()), p)));
                }
            }
        }
        Set<String> otherMajor = new java.util.HashSet<>();
        set.majors().forEach((module, latest) -> majorProblem(module, latest, state).ifPresent(problem -> {
            otherMajor.add(module);
            owned.add(new Owned(Optional.of(module), problem));
        }));
        for (String module : state.modules()) {
            if (otherMajor.contains(module)) {
                continue; // its history is of another major: the major problem says it all
            }
            List<Problem> problems = new ArrayList<>();
            for (AppliedState.Applied repeatable : state.repeatables(module)) {
                // One that changed or left the sources is no problem: it runs again, or stays as it last ran.
                if (repeatable.failed()) {
                    problems.add(failedMigration(Version.migrationId(module, Optional.empty(), repeatable.name())));
                }
            }
            for (AppliedState.Applied applied : state.of(module)) {
                if (applied.baselined()) {
                    continue;
                }
                Version version = applied.version().orElseThrow();
                String where = Version.migrationId(module, applied.version(), applied.name());
                Optional<Migration> source = set.migration(module, version);
                if (source.isEmpty() && set.isUnreadable(module, version)) {
                    continue; // its files are there, and what is wrong with them is reported already
                }
                if (source.isEmpty()) {
                    problems.add(new Problem(Problem.MISSING_APPLIED, where, "is applied but no longer in the sources;"
                            + " restore it (applied migrations must stay), or migrate it down with the version that has it"));
                } else if (!source.get().name().equals(applied.name())) {
                    problems.add(new Problem(Problem.NAME_MISMATCH, source.get().location(),
                            "version " + version + " was applied as '" + applied.name() + "' but is now '"
                                    + source.get().name() + "'; " + movedOrRenamed(set, module, applied.name())));
                } else if (!applied.failed() && applied.checksum() != null
                        && !applied.checksum().equals(source.get().checksum())) {
                    // Not for a failed or unfinished migration: it never applied, and fixing its file is what it needs.
                    problems.add(new Problem(Problem.CHECKSUM_MISMATCH, source.get().location(),
                            "was edited after it was applied; revert the edit and put the change in a new migration"
                                    + " (`gearshift new " + module + " <name>`), or, if the edit is deliberate and"
                                    + " the database needs nothing more, accept it with `gearshift repair`"));
                }
                if (applied.failed()) {
                    problems.add(failedMigration(where));
                }
            }
            problems.forEach(problem -> owned.add(new Owned(Optional.of(module), problem)));
        }
        if (!outOfOrder) {
            for (Module module : set.modules()) {
                List<Problem> problems = new ArrayList<>();
                Optional<Version> current = state.current(module.name());
                Version baseline = state.baseline(module.name()).orElse(Version.of(0));
                for (Migration migration : module.migrations()) {
                    if (migration.isRepeatable()) {
                        continue;
                    }
                    Version version = migration.version().get();
                    if (current.isPresent() && version.compareTo(current.get()) < 0 && version.compareTo(baseline) > 0
                            && !state.isApplied(module.name(), version) && state.get(module.name(), version).isEmpty()) {
                        problems.add(new Problem(Problem.OUT_OF_ORDER, migration.location(),
                                "is not applied but version " + current.get() + " is; give it a version above "
                                        + current.get() + ", or allow out-of-order migrations to apply it anyway"));
                    }
                }
                problems.forEach(problem -> owned.add(new Owned(Optional.of(module.name()), problem)));
            }
        }
        return owned;
    }

    /**
     * The major a database is at is the major of its newest applied version (the base of major M is version M,
     * its patches M.P). Gearshift never crosses a major by itself: an older one needs a manual data migration,
     * a newer one means this project is older than the database.
     */
    private static Optional<Problem> majorProblem(String module, long latest, AppliedState state) {
        Optional<Version> current = state.current(module);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        long major = current.get().segments().get(0);
        if (major < latest) {
            return Optional.of(new Problem(Problem.MAJOR_MISMATCH, module, "the database is at major " + major
                    + "; major " + latest + " needs a manual data migration (database at " + majorPatch(current.get())
                    + ", the project's latest major is " + latest + "); Gearshift never crosses a major by itself"));
        }
        if (major > latest) {
            return Optional.of(new Problem(Problem.MAJOR_MISMATCH, module, "the database is at major " + major
                    + " (" + majorPatch(current.get()) + "), higher than this project's latest major " + latest
                    + "; run the project that has major " + major));
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern DATA_STATEMENT = java.util.regex.Pattern.compile(
            "(?is)^(?:WITH\\b.*\\b)?(INSERT|UPDATE|DELETE|COPY|TRUNCATE|MERGE)\\b.*");
    private static final java.util.regex.Pattern LEADING_COMMENTS = java.util.regex.Pattern.compile(
            "^(?:\\s+|--[^\\n]*\\n?|/\\*.*?\\*/)*", java.util.regex.Pattern.DOTALL);

    /**
     * A patch of a major-patch module may only add objects; data changes are invisible in the catalogs, so they are
     * refused from the statements. The base is exempt: it fills what it creates (Lily's visor_version row).
     */
    private static List<Problem> dataStatements(Migration migration) {
        if (migration.version().map(v -> v.segments().size() < 2).orElse(true) || migration.up().isEmpty()) {
            return List.of();
        }
        List<Problem> problems = new ArrayList<>();
        for (SqlStatement statement : migration.up().get().statements()) {
            String sql = LEADING_COMMENTS.matcher(statement.sql()).replaceFirst("");
            java.util.regex.Matcher data = DATA_STATEMENT.matcher(sql);
            if (data.matches()) {
                problems.add(new Problem(Problem.NOT_ADDITIVE, migration.up().get().location() + ":"
                        + statement.line(), "patch " + migration.version().get() + " changes data ("
                        + data.group(1).toUpperCase(java.util.Locale.ROOT) + "): a patch may only add objects, so"
                        + " that instances of the same major keep working; data changes belong in a new major"));
            }
        }
        return problems;
    }

    /** {@code 0.28}, and {@code 1.0} for a base (its version is {@code 1}). */
    private static String majorPatch(Version version) {
        return version.segments().size() == 1 ? version + ".0" : version.toString();
    }

    private static Problem failedMigration(String where) {
        return new Problem(Problem.FAILED_MIGRATION, where, "failed (or was interrupted) outside a transaction and may"
                + " have left partial changes; undo or finish them by hand, then run `gearshift repair` so the next"
                + " `gearshift up` runs it again");
    }

    /** What stands in the way of running the down script of {@code migration}. */
    List<Problem> downProblems(Migration migration) {
        List<Problem> problems = new ArrayList<>(migration.downProblems());
        migration.down().ifPresent(s -> checkTransactionUse(s, problems));
        return problems;
    }

    /** What stands in the way of running the verify script of {@code migration}. */
    List<Problem> verifyProblems(Migration migration) {
        List<Problem> problems = new ArrayList<>(migration.verifyProblems());
        migration.verify().ifPresent(s -> checkTransactionUse(s, problems));
        return problems;
    }

    /** The problems of every down and verify script: {@code validate} reports them with the others. */
    List<Problem> scriptProblems() {
        List<Problem> problems = new ArrayList<>();
        for (Module module : set.modules()) {
            for (Migration migration : module.migrations()) {
                problems.addAll(downProblems(migration));
                problems.addAll(verifyProblems(migration));
            }
        }
        return problems;
    }

    /** Scripts with no statements (only comments): deliberate no-ops, worth a word but not a problem. */
    List<String> notes() {
        List<String> empty = new ArrayList<>();
        for (Module module : set.modules()) {
            for (Migration migration : module.migrations()) {
                for (Optional<Script> script : List.of(migration.up(), migration.down(), migration.verify())) {
                    script.filter(s -> s.statements().isEmpty()).ifPresent(s -> empty.add(s.location()));
                }
            }
        }
        if (empty.isEmpty()) {
            return List.of();
        }
        boolean one = empty.size() == 1;
        return List.of(empty.size() + (one ? " script has" : " scripts have") + " no statements, only comments: "
                + (one ? "it runs as a no-op and is" : "they run as no-ops and are") + " recorded like any other: "
                + String.join(", ", empty));
    }

    private void checkTransactionUse(Script script, List<Problem> problems) {
        if (!script.directives().transactional()) {
            return;
        }
        for (SqlStatement statement : script.statements()) {
            String at = script.location() + ":" + statement.line() + ":" + statement.column();
            if (parser.isTransactionControl(statement)) {
                problems.add(new Problem(Problem.TRANSACTION_CONTROL, at, "'" + statement.summary()
                        + "': Gearshift runs each migration in a transaction of its own; remove transaction control"
                        + " statements (or add -- gearshift:no-transaction at the top)"));
            }
            parser.transactionRestriction(statement).ifPresent(why -> problems.add(new Problem(
                    Problem.NEEDS_NO_TRANSACTION, at, why + "; add -- gearshift:no-transaction at the top of the file")));
        }
    }

    List<ModuleStatus> status(AppliedState state) {
        List<Owned> problems = owned(state);
        List<String> names = new ArrayList<>(set.modules().stream().map(Module::name).toList());
        state.modules().stream().filter(m -> !names.contains(m)).forEach(names::add);
        List<ModuleStatus> modules = new ArrayList<>();
        for (String name : names) {
            List<Migration> migrations = set.module(name).map(Module::migrations).orElse(List.of());
            Set<Version> applied = new java.util.TreeSet<>();
            List<Version> pending = new ArrayList<>();
            List<Version> changed = new ArrayList<>();
            List<Version> missing = new ArrayList<>();
            List<Version> failed = new ArrayList<>();
            List<String> pendingRepeatables = new ArrayList<>();
            for (Migration migration : migrations) {
                if (migration.isRepeatable()) {
                    if (!state.isApplied(migration)) {
                        pendingRepeatables.add(migration.name());
                    }
                } else if (state.isApplied(migration)) {
                    applied.add(migration.version().get());
                } else if (state.get(migration).map(AppliedState.Applied::failed).orElse(false)) {
                    failed.add(migration.version().get());
                } else {
                    pending.add(migration.version().get());
                }
            }
            for (AppliedState.Applied recorded : state.of(name)) {
                Version version = recorded.version().orElseThrow();
                Optional<Migration> source = set.migration(name, version);
                if (!recorded.failed()) {
                    applied.add(version);
                }
                if (recorded.baselined()) {
                    continue;
                }
                if (source.isEmpty() && !set.isUnreadable(name, version)) {
                    missing.add(version);
                    if (recorded.failed()) {
                        failed.add(version);
                    }
                } else if (source.isPresent() && !recorded.failed() && recorded.checksum() != null
                        && !recorded.checksum().equals(source.get().checksum())) {
                    changed.add(version);
                }
            }
            modules.add(new ModuleStatus(name, state.current(name), List.copyOf(applied), pending, changed, missing,
                    failed.stream().sorted().toList(), pendingRepeatables, problems.stream()
                            .filter(p -> p.module().equals(Optional.of(name))).map(Owned::problem).toList()));
        }
        return modules;
    }

    /** The migrations to run, in order. Throws when the target names an unknown module. */
    List<Migration> plan(Direction direction, Target target, AppliedState state) {
        target.module().ifPresent(this::requireModule);
        return direction == Direction.UP ? planUp(target, state) : planDown(target, state);
    }

    private List<Migration> planUp(Target target, AppliedState state) {
        Set<String> modules = new LinkedHashSet<>();
        target.module().ifPresentOrElse(m -> collectRequired(m, modules),
                () -> set.modules().forEach(m -> modules.add(m.name())));
        List<Migration> steps = new ArrayList<>();
        Set<String> leftBehind = new java.util.HashSet<>();
        for (Module module : set.modules()) {
            if (!modules.contains(module.name())) {
                continue;
            }
            // 'auth requires core' means auth builds on all of core: while core stays behind, auth waits.
            if (module.requires().stream().anyMatch(leftBehind::contains)) {
                leftBehind.add(module.name());
                continue;
            }
            boolean versionApplies = target.module().map(module.name()::equals).orElse(true);
            for (Migration migration : module.migrations()) {
                if (state.isApplied(migration)) {
                    continue;
                }
                // Repeatables come last in a module, and build on all of it: they wait while it stays behind.
                if (migration.isRepeatable() ? leftBehind.contains(module.name()) : versionApplies
                        && target.version().map(v -> migration.version().get().compareTo(v) > 0).orElse(false)) {
                    leftBehind.add(module.name());
                    continue;
                }
                steps.add(migration);
            }
        }
        return target.steps().map(n -> steps.subList(0, Math.min(n, steps.size()))).orElse(steps);
    }

    /** Reverse order of application: the most recently applied migration is reverted first. */
    private List<Migration> planDown(Target target, AppliedState state) {
        List<AppliedState.Applied> candidates = new ArrayList<>();
        for (String module : state.modules()) {
            if (target.module().map(m -> !m.equals(module)).orElse(false)) {
                continue;
            }
            for (AppliedState.Applied version : state.of(module)) {
                // --to 0 (down --all) means everything, the base of a major-patch module's major 0 (version 0) too
                boolean everything = target.version().map(v -> v.equals(Version.of(0))).orElse(false)
                        && set.majors().containsKey(module);
                if (!version.baselined() && !version.failed() && (everything
                        || target.version().map(v -> version.version().get().compareTo(v) > 0).orElse(true))) {
                    candidates.add(version);
                }
            }
        }
        candidates.sort(Comparator.comparingLong(AppliedState.Applied::order).reversed());
        int limit = target.steps().orElse(target.version().isPresent() ? Integer.MAX_VALUE : 1);
        List<Migration> steps = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (AppliedState.Applied applied : candidates.subList(0, Math.min(limit, candidates.size()))) {
            Version version = applied.version().get();
            Optional<Migration> migration = set.migration(applied.module(), version);
            if (migration.isEmpty()) {
                problems.add(new Problem(Problem.MISSING_APPLIED, applied.module() + "/" + version,
                        "cannot be migrated down: it is no longer in the sources"));
            } else if (!downProblems(migration.get()).isEmpty()) {
                problems.addAll(downProblems(migration.get()));
            } else if (!migration.get().hasDown()) {
                problems.add(new Problem(Problem.MISSING_DOWN, migration.get().location(),
                        "has no down migration; write " + version + "_" + migration.get().name()
                                + ".down." + migration.get().kind() + " beside it, or choose a target above version " + version));
            } else {
                steps.add(migration.get());
            }
        }
        if (!problems.isEmpty()) {
            throw GearshiftException.invalid(problems);
        }
        return steps;
    }

    private void collectRequired(String module, Set<String> into) {
        set.module(module).ifPresent(m -> m.requires().forEach(r -> collectRequired(r, into)));
        into.add(module);
    }

    void requireModule(String module) {
        if (set.module(module).isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "unknown module '" + module + "'; modules: "
                    + set.modules().stream().map(Module::name).toList(),
                    List.of(new Problem(Problem.UNKNOWN_MODULE, "", "unknown module '" + module + "'")), null);
        }
    }

    /**
     * Why an applied version's name changed. Liquibase changesets and Sqitch changes are numbered by their position
     * (those tools key them by id), so one inserted before applied ones, or removed, moves the rest: say so.
     */
    private static String movedOrRenamed(MigrationSet set, String module, String appliedName) {
        return set.module(module).stream().flatMap(m -> m.migrations().stream())
                .filter(m -> m.name().equals(appliedName) && m.version().isPresent()).findFirst()
                .map(m -> "'" + appliedName + "' is now version " + m.version().get() + ": a migration was inserted"
                        + " before it or one removed. Where versions are positions (Liquibase changesets, Sqitch"
                        + " changes), add new ones after the last applied one")
                .orElse("applied migrations may not be renamed, reordered or removed");
    }
}
