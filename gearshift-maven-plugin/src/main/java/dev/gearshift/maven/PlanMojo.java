package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.Plan;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Logs what {@code up} (or, with {@code gearshift.direction=down}, {@code down}) would run; touches nothing. */
@Mojo(name = "plan", requiresProject = false, threadSafe = true)
public class PlanMojo extends GearshiftMojo {

    @Parameter(property = "gearshift.direction", defaultValue = "up")
    String direction;

    @Parameter(property = "gearshift.to")
    String to;

    @Parameter(property = "gearshift.module")
    String module;

    @Override
    void run(Gearshift gearshift) {
        Plan plan = direction.equals("down") ? gearshift.planDown(target(to, module))
                : gearshift.planUp(target(to, module));
        getLog().info(plan.isEmpty() ? "Nothing to run" : plan.direction() + ": " + plan.steps().size() + " to run");
        plan.steps().forEach(step -> getLog().info("  " + step.id() + (step.transactional() ? "" : " (no transaction)")));
    }
}
