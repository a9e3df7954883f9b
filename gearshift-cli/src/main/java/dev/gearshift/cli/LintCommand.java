package dev.gearshift.cli;

import dev.gearshift.ErrorCode;
import dev.gearshift.Gearshift;
import dev.gearshift.GearshiftException;
import dev.gearshift.ProjectDefaults;
import dev.gearshift.lint.LintFormats;
import dev.gearshift.lint.LintReport;
import dev.gearshift.lint.MeasureReport;
import dev.gearshift.lint.ProjectLint;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gearshift lint}: the migrations' statements checked against the lock and compatibility rules. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check new migrations for statements that lock busy tables or break running instances")
final class LintCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--all", description = "Lint every migration, not only the new ones")
    boolean all;

    @Option(names = "--git-base", paramLabel = "REF",
            description = "Lint the migration files added or changed since this git revision (e.g. main)")
    String gitBase;

    @Option(names = "--format", paramLabel = "text|json|sarif|github", defaultValue = "text",
            description = "Output: text (file:line:column), json, sarif (code scanning) or github (annotations)")
    String format;

    @Option(names = "--pg-version", paramLabel = "MAJOR",
            description = "The target's PostgreSQL major version when no target is given (default: gearshift.yaml's"
                    + " lint.postgres_version, else 17)")
    Integer pgVersion;

    @Option(names = "--measure", description = "Run the pending migrations on a shadow database and report the locks"
            + " each statement takes, rewrites and how long the strongest lock is held")
    boolean measure;

    @Option(names = "--rows", paramLabel = "N", description = "With --measure: rows per table (default: as many as"
            + " the target's statistics say)")
    Long rows;

    @Option(names = "--dev-url", paramLabel = "URL", description = "With --measure: PostgreSQL server for the"
            + " throwaway shadow database (default: an embedded one)")
    String devUrl;

    @Override
    public Integer call() {
        if (measure) {
            return measure();
        }
        LintReport report = lint(main, all, gitBase, pgVersion);
        String shape = main.json ? "json" : format;
        String rendered = LintFormats.render(report, shape, Gearshift.version()).orElseThrow(() ->
                new GearshiftException(ErrorCode.USAGE, "--format: '" + format + "' is not one of "
                        + String.join(", ", LintFormats.FORMATS)));
        String shown = shape.equals("text") ? Main.forPeople(rendered) : Main.forMachines(rendered);
        main.out.print(shown.endsWith("\n") || shown.isEmpty() ? shown : shown + "\n");
        main.out.flush();
        return report.failed() ? ExitCodes.of(ErrorCode.VALIDATION) : 0;
    }

    private int measure() {
        if (main.url == null && ProjectDefaults.read(main.projectRoot()).url().isEmpty()) {
            throw new GearshiftException(ErrorCode.USAGE, "lint --measure needs a target (--url, or url: in"
                    + " gearshift.yaml): the shadow is built from its schema and sized from its statistics");
        }
        try (Main.Session session = main.open()) {
            Gearshift gs = session.builder().build();
            String url = main.url != null ? main.url : ProjectDefaults.read(main.projectRoot()).url().orElseThrow();
            MeasureReport report = new ProjectLint(main.projectRoot(), main.dir, null, false, pgVersion, gs, url,
                    main.user, main.password, schema(main)).measure(rows, devUrl);
            if (main.json) {
                main.out.println(Main.forMachines(LintFormats.write(LintFormats.json(report))));
            } else {
                main.out.print(Main.forPeople(LintFormats.text(report)));
            }
            main.out.flush();
            return 0;
        }
    }

    /**
     * The lint run for a command: with a target (--url, or the project's url) its pending migrations, else the
     * project's files. No target is started for lint: without a URL nothing is connected to.
     */
    static LintReport lint(Main main, boolean all, String gitBase, Integer pgVersion) {
        boolean hasTarget = main.url != null || ProjectDefaults.read(main.projectRoot()).url().isPresent();
        if (!hasTarget || all || gitBase != null) {
            return new ProjectLint(main.projectRoot(), main.dir, gitBase, all, pgVersion, null, null, null, null,
                    null).run();
        }
        try (Main.Session session = main.open()) {
            Gearshift gs = session.builder().build();
            String url = main.url != null ? main.url : ProjectDefaults.read(main.projectRoot()).url().orElseThrow();
            return new ProjectLint(main.projectRoot(), main.dir, null, false, pgVersion, gs, url, main.user,
                    main.password, schema(main)).run();
        }
    }

    /** The target schema: --schema, else gearshift.yaml's, else null (the connection's current schema). */
    private static String schema(Main main) {
        return main.schema != null ? main.schema : ProjectDefaults.read(main.projectRoot()).schema().orElse(null);
    }

    /** For {@code up --lint} and {@code validate --lint}: the report on stderr, and an error when it fails. */
    static void lintFirst(Main main) {
        LintReport report = lint(main, false, null, null);
        if (!main.json || report.failed()) {
            main.err.print(Main.forPeople(LintFormats.text(report)));
            main.err.flush();
        }
        if (report.failed()) {
            throw new GearshiftException(ErrorCode.VALIDATION, "lint found " + report.errors() + " error(s) in the"
                    + " pending migrations; nothing was run (fix them, or silence one with -- gearshift:lint-ignore"
                    + " <rule> <reason>)");
        }
    }
}
