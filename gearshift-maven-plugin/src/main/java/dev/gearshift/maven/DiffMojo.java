package dev.gearshift.maven;

import dev.gearshift.Counts;
import dev.gearshift.Gearshift;
import dev.gearshift.ProjectDefaults;
import dev.gearshift.Secrets;
import dev.gearshift.diff.Rename;
import dev.gearshift.diff.SchemaChanges;
import dev.gearshift.diff.SchemaDiff;
import dev.gearshift.diff.SchemaModel;
import dev.gearshift.diff.SchemaSource;
import dev.gearshift.diff.Shadow;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The DDL that turns one schema into another, as {@code gearshift diff FROM TO} prints it. By default from the
 * target's schema to what the project's migrations make; each side may also be a database URL, a migrations
 * directory, desired-state SQL or {@code empty}, as on the command line (paths relative to the project). The work is
 * gearshift-diff's; this picks the sides, and logs or writes the script.
 */
@Mojo(name = "diff", requiresProject = false, threadSafe = true)
public class DiffMojo extends GearshiftMojo {

    /** {@code target} (the configured database), {@code project} (its migrations), or a side as the CLI reads it. */
    @Parameter(property = "gearshift.diff.from", defaultValue = "target")
    String from;

    @Parameter(property = "gearshift.diff.to", defaultValue = "project")
    String to;

    /** {@code TABLE.OLD=NEW} (a renamed column) or {@code OLD=NEW} (a table); never guessed. */
    @Parameter(property = "gearshift.diff.renames")
    List<String> renames;

    /** False: one transaction, every statement plain (no CONCURRENTLY, no NOT VALID then VALIDATE). */
    @Parameter(property = "gearshift.diff.online", defaultValue = "true")
    boolean online;

    /** Where the script is written; without it, it is logged. */
    @Parameter(property = "gearshift.diff.outputFile")
    File outputFile;

    /** Fail the build when the sides differ (a check that a schema is what the project says). */
    @Parameter(property = "gearshift.diff.failOnDifferences", defaultValue = "false")
    boolean failOnDifferences;

    /** A server where throwaway databases may be created; without it, an embedded PostgreSQL is started. */
    @Parameter(property = "gearshift.devUrl")
    String devUrl;

    @Override
    boolean buildsGearshift() {
        return false; // the target is read through its own connection, and need not be configured at all
    }

    @Override
    void run(Gearshift none) throws MojoFailureException {
        Path directory = project.isDirectory() ? project.toPath() : project.toPath().getParent();
        ProjectDefaults defaults = ProjectDefaults.read(directory);
        String inSchema = schema != null ? schema : defaults.schema().orElse("public");
        try (Shadows shadows = new Shadows(devUrl)) {
            Side a = side(from, directory, defaults);
            Side b = side(to, directory, defaults);
            SchemaModel fromModel = a.read(inSchema, shadows);
            SchemaModel toModel = b.read(inSchema, shadows);
            SchemaChanges changes = SchemaDiff.between(fromModel, toModel,
                    renames == null ? List.of() : renames.stream().map(Rename::parse).toList(),
                    online ? SchemaDiff.Options.ONLINE : SchemaDiff.Options.DEFAULTS);
            changes.warnings().forEach(getLog()::warn);
            String summary = changes.isEmpty() ? "no differences" : Counts.of(changes.statements().size(), "statement")
                    + (changes.destructive() ? ", some destructive" : "") + (changes.parts().size() > 1
                    ? ", in " + changes.parts().size() + " parts (the second outside a transaction)" : "");
            String script = "-- gearshift diff: from " + a.description() + " to " + b.description() + ", schema "
                    + fromModel.schema() + "\n-- " + summary + "\n"
                    + (changes.isEmpty() ? "" : fromModel.preamble() + "\n" + changes.sql());
            if (outputFile != null) {
                writeFile(outputFile.toPath(), script);
                getLog().info("Diff from " + a.description() + " to " + b.description() + ": " + summary
                        + "; written to " + outputFile);
            } else {
                getLog().info("\n" + script);
            }
            if (failOnDifferences && !changes.isEmpty()) {
                throw new MojoFailureException("Schema " + fromModel.schema() + " of " + a.description()
                        + " differs from " + b.description() + ": " + summary);
            }
        }
    }

    /** One side, with how the log names it (passwords masked). */
    private record Side(String description, SchemaReader reader) {
        SchemaModel read(String schema, Supplier<Shadow> shadows) {
            return reader.read(schema, shadows);
        }
    }

    private interface SchemaReader {
        SchemaModel read(String schema, Supplier<Shadow> shadows);
    }

    private Side side(String text, Path directory, ProjectDefaults defaults) throws MojoFailureException {
        if (text.equals("target")) {
            String targetUrl = resolvedUrl != null ? resolvedUrl : defaults.url().orElse(null);
            if (targetUrl == null) {
                throw new MojoFailureException("diff reads the target's schema: give its url in the plugin's"
                        + " configuration, -Dgearshift.url, GEARSHIFT_URL or gearshift.yaml (or another side with"
                        + " gearshift.diff.from)");
            }
            SchemaSource database = new SchemaSource.Database(targetUrl, resolvedUser, resolvedPassword);
            return new Side("the target " + Secrets.mask(targetUrl), database::read);
        }
        if (text.equals("project")) {
            // the goal's own configuration: gearshift.yaml, the migrations parameter, placeholders
            return new Side("the project's migrations", (schema, shadows) -> shadows.get().migrate(sources(), schema));
        }
        SchemaSource source = SchemaSource.parse(relativeTo(directory, text), resolvedUser, resolvedPassword,
                placeholderValues());
        return new Side(source.describe(), source::read);
    }

    /** Paths in the POM are the project's, whatever directory Maven was started in. */
    private static String relativeTo(Path directory, String text) {
        for (String prefix : List.of("migrations:", "sql:")) {
            if (text.startsWith(prefix)) {
                return prefix + directory.resolve(text.substring(prefix.length()));
            }
        }
        boolean path = !(text.equals("empty") || text.contains("://") || text.startsWith("jdbc:")
                || text.startsWith("db:"));
        return path ? directory.resolve(text).toString() : text;
    }



    /** The shadow server, started on first use (only migrations and desired-state SQL need one). */
    private static final class Shadows implements Supplier<Shadow>, AutoCloseable {
        private final String devUrl;
        private Shadow shadow;

        Shadows(String devUrl) {
            this.devUrl = devUrl;
        }

        @Override
        public Shadow get() {
            if (shadow == null) {
                shadow = devUrl != null ? Shadow.at(devUrl, null, null) : Shadow.embedded();
            }
            return shadow;
        }

        @Override
        public void close() {
            if (shadow != null) {
                shadow.close();
            }
        }
    }
}
