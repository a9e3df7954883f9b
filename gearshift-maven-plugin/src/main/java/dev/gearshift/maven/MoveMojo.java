package dev.gearshift.maven;

import dev.gearshift.Counts;
import dev.gearshift.Gearshift;
import dev.gearshift.Result;
import dev.gearshift.Target;
import org.apache.maven.plugins.annotations.Parameter;

/** A goal that moves schemas up or down to {@code gearshift.to}, of every module or {@code gearshift.module}. */
abstract class MoveMojo extends GearshiftMojo {

    @Parameter(property = "gearshift.to")
    String to;

    @Parameter(property = "gearshift.module")
    String module;

    abstract Result move(Gearshift gearshift, Target target);

    /** How the log line names what was done: {@code Applied}, {@code Reverted}. */
    abstract String done();

    /** What the log says when nothing was: {@code Nothing to apply}. */
    abstract String nothing();

    @Override
    final void run(Gearshift gearshift) {
        Result result = move(gearshift, target(to, module));
        getLog().info(result.applied().isEmpty() ? nothing()
                : done() + " " + Counts.of(result.applied().size(), "migration"));
        result.applied().forEach(applied -> getLog().info("  " + applied.id()));
        result.notes().forEach(getLog()::info);
    }
}
