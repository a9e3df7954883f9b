package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.Result;
import dev.gearshift.Target;
import org.apache.maven.plugins.annotations.Mojo;

/** Applies pending migrations: all of them, or up to {@code gearshift.to}, of every module or {@code gearshift.module}. */
@Mojo(name = "up", requiresProject = false, threadSafe = true)
public class UpMojo extends MoveMojo {

    @Override
    Result move(Gearshift gearshift, Target target) {
        return gearshift.up(target);
    }

    @Override
    String done() {
        return "Applied";
    }

    @Override
    String nothing() {
        return "Nothing to apply";
    }
}
