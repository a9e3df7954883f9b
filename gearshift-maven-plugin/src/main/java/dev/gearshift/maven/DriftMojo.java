package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.Status;
import dev.gearshift.diff.SchemaDrift;
import dev.gearshift.diff.SchemaModel;
import dev.gearshift.diff.Shadow;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fails the build, with the statements that would reconcile it, when the target's schema is not what its
 * migrations make (changed by hand, or by something else). The migrations run in a shadow database: on the server
 * at {@code gearshift.devUrl}, else on an embedded PostgreSQL started for the goal.
 */
@Mojo(name = "drift", requiresProject = false, threadSafe = true)
public class DriftMojo extends GearshiftMojo {

    /** A server where throwaway databases may be created, best the major version of the target's. */
    @Parameter(property = "gearshift.devUrl")
    String devUrl;

    @Override
    void run(Gearshift gearshift) throws MojoFailureException {
        if (resolvedUrl == null) {
            throw new MojoFailureException("drift reads the target's schema itself: give its url in the plugin's"
                    + " configuration, -Dgearshift.url or GEARSHIFT_URL");
        }
        Status status = gearshift.status();
        SchemaModel live = SchemaModel.read(resolvedUrl, resolvedUser, resolvedPassword, status.schema());
        try (Shadow shadow = devUrl != null ? Shadow.at(devUrl, null, null) : Shadow.embedded()) {
            SchemaDrift drift = SchemaDrift.of(status, live, shadow, sources());
            drift.warnings().forEach(getLog()::warn);
            if (drift.found()) {
                throw new MojoFailureException("Drift in schema " + drift.schema() + ": "
                        + drift.changes().differences().size() + " objects differ from what the migrations make."
                        + " To make it current:\n" + drift.changes().sql());
            }
            getLog().info("No drift: schema " + drift.schema() + " is what the migrations make");
        }
    }
}
