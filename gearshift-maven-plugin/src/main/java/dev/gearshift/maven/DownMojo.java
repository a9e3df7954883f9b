package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.Result;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Reverts the last applied migration, or everything above {@code gearshift.to} ({@code 0}: everything). */
@Mojo(name = "down", requiresProject = false, threadSafe = true)
public class DownMojo extends GearshiftMojo {

    @Parameter(property = "gearshift.to")
    String to;

    @Parameter(property = "gearshift.module")
    String module;

    @Override
    void run(Gearshift gearshift) {
        Result result = gearshift.down(target(to, module));
        getLog().info(result.applied().isEmpty() ? "Nothing to revert" : "Reverted " + result.applied().size()
                + " migration" + (result.applied().size() == 1 ? "" : "s"));
        result.applied().forEach(applied -> getLog().info("  " + applied.id()));
    }
}
