package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.Status;
import org.apache.maven.plugins.annotations.Mojo;

/** Logs where every module stands; never fails for pending migrations (see {@code validate}). */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends GearshiftMojo {

    @Override
    void run(Gearshift gearshift) {
        Status status = gearshift.status();
        status.modules().forEach(module -> getLog().info("  " + module.module() + ": current "
                + module.current().map(Object::toString).orElse("none") + ", " + module.applied().size() + " applied, "
                + module.pending().size() + " pending" + (module.isCurrent() ? ", up to date" : "")));
        status.problems().forEach(problem -> getLog().warn(problem.toString()));
    }
}
