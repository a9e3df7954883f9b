package dev.gearshift.internal.model;

import java.util.Map;

/**
 * What the comment lines at the top of a script ask for.
 *
 * @param transactional false for {@code -- gearshift:no-transaction}
 * @param settings      session settings from {@code -- gearshift:set name=value}, applied while the script runs
 */
public record Directives(boolean transactional, Map<String, String> settings) {

    public static final Directives DEFAULT = new Directives(true, Map.of());

    public Directives {
        settings = Map.copyOf(settings);
    }
}
