package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.Result;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Applies pending migrations: all of them, or up to {@code gearshift.to}, of every module or {@code gearshift.module}. */
@Mojo(name = "up", requiresProject = false, threadSafe = true)
public class UpMojo extends GearshiftMojo {

    @Parameter(property = "gearshift.to")
    String to;

    @Parameter(property = "gearshift.module")
    String module;

    @Override
    void run(Gearshift gearshift) {
        Result result = gearshift.up(target(to, module));
        getLog().info(result.applied().isEmpty() ? "Nothing to apply" : "Applied " + result.applied().size()
                + " migration" + (result.applied().size() == 1 ? "" : "s"));
        result.applied().forEach(applied -> getLog().info("  " + applied.id()));
        result.notes().forEach(getLog()::info);
    }
}
