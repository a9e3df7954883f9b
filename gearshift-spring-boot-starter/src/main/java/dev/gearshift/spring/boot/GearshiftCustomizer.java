package dev.gearshift.spring.boot;

import dev.gearshift.Gearshift;

/** A bean that sets up what properties cannot say, such as Java migrations: {@code b -> b.java("seed", list)}. */
@FunctionalInterface
public interface GearshiftCustomizer {

    void customize(Gearshift.Builder builder);
}
