package dev.gearshift.lint;

import java.util.List;

/** The findings of one lint run, in script and statement order, silenced ones included. */
public record LintReport(List<String> files, List<Finding> findings) {

    public LintReport {
        files = List.copyOf(files);
        findings = List.copyOf(findings);
    }

    public long errors() {
        return findings.stream().filter(f -> !f.ignored() && f.severity() == Severity.ERROR).count();
    }

    public long warnings() {
        return findings.stream().filter(f -> !f.ignored() && f.severity() == Severity.WARNING).count();
    }

    public boolean failed() {
        return errors() > 0;
    }
}
