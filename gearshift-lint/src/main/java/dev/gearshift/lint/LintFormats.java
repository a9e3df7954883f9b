package dev.gearshift.lint;

import dev.gearshift.Counts;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A report in the shapes its readers want: people (file:line:column), scripts (JSON), code review (SARIF 2.1.0,
 * which GitHub code scanning and most review tools read, and GitHub Actions' workflow-command annotations).
 */
public final class LintFormats {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The names {@link #render} knows, for an option's help and its error. */
    public static final List<String> FORMATS = List.of("text", "json", "sarif", "github");

    private LintFormats() {
    }

    /** The report in the format named (one of {@link #FORMATS}); empty for another name. */
    public static Optional<String> render(LintReport report, String format, String toolVersion) {
        return Optional.ofNullable(switch (format) {
            case "text" -> text(report);
            case "json" -> write(json(report));
            case "sarif" -> sarif(report, toolVersion);
            case "github" -> github(report);
            default -> null;
        });
    }

    public static String text(LintReport report) {
        StringBuilder out = new StringBuilder();
        for (Finding f : report.findings()) {
            out.append(f.position()).append(": ").append(f.ignored() ? "ignored" : f.severity().label())
                    .append(" [").append(f.rule().id()).append("] ").append(f.message()).append('\n');
            if (f.ignored()) {
                out.append("    ignored because: ").append(f.ignoredBecause()).append('\n');
            } else {
                out.append("    why: ").append(f.rule().why()).append('\n');
                out.append("    fix: ").append(f.rule().fix()).append('\n');
            }
        }
        long ignored = report.findings().stream().filter(Finding::ignored).count();
        out.append("Linted ").append(Counts.of(report.files().size(), "migration")).append(": ")
                .append(Counts.of(report.errors(), "error")).append(", ")
                .append(Counts.of(report.warnings(), "warning"))
                .append(ignored > 0 ? ", " + ignored + " ignored" : "").append('\n');
        return out.toString();
    }

    public static Map<String, Object> json(LintReport report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("files", report.files());
        doc.put("errors", report.errors());
        doc.put("warnings", report.warnings());
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding f : report.findings()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("rule", f.rule().id());
            item.put("severity", f.severity().label());
            item.put("file", f.file());
            item.put("line", f.line());
            item.put("column", f.column());
            item.put("message", f.message());
            item.put("statement", f.statement());
            item.put("why", f.rule().why());
            item.put("fix", f.rule().fix());
            item.put("ignored", f.ignored());
            if (f.ignored()) {
                item.put("ignoredBecause", f.ignoredBecause());
            }
            findings.add(item);
        }
        doc.put("findings", findings);
        return doc;
    }

    /** SARIF 2.1.0; silenced findings carry a suppression with the comment's reason, as the format intends. */
    public static String sarif(LintReport report, String toolVersion) {
        Set<Rule> rules = new LinkedHashSet<>();
        report.findings().forEach(f -> rules.add(f.rule()));
        List<Map<String, Object>> ruleDocs = new ArrayList<>();
        for (Rule rule : rules) {
            ruleDocs.add(Map.of("id", rule.id(), "shortDescription", Map.of("text", rule.why()),
                    "help", Map.of("text", rule.fix())));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : report.findings()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.rule().id());
            result.put("level", f.severity() == Severity.ERROR ? "error" : "warning");
            result.put("message", Map.of("text", f.message() + ". Fix: " + f.rule().fix()));
            result.put("locations", List.of(Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", f.file()),
                    "region", Map.of("startLine", f.line(), "startColumn", f.column())))));
            if (f.ignored()) {
                result.put("suppressions", List.of(Map.of("kind", "inSource", "justification", f.ignoredBecause())));
            }
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "gearshift-lint");
        driver.put("version", toolVersion);
        driver.put("informationUri", "https://gearshift.dev/lint");
        driver.put("rules", ruleDocs);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        doc.put("version", "2.1.0");
        doc.put("runs", List.of(Map.of("tool", Map.of("driver", driver), "results", results)));
        return write(doc);
    }

    /** GitHub Actions annotations: {@code ::error file=F,line=L,col=C,title=rule::message}. */
    public static String github(LintReport report) {
        StringBuilder out = new StringBuilder();
        for (Finding f : report.findings()) {
            if (f.ignored()) {
                continue;
            }
            out.append("::").append(f.severity() == Severity.ERROR ? "error" : "warning")
                    .append(" file=").append(escapeProperty(f.file())).append(",line=").append(f.line())
                    .append(",col=").append(f.column()).append(",title=").append(f.rule().id()).append("::")
                    .append(escapeData(f.message() + ". " + f.rule().fix())).append('\n');
        }
        return out.toString();
    }

    public static String text(MeasureReport report) {
        StringBuilder out = new StringBuilder();
        report.filled().forEach((table, n) -> out.append("filled ").append(table).append(" with ").append(n)
                .append(" rows\n"));
        report.notFilled().forEach((table, why) -> out.append("could not fill ").append(table).append(": ")
                .append(why).append('\n'));
        for (MeasureReport.Measured m : report.statements()) {
            out.append(m.file()).append(':').append(m.line()).append(':').append(m.column()).append(": ")
                    .append(m.statement()).append('\n');
            out.append("    ").append(m.plainWords()).append(String.format(java.util.Locale.ROOT,
                    " (statement ran %.1f s)", m.millis() / 1000)).append('\n');
            if (!m.rewritten().isEmpty()) {
                out.append("    rewritten: ").append(String.join(", ", m.rewritten())).append('\n');
            }
            for (MeasureReport.Lock lock : m.locks()) {
                out.append("    lock ").append(lock.mode()).append(" on ").append(lock.relation()).append('\n');
            }
        }
        if (report.statements().isEmpty()) {
            out.append("No pending migrations to measure\n");
        }
        return out.toString();
    }

    public static Map<String, Object> json(MeasureReport report) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (MeasureReport.Measured m : report.statements()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("file", m.file());
            item.put("line", m.line());
            item.put("column", m.column());
            item.put("statement", m.statement());
            item.put("locks", m.locks().stream().map(l -> Map.of("relation", l.relation(), "mode", l.mode()))
                    .toList());
            item.put("rewritten", m.rewritten());
            item.put("millis", m.millis());
            item.put("strongestLockHeldMillis", m.heldMillis());
            item.put("blocked", m.blocked());
            item.put("summary", m.plainWords());
            statements.add(item);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("filled", report.filled());
        doc.put("notFilled", report.notFilled());
        doc.put("statements", statements);
        return doc;
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }

}
