package dev.gearshift.diff;

import dev.gearshift.Gearshift;
import dev.gearshift.ModuleStatus;
import dev.gearshift.Problem;
import dev.gearshift.Version;
import dev.gearshift.diff.internal.Column;
import dev.gearshift.diff.internal.DbObject;
import dev.gearshift.diff.internal.Ddl;
import dev.gearshift.diff.internal.Difference;
import dev.gearshift.diff.internal.Differ;
import dev.gearshift.diff.internal.Index;
import dev.gearshift.diff.internal.Key;
import dev.gearshift.diff.internal.Kind;
import dev.gearshift.diff.internal.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Enforces Lily's rule for the patches of a {@code versioning: major-patch} module: a patch only adds, so that
 * instances of the same major keep working while a newer one patches the database. Each patch runs in a shadow
 * database at the patch before it, and the catalogs before and after are compared with the diff engine.
 *
 * <p>It lives here, above gearshift-core, because it needs both the project (core) and the catalog comparison
 * (this module); core stays free of the diff engine. What catalogs cannot show, data changes, core refuses from
 * the patch's statements ({@link Problem#NOT_ADDITIVE} too), so {@code validate} and {@code up} report those without
 * a shadow.
 *
 * <pre>{@code
 * try (Shadow shadow = Shadow.embedded()) {
 *     List<Problem> refused = AdditivePatches.check(shadow, b -> b.project(dir), "app", v -> true);
 * }
 * }</pre>
 */
public final class AdditivePatches {

    /** What a patch may add: objects of their own. Any other kind added (an extension, a schema) is refused. */
    private static final Set<Kind> ADDABLE = Set.of(Kind.TABLE, Kind.VIEW, Kind.MATERIALIZED_VIEW, Kind.ENUM,
            Kind.DOMAIN, Kind.COMPOSITE_TYPE, Kind.FUNCTION, Kind.AGGREGATE, Kind.SEQUENCE);

    private AdditivePatches() {
    }

    /**
     * Checks the patches {@code which} accepts ({@code module/version}, e.g. {@code visor/0.3}) of every
     * major-patch module of the project.
     *
     * @param project sets the project's migrations on a builder, as for {@link Shadow#migrate}
     * @return one problem per refused change, naming the patch, the object and the rule; empty when all only add
     */
    public static List<Problem> check(Shadow shadow, UnaryOperator<Gearshift.Builder> project, String schema,
                                      Predicate<String> which) {
        Map<String, List<Version>> modules = project.apply(Gearshift.configure()).url("jdbc:postgresql://unused/x")
                .build().project().majorPatchModules();
        List<Problem> problems = new ArrayList<>();
        modules.forEach((module, versions) -> {
            List<Version> patches = versions.stream().filter(v -> v.segments().size() == 2)
                    .filter(v -> which.test(module + "/" + v)).toList();
            if (patches.isEmpty()) {
                return;
            }
            // From the one before the first patch checked to the last: one database, read at every stop.
            int first = versions.indexOf(patches.get(0));
            int last = versions.indexOf(patches.get(patches.size() - 1));
            List<Version> stops = versions.subList(first - 1, last + 1);
            List<SchemaModel> models = shadow.migrateThrough(project, schema, module, stops);
            for (int i = 1; i < stops.size(); i++) {
                if (patches.contains(stops.get(i))) {
                    problems.addAll(compare(module + "/" + stops.get(i), models.get(i - 1), models.get(i)));
                }
            }
        });
        return problems;
    }

    /**
     * The pending patches of {@code target}'s major-patch modules only: what {@code up} is about to apply.
     */
    public static List<Problem> checkPending(Gearshift target, Shadow shadow, UnaryOperator<Gearshift.Builder> project,
                                             String schema) {
        Set<String> pending = new HashSet<>();
        for (ModuleStatus module : target.status().modules()) {
            module.pending().forEach(v -> pending.add(module.module() + "/" + v));
        }
        if (target.project().majorPatchModules().isEmpty() || pending.isEmpty()) {
            return List.of();
        }
        return check(shadow, project, schema, pending::contains);
    }

