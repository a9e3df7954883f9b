package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import org.apache.maven.plugins.annotations.Mojo;

/** Fails the build, listing every problem, when the sources or the history have problems. */
@Mojo(name = "validate", requiresProject = false, threadSafe = true)
public class ValidateMojo extends GearshiftMojo {

    @Override
    void run(Gearshift gearshift) {
        gearshift.validate();
        getLog().info("No problems");
    }
}
