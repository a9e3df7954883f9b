package dev.gearshift.diff.internal;

import java.util.Comparator;
import java.util.List;

/**
 * One privilege held by one role on an object (or a column). The owner's own privileges are left out: they
 * follow ownership, which differs between a live database and a throwaway one.
 *
 * @param grantee   the role, quoted for SQL, or {@code PUBLIC}
 * @param privilege {@code SELECT}, {@code EXECUTE}, ...
 */
public record Grant(String grantee, String privilege, boolean grantable) implements Comparable<Grant> {

    private static final Comparator<Grant> ORDER = Comparator.comparing(Grant::grantee)
            .thenComparing(Grant::privilege).thenComparing(Grant::grantable);

    @Override
    public int compareTo(Grant other) {
        return ORDER.compare(this, other);
    }

    /** A sorted immutable copy, so two equal sets of grants are equal lists. */
    public static List<Grant> sorted(List<Grant> grants) {
        return grants == null ? List.of() : grants.stream().sorted().toList();
    }
}
