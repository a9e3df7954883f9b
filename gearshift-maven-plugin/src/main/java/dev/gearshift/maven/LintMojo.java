package dev.gearshift.maven;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.lint.LintFormats;
import dev.gearshift.lint.LintReport;
import dev.gearshift.lint.ProjectLint;
import java.io.File;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The migrations' statements checked against the lock and compatibility rules, as {@code gearshift lint}: with a
 * target, its pending migrations (its tables are the existing ones); else those changed since {@code gitBase}; else
 * all. The findings are logged; a report in another format (SARIF for code scanning, GitHub annotations, JSON) is
 * written where {@code outputFile} says.
 */
@Mojo(name = "lint", requiresProject = false, threadSafe = true)
public class LintMojo extends GearshiftMojo {

    /** Lint every migration, not only the new ones. */
    @Parameter(property = "gearshift.lint.all", defaultValue = "false")
    boolean all;

    /** Lint the migration files added or changed since this git revision (e.g. {@code main}). */
    @Parameter(property = "gearshift.lint.gitBase")
    String gitBase;

    /** The target's PostgreSQL major version when no target says it (default: gearshift.yaml's, else 17). */
    @Parameter(property = "gearshift.lint.postgresVersion")
    Integer postgresVersion;

    /** {@code text}, {@code json}, {@code sarif} or {@code github}: the shape of {@code outputFile}. */
    @Parameter(property = "gearshift.lint.format", defaultValue = "text")
    String format;

    /** Where the report is written in {@code format}; the findings are logged either way. */
    @Parameter(property = "gearshift.lint.outputFile")
    File outputFile;

    /** Fail the build when a rule of severity error fires (warnings never fail it). */
    @Parameter(property = "gearshift.lint.failOnError", defaultValue = "true")
    boolean failOnError;

    @Override
    boolean buildsGearshift() {
        return linksTarget(); // without a target nothing is connected to
    }

    private boolean linksTarget() {
        return resolvedUrl != null && !all && gitBase == null;
    }

    @Override
    void run(Gearshift target) throws MojoFailureException {
        LintReport report = new ProjectLint(project.toPath(), migrations == null ? null
                : project.toPath().resolve(migrations), gitBase, all, postgresVersion, target,
                target == null ? null : resolvedUrl, resolvedUser, resolvedPassword, schema).run();
        String text = LintFormats.text(report);
        if (report.failed()) {
            getLog().error("\n" + text);
        } else {
            getLog().info("\n" + text);
        }
        if (outputFile != null) {
            write(report);
        }
        if (failOnError && report.failed()) {
            throw new MojoFailureException("lint found " + report.errors() + " error(s) in the migrations (fix them,"
                    + " or silence one with -- gearshift:lint-ignore <rule> <reason>)");
        }
    }

    private void write(LintReport report) throws MojoFailureException {
        String written = LintFormats.render(report, format, Gearshift.version()).orElseThrow(() ->
                new GearshiftException(ErrorCode.USAGE, "gearshift.lint.format: '" + format + "' is not one of "
                        + String.join(", ", LintFormats.FORMATS)));
        writeFile(outputFile.toPath(), written);
    }
}
