package dev.gearshift.internal.model;

import java.util.List;

/**
 * An independent track of migrations.
 *
 * @param requires   modules whose migrations must be applied first
 * @param migrations ascending by version, then the repeatable ones by name ({@link Migration#ORDER})
 */
public record Module(String name, List<String> requires, List<Migration> migrations) {

    public Module {
        requires = List.copyOf(requires);
        migrations = List.copyOf(migrations);
    }
}
