package dev.gearshift.lint;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.Plan;
import dev.gearshift.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Lints a project's migrations, choosing which: those not yet applied in the target when one is given; else those
 * added or changed since a git base; else (or with {@code all}) every migration.
 *
 * @param root          the project directory
 * @param dir           the migrations directory when not the project's ({@code --dir}), or null
 * @param gitBase       lint the files added or changed since this git revision, or null
 * @param all           lint every migration, earlier ones making later ones' tables "existing"
 * @param postgresMajor the target's major version when no target says it, or null for gearshift.yaml's
 * @param target        the target, whose pending migrations are linted, or null
 * @param url           the target's URL, to read its version and tables (read only), or null
 * @param schema        the target schema whose tables exist, or null for the connection's current schema
 */
public record ProjectLint(Path root, Path dir, String gitBase, boolean all, Integer postgresMajor, Gearshift target,
                          String url, String user, String password, String schema) {

    public LintReport run() {
        if (all && gitBase != null) {
            throw new GearshiftException(ErrorCode.USAGE, "--all and --git-base exclude each other: give one");
        }
        LintConfig config = LintConfig.fromProjectFile(root.resolve("gearshift.yaml"));
        Set<String> existing = Set.of();
        List<LintScript> scripts;
        boolean oneDeploy;
        if (target != null && !all && gitBase == null) {
            LintSources.TargetFacts facts = LintSources.TargetFacts.read(url, user, password, schema);
            config = config.withPostgresMajor(facts.postgresMajor());
            existing = facts.tables();
            Plan plan = target.planUp(Target.latest());
            scripts = plan.steps().stream().filter(s -> s.sql() != null)
                    .map(s -> new LintScript(relative(s.location()), s.sql(), s.transactional())).toList();
            oneDeploy = true;
        } else {
            List<LintScript> every = LintSources.scripts(root, LintSources.migrationsDirectory(root, dir));
            if (gitBase != null) {
                scripts = LintSources.changedSince(root, every, gitBase);
                oneDeploy = true;
            } else {
                scripts = every;
                oneDeploy = false;
            }
        }
        if (postgresMajor != null) {
            config = config.withPostgresMajor(postgresMajor);
        }
        return new Linter(config).lint(scripts, existing, oneDeploy);
    }

    /**
     * Runs the target's pending migrations on a shadow database and reports what they lock (lint --measure).
     *
     * @param rows   rows per table, or null to follow the target's statistics
     * @param devUrl a server for the throwaway database, or null for an embedded one
     * @throws GearshiftException ({@code USAGE}) without a target
     */
    public MeasureReport measure(Long rows, String devUrl) {
        if (target == null) {
            throw new GearshiftException(ErrorCode.USAGE, "lint --measure needs a target (--url, or url: in"
                    + " gearshift.yaml): the shadow database is built from its schema and sized from its statistics");
        }
        if (rows != null && rows < 0) {
            throw new GearshiftException(ErrorCode.USAGE, "--rows: must be 0 or more, not " + rows);
        }
        List<LintScript> pending = target.planUp(Target.latest()).steps().stream().filter(s -> s.sql() != null)
                .map(s -> new LintScript(relative(s.location()), s.sql(), s.transactional())).toList();
        return LockMeasure.measure(url, user, password, schema == null ? "public" : schema, pending, rows, devUrl);
    }

    private String relative(String location) {
        try {
            Path p = Path.of(location).toAbsolutePath().normalize();
            Path r = root.toAbsolutePath().normalize();
            return (p.startsWith(r) ? r.relativize(p) : p).toString().replace('\\', '/');
        } catch (RuntimeException e) {
            return location;
        }
    }
}