    /** Every refused change between the schema before a patch and after it. */
    static List<Problem> compare(String patch, SchemaModel before, SchemaModel after) {
        List<Problem> problems = new ArrayList<>();
        List<Difference> differences = Differ.diff(before.model(), after.model(), List.of()).differences();
        Set<String> newTables = differences.stream().filter(d -> d.from() == null && d.key().kind() == Kind.TABLE)
                .map(d -> d.key().name()).collect(Collectors.toSet());
        for (Difference difference : differences) {
            Key key = difference.key();
            if (difference.to() == null) {
                problems.add(refused(patch, key, "drops or renames it; a patch may only add"));
            } else if (difference.from() == null) {
                String table = difference.to() instanceof Index index ? index.table() : key.table();
                if (table != null && !newTables.contains(table)) {
                    problems.add(refused(patch, key, "is new on the existing table " + table
                            + "; a patch may add to what it creates, never to existing tables"));
                } else if (table == null && !ADDABLE.contains(key.kind())) {
                    problems.add(refused(patch, key, "is a kind of object a patch may not add (new tables, views,"
                            + " types, functions and sequences only)"));
                }
            } else if (!commentOnly(difference.from(), difference.to())) {
                problems.add(refused(patch, key, changed(difference.from(), difference.to())));
            }
        }
        Set<String> uncompared = new HashSet<>(after.unsupported());
        before.unsupported().forEach(uncompared::remove);
        uncompared.stream().sorted().forEach(object -> problems.add(new Problem(Problem.NOT_ADDITIVE, patch,
                object + ": the diff engine does not compare this kind of object, so the patch cannot be shown to only"
                        + " add; it is refused rather than waved through")));
        return problems;
    }

    private static String changed(DbObject from, DbObject to) {
        if (withoutGrants(from).equals(withoutGrants(to))) {
            return "changes privileges on an existing object; a patch may grant only on what it creates";
        }
        if (from instanceof Table a && to instanceof Table b) {
            Map<String, Column> old = a.columns().stream().collect(Collectors.toMap(Column::name, c -> c));
            Map<String, Column> now = b.columns().stream().collect(Collectors.toMap(Column::name, c -> c));
            List<String> rules = new ArrayList<>();
            now.keySet().stream().filter(c -> !old.containsKey(c)).sorted().forEach(c -> rules.add("adds column "
                    + c + " (a new column, even nullable, is a change to an existing table)"));
            old.keySet().stream().filter(c -> !now.containsKey(c)).sorted().forEach(c -> rules.add("drops or"
                    + " renames column " + c));
            old.keySet().stream().filter(now::containsKey).sorted().forEach(c -> {
                if (!Objects.equals(old.get(c).type(), now.get(c).type())) {
                    rules.add("changes the type of column " + c + " from " + old.get(c).type() + " to "
                            + now.get(c).type());
                }
            });
            if (!rules.isEmpty()) {
                return String.join("; ", rules) + "; a patch may not change an existing table";
            }
            return "changes the existing table (" + summary(from) + " became " + summary(to) + "); a patch may"
                    + " not change an existing table";
        }
        return "is changed; a patch may not change an existing object, only add new ones";
    }

    private static String summary(DbObject object) {
        return String.join(" ", withoutComments(object)).replaceAll("\\s+", " ");
    }

    /** A changed comment is allowed: comments document, they do not change what an older instance sees. */
    private static boolean commentOnly(DbObject from, DbObject to) {
        return withoutComments(from).equals(withoutComments(to));
    }

    private static List<String> withoutComments(DbObject object) {
        return Ddl.create(object).stream().filter(s -> !s.stripLeading().regionMatches(true, 0, "COMMENT ON", 0, 10))
                .toList();
    }

    private static List<String> withoutGrants(DbObject object) {
        return withoutComments(object).stream().filter(s -> !s.stripLeading().regionMatches(true, 0, "GRANT ", 0, 6)
                && !s.stripLeading().regionMatches(true, 0, "REVOKE ", 0, 7)).toList();
    }

    private static Problem refused(String patch, Key key, String rule) {
        return new Problem(Problem.NOT_ADDITIVE, patch, key + " " + rule);
    }
}
