package dev.gearshift.diff.internal;

import java.util.List;

/**
 * A row-level security policy.
 *
 * @param command   {@code ALL}, {@code SELECT}, {@code INSERT}, {@code UPDATE} or {@code DELETE}
 * @param roles     quoted role names, or {@code PUBLIC}; sorted
 * @param using     the USING expression, or null
 * @param withCheck the WITH CHECK expression, or null
 */
public record Policy(String table, String name, boolean permissive, String command, List<String> roles,
                     String using, String withCheck, String comment) implements DbObject {
    public Policy {
        roles = roles.stream().sorted().toList();
    }

    @Override
    public Key key() {
        return Key.on(Kind.POLICY, table, name);
    }
}
