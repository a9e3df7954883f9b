package dev.gearshift.lint;

import dev.gearshift.lint.internal.Checks;
import dev.gearshift.lint.internal.Checks.Hit;
import dev.gearshift.lint.internal.Checks.State;
import dev.gearshift.postgres.PgScriptParser;
import dev.gearshift.spi.SqlStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints PostgreSQL migration scripts. Statements come from {@link PgScriptParser}, the splitter the engine runs
 * them with, so a finding's line and column are where the engine would start the statement.
 *
 * <pre>{@code
 * LintReport report = new Linter(LintConfig.defaults()).lint(scripts, Set.of(), true);
 * }</pre>
 */
public final class Linter {

    /** Ours, with a reason; squawk's ({@code -- squawk-ignore rule1, rule2}) is read too, so its files keep working. */
    private static final Pattern IGNORE = Pattern.compile(
            "--\\s*(?:gearshift:lint-ignore|squawk-ignore)\\s+([a-z0-9-]+(?:\\s*,\\s*[a-z0-9-]+)*)\\s*(.*)");
    private static final PgScriptParser PARSER = new PgScriptParser();

    private final LintConfig config;

    public Linter(LintConfig config) {
        this.config = config;
    }

    /**
     * Lints the scripts in order.
     *
     * @param scripts        the scripts to lint, in the order they apply
     * @param existingTables tables known to exist in the target (lower-case names, unqualified), which are never
     *                       "new" even when a script creates them IF NOT EXISTS
     * @param oneDeploy      whether the scripts deploy together: a table created by an earlier one is then still
     *                       empty and new for the later ones; otherwise (linting the whole history) only a table
     *                       created in the same script is new
     * @throws dev.gearshift.GearshiftException ({@code VALIDATION}) when a script does not split (an unterminated
     *                                          string, say), naming file, line and column
     */
    public LintReport lint(List<LintScript> scripts, Set<String> existingTables, boolean oneDeploy) {
        List<Finding> findings = new ArrayList<>();
        State state = new State(config.postgresMajor(), existingTables);
        for (LintScript script : scripts) {
            if (!oneDeploy) {
                state.forgetNewTables();
            }
            List<SqlStatement> statements = PARSER.split(script.sql(), script.file());
            state.startScript(script.transactional());
            Map<Integer, List<String[]>> ignores = ignores(script.sql());
            List<String> lines = script.sql().lines().toList();
            int previousEnd = 0;
            for (int i = 0; i < statements.size(); i++) {
                SqlStatement statement = statements.get(i);
                int end = statement.line() + (int) statement.sql().chars().filter(c -> c == '\n').count();
                boolean commented = commentBeside(lines, previousEnd, statement.line(), end);
                List<Hit> hits = Checks.check(statement.sql(), statements, i, script.transactional(), commented,
                        state);
                for (Hit hit : hits) {
                    Severity severity = config.severity(hit.rule()).orElse(null);
                    if (severity == null) {
                        continue;
                    }
                    String reason = ignoredBecause(ignores, previousEnd, end, hit.rule());
                    findings.add(new Finding(hit.rule(), severity, script.file(), statement.line(),
                            statement.column(), hit.message(), statement.summary(), reason));
                }
                previousEnd = end;
            }
        }
        return new LintReport(scripts.stream().map(LintScript::file).toList(), findings);
    }

    /** The lint-ignore comments by line: rule id and reason. */
    private static Map<Integer, List<String[]>> ignores(String sql) {
        Map<Integer, List<String[]>> byLine = new HashMap<>();
        List<String> lines = sql.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = IGNORE.matcher(lines.get(i));
            if (m.find()) {
                for (String rule : m.group(1).split(",")) {
                    byLine.computeIfAbsent(i + 1, k -> new ArrayList<>())
                            .add(new String[] {rule.strip().toLowerCase(Locale.ROOT), m.group(2).strip()});
                }
            }
        }
        return byLine;
    }

    /**
     * A lint-ignore comment applies to the statement it sits in or on, or to the next statement after it: its line is
     * after the previous statement's last line and no later than this statement's last line. A comment without a
     * reason still silences, and says so.
     */
    private static String ignoredBecause(Map<Integer, List<String[]>> ignores, int previousEnd, int end, Rule rule) {
        for (int line = previousEnd + 1; line <= end; line++) {
            for (String[] ignore : ignores.getOrDefault(line, List.of())) {
                if (ignore[0].equals(rule.id()) || ignore[0].equals("all")) {
                    return ignore[1].isEmpty() ? "(no reason given)" : ignore[1];
                }
            }
        }
        // the previous statement's last line may carry a trailing comment meant for it, not this one: not searched
        return null;
    }

    /** Whether a {@code --} comment sits between the previous statement and this one, or on its lines. */
    private static boolean commentBeside(List<String> lines, int previousEnd, int start, int end) {
        for (int line = Math.max(previousEnd + 1, 1); line <= Math.min(end, lines.size()); line++) {
            String text = lines.get(line - 1);
            if (line < start ? text.strip().startsWith("--") : text.contains("--")) {
                return true;
            }
        }
        return false;
    }
}
