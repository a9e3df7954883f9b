package dev.gearshift;

import java.util.Optional;

/**
 * Where {@code up}, {@code down} and {@code plan} should take the database.
 *
 * <ul>
 *   <li>{@code Target.latest()}: everything pending (up) / the last applied migration (down)</li>
 *   <li>{@code Target.version(7)}, {@code Target.version(Version.parse("1.2"))}: up to and including that version
 *   (up) / revert everything above it (down); the repeatable migrations of a module run once it reaches its
 *   last version, and are never reverted</li>
 *   <li>{@code Target.steps(3)}: the next (up) or last (down) three migrations</li>
 * </ul>
 * {@link #module(String)} narrows any of them to one module.
 */
public record Target(Optional<String> module, Optional<Version> version, Optional<Integer> steps) {

    public Target {
        if (version.isPresent() && steps.isPresent()) {
            throw new GearshiftException(ErrorCode.USAGE, "give either a version or a number of steps, not both");
        }
        steps.filter(s -> s < 1).ifPresent(s -> {
            throw new GearshiftException(ErrorCode.USAGE, "steps must be at least 1, got " + s);
        });
    }

    public static Target latest() {
        return new Target(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Target version(long version) {
        if (version < 0) {
            throw new GearshiftException(ErrorCode.USAGE, "version must be 0 or positive, got " + version);
        }
        return version(Version.of(version));
    }

    public static Target version(Version version) {
        return new Target(Optional.empty(), Optional.of(version), Optional.empty());
    }

    public static Target steps(int steps) {
        return new Target(Optional.empty(), Optional.empty(), Optional.of(steps));
    }

    /** Down to nothing: reverts every applied migration. */
    public static Target zero() {
        return version(0);
    }

    public Target module(String name) {
        return new Target(Optional.ofNullable(name), version, steps);
    }

    @Override
    public String toString() {
        String where = version.map(v -> "version " + v)
                .or(() -> steps.map(s -> s + " step" + (s == 1 ? "" : "s")))
                .orElse("latest");
        return module.map(m -> m + " " + where).orElse(where);
    }
}
