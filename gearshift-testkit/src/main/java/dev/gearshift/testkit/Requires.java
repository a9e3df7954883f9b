package dev.gearshift.testkit;

import dev.gearshift.spi.Capability;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a behaviour needs. On a store that does not declare one of them the test is reported as
 * disabled with the reason "not applicable: store lacks ...", and listed in its class's summary: a store never
 * passes a behaviour it does not have, and never hides one it lacks.
 */
@Inherited // a store runs a suite by extending it: what the suite's class needs, its store's subclass needs
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Requires {
    Capability[] value();
}
