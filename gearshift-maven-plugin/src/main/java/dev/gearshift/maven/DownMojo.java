package dev.gearshift.maven;

import dev.gearshift.Gearshift;
import dev.gearshift.Result;
import dev.gearshift.Target;
import org.apache.maven.plugins.annotations.Mojo;

/** Reverts the last applied migration, or everything above {@code gearshift.to} ({@code 0}: everything). */
@Mojo(name = "down", requiresProject = false, threadSafe = true)
public class DownMojo extends MoveMojo {

    @Override
    Result move(Gearshift gearshift, Target target) {
        return gearshift.down(target);
    }

    @Override
    String done() {
        return "Reverted";
    }

    @Override
    String nothing() {
        return "Nothing to revert";
    }
}
